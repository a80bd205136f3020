"""Dashboard reads from a read replica: the router, the `replica_reads()` context and the
`@reads_from_replica` view decorator.

With `DATABASE_REPLICA_URL` set, the settings add the "replica" alias and `ReplicaRouter`. Reads
go to the replica only inside `replica_reads()`, and even there not:
- inside a `transaction.atomic` block on the primary (a transaction reads its own writes),
- after something in the same context was written (read-your-writes for the rest of it),
- for the models that decide who is signed in and what they may see (`FRESH_APPS`): a revoked
  role or token must not keep working for as long as the replica lags, nor a fresh sign-in look
  signed out,
- when the replica is the primary itself (one database behind both URLs, or a test mirror).
Everything else — every write, every read outside the context — goes to "default".

The replica is reached once per context (a health check on a kept connection, or a new one). If
that fails, the context reads from the primary, the replica is left alone for
`DATABASE_REPLICA_RETRY_SECONDS`, and a warning is logged at most once a minute per process. If
the replica fails later, while a decorated view is reading from it (it stopped, its connection
was cut, a query was cancelled by recovery), the view is run again on the primary: the views
that carry the decorator only read.
"""

import contextlib
import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections

DEFAULT = "default"
REPLICA = "replica"

# Officers, their roles and API tokens, sign-in attempts, sessions, permissions.
FRESH_APPS = frozenset({"accounts", "auth", "sessions", "contenttypes"})

WARN_EVERY_SECONDS = 60.0

logger = logging.getLogger(__name__)


@dataclass
class _Reads:
    """One `replica_reads()` context: where its reads go, decided on the first one."""

    alias: str | None = None  # REPLICA once reached, DEFAULT when it could not be
    wrote: bool = False

    def target(self) -> str:
        if self.alias is None:
            self.alias = REPLICA if _reach_replica() else DEFAULT
        return self.alias


_current: ContextVar[_Reads | None] = ContextVar("sangkien_replica_reads", default=None)


class _Health:
    """Per process: until when the replica is left alone, and when we last complained."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.warned_at: float | None = None

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self, error: BaseException, when: str) -> None:
        now = time.monotonic()
        retry = float(getattr(settings, "DATABASE_REPLICA_RETRY_SECONDS", 10))
        with self.lock:
            self.down_until = now + retry
            warn = self.warned_at is None or now - self.warned_at >= WARN_EVERY_SECONDS
            if warn:
                self.warned_at = now
        if warn:
            logger.warning(
                "read replica unusable %s, reading from the primary for %.0f s: %s",
                when,
                retry,
                str(error).strip() or type(error).__name__,
            )

    def reset(self) -> None:
        with self.lock:
            self.down_until = 0.0
            self.warned_at = None


health = _Health()


def replica_configured() -> bool:
    return REPLICA in connections.settings


def _same_database() -> bool:
    """True when "replica" names the primary itself (then a second connection only costs)."""
    replica = connections[REPLICA].settings_dict
    primary = connections[DEFAULT].settings_dict
    keys = ("ENGINE", "HOST", "PORT", "NAME")
    return all(str(replica.get(key) or "") == str(primary.get(key) or "") for key in keys)


def _reach_replica() -> bool:
    """Whether this context may read from the replica: configured, not the primary, not left
    alone after a failure, and answering (a kept connection passes its health check)."""
    if not replica_configured() or _same_database() or health.is_down():
        return False
    connection = connections[REPLICA]
    try:
        # What Django does for every connection when a request starts: drop a connection that
        # broke or outlived CONN_MAX_AGE, and check a kept one once (CONN_HEALTH_CHECKS).
        connection.close_if_unusable_or_obsolete()
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as error:
        _close_quietly()
        health.failed(error, "on connecting")
        return False
    return True


def _close_quietly() -> None:
    # A connection that broke may fail to close; it is dropped all the same.
    with contextlib.suppress(DatabaseError):
        connections[REPLICA].close()


@contextmanager
def replica_reads() -> Iterator[None]:
    """Let reads inside go to the replica (see the module's rules). Nested contexts are one."""
    if _current.get() is not None:
        yield
        return
    token = _current.set(_Reads())
    try:
        yield
    finally:
        _current.reset(token)


def reads_from_replica(view: Callable) -> Callable:
    """Run a view that only reads inside `replica_reads()`. If the replica fails while the view
    reads from it, the view is run again, outside the context, on the primary. Put it below
    `login_required` (and below a django-ninja route), so that who is asking is known first."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with replica_reads():
            reads = _current.get()
            try:
                return view(*args, **kwargs)
            except (OperationalError, InterfaceError) as error:
                if not (reads and reads.alias == REPLICA and connections[REPLICA].errors_occurred):
                    raise
                reads.alias = DEFAULT  # also for an enclosing context, which this one is
                _close_quietly()
                health.failed(error, "while reading")
        return view(*args, **kwargs)

    # Copied by functools.wraps onto the decorators stacked above (login_required): a view can
    # be asked whether it reads from the replica.
    wrapped.reads_from_replica = True  # type: ignore[attr-defined]
    return wrapped


class ReplicaRouter:
    """Reads to "replica" inside `replica_reads()`, everything else to "default"."""

    def db_for_read(self, model, **hints) -> str:
        reads = _current.get()
        if (
            reads is None
            or reads.wrote
            or model._meta.app_label in FRESH_APPS
            or connections[DEFAULT].in_atomic_block
        ):
            return DEFAULT
        return reads.target()

    def db_for_write(self, model, **hints) -> str:
        reads = _current.get()
        if reads is not None:
            reads.wrote = True
        return DEFAULT

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # Both aliases hold the same rows: an object read from one may refer to the other's.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        # The replica follows the primary's WAL, schema included.
        if db == REPLICA:
            return False
        return True if db == DEFAULT else None
