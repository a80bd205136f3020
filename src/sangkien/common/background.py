"""Long jobs kept as database rows (bulk imports, exports), started after the commit that queued them."""

from collections.abc import Callable

from django.utils.module_loading import import_string

from sangkien.common import tasks


def run_after_commit(run: Callable[[int], object], job_id: int, *, name: str, inline: bool) -> None:
    """Call `run(job_id)` as a task (`common.tasks`: the RQ worker, or a thread of this process)
    once the current transaction commits, or right now when `inline` (tests). `run` must be a
    module-level function: the queue holds its dotted path and the id, and the worker re-reads
    the job's row. A job a dead process left behind is taken back by its command
    (`run_bulk_imports`, `run_exports`)."""
    if inline:
        run(job_id)
        return
    path = f"{run.__module__}.{run.__qualname__}"
    try:
        named = import_string(path)
    except ImportError:
        named = None
    if named is not run:
        raise ValueError(f"{path} does not name the function to run: it must be module-level")
    tasks.enqueue_call(path, args=[job_id], label=f"{name}-{job_id}")
