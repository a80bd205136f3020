"""Large exports of initiatives: a unit's list made in the background, the national CSV streamed.

A unit's list is made as XLSX or CSV by a background job (ExportJob); the national CSV is streamed
straight from a server-side cursor.

Memory stays flat whatever the number of rows: the initiatives are read with
`.iterator(chunk_size=…)` (a named cursor on PostgreSQL, chunked fetches on SQLite), the
authors of each chunk are fetched in one query for that chunk, the few ancestor units (district,
province) are cached as they appear, and the rows are written out as they come: CSV line by line,
XLSX through openpyxl's write-only mode (rows go to a temporary file, never a list). Personal data
leaves only masked (Author.phone_masked, Author.id_masked): nothing here decrypts.

rows: what is exported, a chunk at a time; writers: CSV and XLSX; jobs: the background jobs and
their downloads; stream: the national CSV.
"""

from sangkien.targets.exports.jobs import (
    STALE_MINUTES,
    download_name,
    export_open,
    export_request,
    export_run,
    is_finished,
    jobs_of,
    percent,
    purge_files,
    queued_jobs,
    requeue_stale,
)
from sangkien.targets.exports.jobs import (
    _claim as _claim,  # tests play a runner that died right after claiming
)
from sangkien.targets.exports.stream import national_csv, national_stream
from sangkien.targets.exports.writers import write_xlsx

__all__ = [
    "STALE_MINUTES",
    "download_name",
    "export_open",
    "export_request",
    "export_run",
    "is_finished",
    "jobs_of",
    "national_csv",
    "national_stream",
    "percent",
    "purge_files",
    "queued_jobs",
    "requeue_stale",
    "write_xlsx",
]
