"""Reads of initiatives shared by the public pages, the office and the API."""

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from sangkien.common.personal import keyed_hash
from sangkien.common.vnid import normalize_phone
from sangkien.initiatives.models import Initiative, StatusChange
from sangkien.initiatives.receipts import parse_receipt
from sangkien.initiatives.similarity import normalize


def with_details() -> QuerySet[Initiative]:
    """An initiative with everything its receipt and lookup pages show, in 5 queries."""
    # gallery_consent (awards) is a reverse one-to-one the lookup page shows: joined, not queried.
    return Initiative.objects.select_related(
        "program", "phase", "unit", "submitted_by", "gallery_consent"
    ).prefetch_related(
        "authors",
        "attachments",
        Prefetch("history", queryset=StatusChange.objects.order_by("at", "pk")),
    )


def by_receipt(receipt: str) -> Initiative | None:
    code = parse_receipt(receipt)
    return with_details().filter(receipt=code).first() if code else None


def lookup(receipt: str, phone: str) -> Initiative | None:
    """The initiative with this receipt, if `phone` is one of its authors' numbers.

    Receipt and phone together are the submitter's key; either alone answers nothing, and the
    caller cannot tell which of the two was wrong.
    """
    code, number = parse_receipt(receipt), normalize_phone(phone)
    if not code or not number:
        return None
    # One query decides, the same for an unknown receipt and a wrong phone (no timing hint),
    # and reads what a status answer shows: the caller prefetches the rest it needs
    # (status_details), the public form only keeps the receipt.
    return (
        Initiative.objects.filter(receipt=code, authors__phone_hash=keyed_hash(number))
        .select_related("program", "unit")
        .only(*LOOKUP_FIELDS)
        .first()
    )


# What the status of an initiative shows (the API's lookup): not its texts, files or review.
LOOKUP_FIELDS = [
    "receipt",
    "status",
    "title",
    "submitted_at",
    "submitted_by_id",
    "program__code",
    "unit__code",
    "unit__name",
]


def status_details(initiative: Initiative) -> Initiative:
    """The authors and the history of a looked-up initiative, in one query each."""
    prefetch_related_objects(
        [initiative],
        "authors",
        Prefetch("history", queryset=StatusChange.objects.order_by("at", "pk")),
    )
    return initiative


def search(qs: QuerySet[Initiative], text: str) -> QuerySet[Initiative]:
    """`qs` narrowed to what `text` names: folded words of the receipt, title or an author's
    name ("nguyen van an" finds "Nguyễn Văn An", "may ep" finds "Máy ép, ..."), or a receipt
    typed "ABCD-EFGH" / "abcdefgh" (matched exactly, by the unique index).

    On PostgreSQL the `contains` is served by the pg_trgm index on `search_text` when the term
    has 3 characters or more; callers scope `qs` to the viewer's subtree first.
    """
    term = normalize(text)
    if not term:
        return qs
    found = Q(search_text__contains=term)
    code = parse_receipt(text)
    if code:
        found |= Q(receipt=code)
    return qs.filter(found)
