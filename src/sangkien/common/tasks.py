"""Work outside the request (receipts, status messages, bulk imports, exports): the one way to run it.

`enqueue("sangkien.app.module.function", 42)` runs the function once the current transaction
commits, as settings.TASK_QUEUE says:

- "rq": a job on the RQ queue TASK_QUEUE_NAME in the Redis at TASK_QUEUE_URL, run by
  `manage.py task_worker`, retried TASK_RETRIES times with the TASK_RETRY_INTERVALS backoff. When
  that Redis cannot take the job, it runs in a thread of this process instead (and a warning is
  logged): Redis being away loses no job, and the request that committed never sees the error.
- "thread": a daemon thread of the web process (the embedded setup, no Redis).
- "inline": right after the commit, in the caller's thread (tests).

Arguments are plain JSON values (ids, strings): a task re-reads what it needs, and a job held in
Redis is only data. Jobs are serialised as JSON, never pickled.
"""

import json
import logging
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections, connections, transaction
from django.utils.module_loading import import_string
from redis import Redis
from rq import Queue, Retry, SimpleWorker, Worker
from rq.serializers import JSONSerializer

logger = logging.getLogger("sangkien.tasks")

MODES = ("rq", "thread", "inline")
PERFORM = "sangkien.common.tasks.perform"

_redis_lock = threading.Lock()
_redis_by_url: dict[str, Redis] = {}


def enqueue(path: str, *args: Any, **kwargs: Any) -> Any:
    """Run the function at dotted `path` with these arguments outside the request, after the
    current transaction commits (nothing runs for a transaction that rolls back).

    Answers the function's result when it ran right here ("inline" outside a transaction), else
    None. Raises at once, before anything is committed, for a path that does not import or
    arguments that are not plain JSON values: those are mistakes in the code, not in the weather.
    """
    return enqueue_call(path, args=args, kwargs=kwargs)


def enqueue_call(
    path: str,
    *,
    args: tuple | list = (),
    kwargs: dict[str, Any] | None = None,
    label: str = "",
) -> Any:
    """`enqueue` with the arguments spelled out, and a `label` that names the job in the queue's
    listings, in the logs and as the thread's name (default: the path)."""
    args, kwargs = list(args), dict(kwargs or {})
    _resolve(path)
    _check_plain(path, args, kwargs)
    label = label or path
    mode = settings.TASK_QUEUE
    if mode not in MODES:
        raise ImproperlyConfigured(f"TASK_QUEUE={mode!r}: expected one of {', '.join(MODES)}")
    run = {"inline": _run_here, "thread": _start_thread, "rq": _put}[mode]
    # Outside a transaction there is nothing to wait for (on_commit would run it at once too, but
    # would open a database connection to find that out).
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: run(path, args, kwargs, label))
        return None
    return run(path, args, kwargs, label)


def perform(path: str, /, *args: Any, **kwargs: Any) -> None:
    """What every job runs: the task at `path` with its arguments. Its result is not kept (a task
    records what it did in the database), so the job's result in Redis is always null."""
    _resolve(path)(*args, **kwargs)


def _resolve(path: str):
    function = import_string(path)
    if not callable(function):
        raise TypeError(f"task {path} is not callable")
    return function


def _check_plain(path: str, args: list, kwargs: dict) -> None:
    # A round trip through JSON must give the same values back: a model, a date, a tuple or a
    # dict with integer keys would reach the task as something else.
    try:
        same = json.loads(json.dumps([args, kwargs])) == [args, kwargs]
    except (TypeError, ValueError):
        same = False
    if not same:
        raise TypeError(f"task {path}: arguments must be plain JSON values (ids, strings)")


def _run_here(path: str, args: list, kwargs: dict, label: str) -> Any:
    try:
        return _resolve(path)(*args, **kwargs)
    except Exception:
        logger.exception("task %s failed", label)
        return None


def _start_thread(path: str, args: list, kwargs: dict, label: str) -> None:
    def run() -> None:
        try:
            perform(path, *args, **kwargs)
        except Exception:
            logger.exception("task %s failed", label)
        finally:
            connections.close_all()  # this thread's own connections; nobody else would close them

    threading.Thread(target=run, daemon=True, name=label[:100]).start()


