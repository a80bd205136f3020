"""Receipt codes that read well over the phone: 8 characters without 0/O or 1/I, shown ABCD-EFGH."""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: 8 of them give 10^12 codes
LENGTH = 8
_TYPED = re.compile(r"[\s\-.]")


def new_receipt() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def parse_receipt(typed: str) -> str | None:
    """What a person typed ("abcd efgh", "ABCD-EFGH") → "ABCDEFGH"; None if it cannot be one."""
    code = _TYPED.sub("", typed or "").upper()
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code
