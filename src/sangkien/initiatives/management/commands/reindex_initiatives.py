"""(Re)compute the search text, the near-duplicate fingerprint and `duplicate_of` of stored rows."""

from collections import defaultdict

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Prefetch

from sangkien.initiatives.enums import Status
from sangkien.initiatives.models import Author, Initiative
from sangkien.initiatives.similarity import BAND_FIELDS, fingerprint, search_text

FIELDS = ["search_text", "sim_hash", *BAND_FIELDS, "duplicate_of"]


def _originals(batch: list[Initiative]) -> dict[int, int | None]:
    """For each row of the batch, its first earlier, not withdrawn row of the same programme and
    content_key (`services.original_of`), found with one query for the whole batch."""
    peers = defaultdict(list)
    for pk, program_id, key, at in (
        Initiative.objects.filter(content_key__in={row.content_key for row in batch})
        .exclude(status=Status.WITHDRAWN)
        .order_by("submitted_at", "pk")
        .values_list("pk", "program_id", "content_key", "submitted_at")
    ):
        peers[program_id, key].append((at, pk))
    found = {}
    for row in batch:
        first = next(iter(peers[row.program_id, row.content_key]), None)
        found[row.pk] = first[1] if first and first < (row.submitted_at, row.pk) else None
    return found


def reindex_batch(batch: list[Initiative]) -> int:
    """Recompute the rows (authors prefetched) and write only those that changed."""
    originals = _originals(batch)
    changed = []
    for row in batch:
        values = fingerprint(row.title, row.description).as_fields()
        names = [author.full_name for author in row.authors.all()]
        values["search_text"] = search_text(row.receipt, row.title, names)
        values["duplicate_of_id"] = originals[row.pk]
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    if changed:
        Initiative.objects.bulk_update(changed, FIELDS)
    return len(changed)


class Command(BaseCommand):
    help = (
        "Tính lại văn bản tìm kiếm, dấu vân tay trùng lặp và liên kết nộp trùng của sáng kiến "
        "(chạy sau khi nâng cấp cơ sở dữ liệu; chạy lại không thay đổi gì)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, **options):
        # Keyset batches rather than one server-side cursor over 2.5 million rows: each batch is
        # its own short transaction, and an interrupted run simply starts again.
        rows = (
            Initiative.objects.order_by("pk")
            .only(
                "receipt",
                "title",
                "description",
                "program_id",
                "content_key",
                "submitted_at",
                *FIELDS,
            )
            .prefetch_related(
                Prefetch("authors", queryset=Author.objects.only("initiative_id", "full_name"))
            )
        )
        last, seen, written = 0, 0, 0
        while True:
            with transaction.atomic():
                batch = list(rows.filter(pk__gt=last)[:batch_size])
                if not batch:
                    break
                written += reindex_batch(batch)
            seen += len(batch)
            last = batch[-1].pk
            if options["verbosity"] > 1:
                self.stdout.write(f"… {seen} rows, up to id {last}")
        self.stdout.write(f"initiatives: {seen}; updated: {written}")
