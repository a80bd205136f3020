"""Personal data at rest: ID and phone numbers encrypted, hashed with a key for lookups, masked.

Encryption is Fernet (AES-128-CBC + HMAC-SHA256) with the first of settings.PERSONAL_DATA_KEYS;
the older keys still decrypt, so keys can be rotated. The keyed hash (HMAC-SHA256 with
PERSONAL_DATA_HASH_KEY) lets the portal find "the initiatives of this phone number" without
decrypting anything and without a table an attacker could reverse with a dictionary of the
only 10^10 phone numbers there are.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

MASK = "•"


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(text: str) -> str:
    if not text:
        return ""
    return _fernet(tuple(settings.PERSONAL_DATA_KEYS)).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    return _fernet(tuple(settings.PERSONAL_DATA_KEYS)).decrypt(token.encode()).decode()


def keyed_hash(text: str) -> str:
    if not text:
        return ""
    key = settings.PERSONAL_DATA_HASH_KEY.encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def mask(tail: str, length: int) -> str:
    """ "•••••••••123" for a 12-digit number ending in 123: as many dots as hidden digits."""
    if not tail:
        return ""
    return MASK * max(length - len(tail), 0) + tail
