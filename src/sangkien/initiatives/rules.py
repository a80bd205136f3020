"""Who an initiative belongs to, for the rules of the levels that review and award it."""

from sangkien.common.personal import keyed_hash
from sangkien.common.vnid import normalize_phone
from sangkien.initiatives.models import Initiative


def is_author(officer, initiative: Initiative) -> bool:
    """An officer whose phone number is an author's (compared by keyed hash): they may not
    decide on, score, forward or award their own work. Uses prefetched authors when present."""
    number = normalize_phone(getattr(officer, "phone", "") or "")
    if not number:
        return False
    digest = keyed_hash(number)
    return any(author.phone_hash == digest for author in initiative.authors.all())
