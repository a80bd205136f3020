"""Jobs run in a daemon thread of the web process after the commit that queued them."""

import threading
from collections.abc import Callable

from django.db import connection, transaction


def run_after_commit(run: Callable[[int], object], job_id: int, *, name: str, inline: bool) -> None:
    """Call `run(job_id)` in a daemon thread once the current transaction commits, or right now
    when `inline` (tests). A job a dead process left behind is taken back by its command
    (`run_bulk_imports`, `run_exports`)."""
    if inline:
        run(job_id)
        return

    def in_thread() -> None:
        try:
            run(job_id)
        finally:
            connection.close()  # the thread's own connection; nobody else would close it

    transaction.on_commit(
        lambda: threading.Thread(target=in_thread, daemon=True, name=f"{name}-{job_id}").start()
    )
