"""The national CSV: every initiative streamed from a server-side cursor, never held whole."""

from collections.abc import Iterator

from sangkien.accounts import rules
from sangkien.common.audit import audit
from sangkien.programs.models import Program
from sangkien.targets.exports.rows import CHUNK_SIZE, export_queryset, row_chunks
from sangkien.targets.exports.writers import csv_lines


def national_csv(program: Program | None = None, *, chunk_size: int = CHUNK_SIZE) -> Iterator[str]:
    """Every initiative of `program` (of every programme when None) as CSV text, streamed from a
    server-side cursor: a piece per chunk, never the whole list."""
    qs = export_queryset(program=program)
    return csv_lines(row_chunks(qs, program=program, chunk_size=chunk_size))


def national_stream(*, actor, program: Program | None) -> Iterator[str] | None:
    """The national CSV for a national administrator (None for anybody else), the download
    written to the audit log before the first line."""
    if not rules.is_national_admin(actor):
        return None
    lines = national_csv(program)
    audit(
        actor=actor,
        action="export.download",
        obj=program,
        object_type="programs.program",
        national=True,
        program=program.code if program else "",
    )
    return lines