def _put(path: str, args: list, kwargs: dict, label: str) -> None:
    # Runs in an on_commit callback: whatever goes wrong here must not reach the request, and the
    # job must still run, so any failure to enqueue falls back to a thread of this process.
    try:
        job = queue().enqueue_call(
            PERFORM,
            args=[path, *args],
            kwargs=kwargs,
            timeout=settings.TASK_TIMEOUT,
            result_ttl=settings.TASK_RESULT_TTL,
            failure_ttl=settings.TASK_FAILURE_TTL,
            retry=(
                Retry(max=settings.TASK_RETRIES, interval=settings.TASK_RETRY_INTERVALS)
                if settings.TASK_RETRIES
                else None
            ),
            description=label,
        )
    except Exception as error:
        logger.warning(
            "task %s: queue %s unavailable (%s: %s); running it in a thread of this process",
            label,
            settings.TASK_QUEUE_NAME,
            type(error).__name__,
            error,
        )
        _start_thread(path, args, kwargs, label)
        return
    logger.debug("task %s queued as job %s", label, job.id)


def redis_connection(url: str | None = None) -> Redis:
    """The shared client for the queue's Redis (one connection pool per address and process).

    Short socket timeouts: a Redis that does not answer must send the job to the thread fallback
    within seconds, not hold the request that committed.
    """
    url = url or settings.TASK_QUEUE_URL
    if not url:
        raise ImproperlyConfigured("the task queue needs TASK_QUEUE_URL or REDIS_URL")
    with _redis_lock:
        client = _redis_by_url.get(url)
        if client is None:
            client = Redis.from_url(
                url,
                socket_connect_timeout=settings.TASK_QUEUE_CONNECT_TIMEOUT,
                socket_timeout=settings.TASK_QUEUE_CONNECT_TIMEOUT,
            )
            _redis_by_url[url] = client
    return client


def queue(connection: Redis | None = None) -> Queue:
    """The configured RQ queue (JSON-serialised jobs)."""
    return Queue(
        settings.TASK_QUEUE_NAME,
        connection=connection or redis_connection(),
        serializer=JSONSerializer,
        default_timeout=settings.TASK_TIMEOUT,
    )


class ForkingTaskWorker(Worker):
    """rq's default worker (a fresh child process per job) that keeps Django's database
    connections out of the fork: the parent holds none when it forks, and the child closes its
    own before it exits, so no socket is ever shared by two processes."""

    def fork_work_horse(self, job, queue):
        connections.close_all()
        super().fork_work_horse(job, queue)

    def perform_job(self, job, queue, execution):  # runs in the child
        try:
            return super().perform_job(job, queue, execution)
        finally:
            connections.close_all()


class SimpleTaskWorker(SimpleWorker):
    """Every job in the worker process itself; connections handled as between two requests
    (kept for CONN_MAX_AGE, replaced when broken)."""

    def perform_job(self, job, queue, execution):
        close_old_connections()
        try:
            return super().perform_job(job, queue, execution)
        finally:
            close_old_connections()


def work(*, burst: bool = False, fork: bool = True, max_jobs: int | None = None) -> bool:
    """Run a worker on the configured queue until stopped (SIGTERM or SIGINT: warm shutdown after
    the current job), or until the queue is empty with `burst`. Answers whether it ran a job.

    The worker also runs rq's scheduler, which puts jobs waiting for a retry back on the queue
    when their time comes (in `burst` mode: those already due when it starts).
    """
    # Its own client: the worker widens the socket timeout for its blocking dequeue, which must
    # not change the short timeout of the client the web process enqueues with.
    connection = Redis.from_url(settings.TASK_QUEUE_URL)
    worker_class = ForkingTaskWorker if fork else SimpleTaskWorker
    worker = worker_class(
        [settings.TASK_QUEUE_NAME],
        connection=connection,
        serializer=JSONSerializer,
        default_result_ttl=settings.TASK_RESULT_TTL,
    )
    # rq installs its own SIGINT/SIGTERM handlers; put back the caller's when it returns (a burst
    # run inside another program, such as the tests, must not leave them behind).
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return worker.work(burst=burst, with_scheduler=True, max_jobs=max_jobs)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        connection.close()
