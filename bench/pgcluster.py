"""Throwaway PostgreSQL servers owned by a test or a benchmark: a primary, streaming replicas of
it, and the crashes and restarts a test needs to inflict on them.

    from bench.pgcluster import Cluster

    with Cluster.primary() as primary:          # initdb, start, wait until it answers
        replica = primary.replica()             # pg_basebackup -R, start, wait until streaming
        primary.create_database("sangkien")
        url = primary.url("sangkien")           # postgres://postgres@127.0.0.1:<port>/sangkien
        ...
        primary.restart()                       # fast shutdown, start, wait until it answers
        primary.kill()                          # SIGKILL, as a crash; start() recovers
    # every server stopped, every directory removed

Each server lives in its own directory under /tmp (data, Unix socket, log), listens on
127.0.0.1 only, at a free port unless one is given, and trusts every local connection including
replication: these are test servers, never reachable from elsewhere. Durability settings (fsync,
synchronous_commit, full_page_writes) are PostgreSQL's defaults, so a benchmark measures what
production would do; only initdb and pg_basebackup skip their final sync of the new files.

PostgreSQL refuses to run as root: when this process is root, every server command runs as the
`postgres` user (`runuser -u postgres --`) and the directories are given to that user; otherwise
the commands run as the current user. The binaries are found through $PG_BINDIR, `pg_config
--bindir`, or the newest /usr/lib/postgresql/*/bin. `Cluster.unavailable()` says why servers
cannot be made here (for a test's skip reason), or None.

Every failure raises `ClusterError` with the command's output and the last lines of the server's
log. Servers still running when the process exits are stopped (atexit) and their directories
removed.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SUPERUSER = "postgres"
OS_USER = "postgres"  # who runs the servers when this process is root
STARTUP_SECONDS = 60.0
LOG_TAIL_LINES = 40


class ClusterError(RuntimeError):
    """A server could not be created, started, stopped or queried; the message says why."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now (another process may take it before
    the server does: an automatic port is retried on "address in use")."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_bindir() -> Path | None:
    """Where initdb, pg_ctl, postgres, pg_basebackup and psql are."""
    candidates: list[str] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(os.environ["PG_BINDIR"])
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            )
            candidates.append(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass

    def version(path: str) -> tuple[int, ...]:
        digits = Path(path).parent.name
        return tuple(int(part) for part in digits.split(".") if part.isdigit())

    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for candidate in candidates:
        path = Path(candidate)
        if all((path / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres", "psql")):
            return path
    return None


def _as_root() -> bool:
    return os.geteuid() == 0


def _server_owner() -> tuple[int, int] | None:
    """(uid, gid) the directories must belong to, or None when they already do (not root)."""
    if not _as_root():
        return None
    entry = pwd.getpwnam(OS_USER)
    return entry.pw_uid, entry.pw_gid


def _pid_alive(pid: int) -> bool:
    """True while the process exists and is not a zombie (a killed postmaster whose parent, the
    init process, has not reaped it yet is gone for our purposes)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in {"Z", "X"}


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _lsn(text: str) -> int:
    """'16/B374D848' → an integer that orders like the position in the WAL."""
    high, low = text.strip().split("/")
    return (int(high, 16) << 32) + int(low, 16)


class Cluster:
    """One PostgreSQL server in its own directory. Make one with `Cluster.primary()` or
    `primary.replica()`; use it as a context manager (or call `close()`) to stop it and remove
    its directory."""

    def __init__(self, root: Path, port: int, bindir: Path, *, primary: Cluster | None = None):
        self.root = root
        self.port = port
        self.bindir = bindir
        self.primary_cluster = primary
        self.replicas: list[Cluster] = []
        self._auto_port = False
        self._closed = False
        self._settings: dict[str, object] = {}
        atexit.register(self.close)

    # --- Making servers -----------------------------------------------------------------------

    @staticmethod
    def unavailable() -> str | None:
        """Why servers cannot be made on this machine, or None when they can."""
        bindir = find_bindir()
        if bindir is None:
            return "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found"
        if not (bindir / "pg_basebackup").is_file():
            return f"pg_basebackup missing in {bindir}"
        if _as_root():
            if shutil.which("runuser") is None:
                return "running as root and runuser is missing"
            try:
                pwd.getpwnam(OS_USER)
            except KeyError:
                return f"running as root and there is no {OS_USER!r} user to run the servers"
        return None

    @classmethod
    def primary(
        cls, port: int | None = None, *, settings: dict[str, object] | None = None
    ) -> Cluster:
        """initdb a new server, start it, and wait until it accepts connections.

        `settings` are extra postgresql.conf parameters (e.g. {"max_connections": 300}); its
        replicas start with the same ones (a standby needs max_connections at least the
        primary's)."""
        reason = cls.unavailable()
        if reason:
            raise ClusterError(reason)
        bindir = find_bindir()
        assert bindir is not None
        cluster = cls(_new_root("primary"), port or free_port(), bindir)
        cluster._auto_port = port is None
        try:
            cluster._run(
                [
                    "initdb",
                    "--pgdata",
                    str(cluster.data),
                    "--username",
                    SUPERUSER,
                    "--auth",
                    "trust",
                    "--encoding",
                    "UTF8",
                    "--locale",
                    "C.UTF-8",
                    "--no-sync",
                ],
                what="initdb",
            )
            conf = cluster.data / "postgresql.conf"
            with conf.open("a") as out:
                out.write("\ninclude 'pgcluster.conf'\n")
            (cluster.data / "pg_hba.conf").write_text(
                "# bench.pgcluster: a throwaway server listening on 127.0.0.1 only\n"
                "local all all trust\n"
                "host all all 127.0.0.1/32 trust\n"
                "local replication all trust\n"
                "host replication all 127.0.0.1/32 trust\n"
            )
            cluster._write_settings(settings or {})
            cluster.start()
        except BaseException:
            cluster.close()
            raise
        return cluster

    def replica(self, port: int | None = None) -> Cluster:
        """A streaming replica of this server (pg_basebackup -R with its own replication slot, hot
        standby), started, and waited for until it is in recovery and streaming."""
        if self.primary_cluster is not None:
            raise ClusterError("replica() must be asked of a primary (no cascading replicas)")
        replica = Cluster(_new_root("replica"), port or free_port(), self.bindir, primary=self)
        replica._auto_port = port is None
        self.replicas.append(replica)
        slot = f"pgcluster_{replica.port}_{os.getpid()}"
        try:
            replica._run(
                [
                    "pg_basebackup",
                    "--pgdata",
                    str(replica.data),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--username",
                    SUPERUSER,
                    "--wal-method",
                    "stream",
                    "--checkpoint",
                    "fast",
                    "--write-recovery-conf",
                    "--create-slot",
                    "--slot",
                    slot,
                    "--no-sync",
                ],
                what="pg_basebackup",
                log_of=self,
            )
            # The copy holds the primary's pgcluster.conf (its port and socket): this one's own.
            replica._write_settings(self._extra_settings())
            replica.start()
            replica.wait_streaming()
        except BaseException:
            replica.close()
            raise
        return replica

    # --- Addresses ----------------------------------------------------------------------------

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "run"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    @property
    def is_replica(self) -> bool:
        return self.primary_cluster is not None

    def url(self, dbname: str = "postgres") -> str:
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def __repr__(self) -> str:
        kind = "replica" if self.is_replica else "primary"
        state = "running" if self.is_running() else "stopped"
        return f"<Cluster {kind} 127.0.0.1:{self.port} {state} {self.root}>"

    # --- Running ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the server and wait until it accepts connections (read-only ones for a replica).
        After `kill()` this is crash recovery."""
        self._clear_stale_locks()
        attempts = 10
        for attempt in range(attempts):
            mark = self._log_size()
            try:
                self._run(
                    [
                        "pg_ctl",
                        "start",
                        "--pgdata",
                        str(self.data),
                        "--log",
                        str(self.log_file),
                        "--wait",
                        "--timeout",
                        str(int(STARTUP_SECONDS)),
                    ],
                    what="pg_ctl start",
                )
                break
            except ClusterError:
                in_use = "Address already in use" in self._log_since(mark)
                if not in_use or attempt + 1 == attempts:
                    raise
                if self._auto_port:
                    # Someone took the free port between choosing and binding: choose again.
                    self.port = free_port()
                    self._write_settings(self._extra_settings())
                else:
                    # Clients know this port: wait for whoever holds it to let go.
                    time.sleep(0.5)
        # From now on clients (and replicas) know the port: it never changes again.
        self._auto_port = False
        self._wait_answering()

    def stop(self, mode: str = "fast") -> None:
        """Stop the server ("fast": roll back open transactions and disconnect clients; "smart":
        wait for them; "immediate": no shutdown checkpoint, recovery at the next start). A
        server that is not running is left alone."""
        pid = self._postmaster_pid_from_file()
        if pid is None or not _pid_alive(pid):
            return
        self._run(
            [
                "pg_ctl",
                "stop",
                "--pgdata",
                str(self.data),
                "--mode",
                mode,
                "--wait",
                "--timeout",
                str(int(STARTUP_SECONDS)),
            ],
            what=f"pg_ctl stop ({mode})",
        )
        self._wait_gone(pid, STARTUP_SECONDS)

    def restart(self) -> None:
        """Fast shutdown, then start and wait until the server answers again. A replica also
        waits until it streams again when its primary is running."""
        self.stop("fast")
        self.start()
        if self.is_replica and self.primary_cluster and self.primary_cluster.is_running():
            self.wait_streaming()

    def kill(self) -> None:
        """SIGKILL the postmaster, as a crash would, then make sure none of its processes
        survive (backends notice their postmaster's death within moments; stragglers are killed
        too). Open client connections break. `start()` then runs crash recovery."""
        pid = self._postmaster_pid_from_file()
        if pid is None or not _pid_alive(pid):
            return
        children = _children_of(pid)
        self._signal(pid, signal.SIGKILL)
        self._wait_gone(pid, 10)
        deadline = time.monotonic() + 5
        while any(_pid_alive(child) for child in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        for child in children:
            if _pid_alive(child):
                self._signal(child, signal.SIGKILL)
        for child in children:
            self._wait_gone(child, 5)

    def is_running(self) -> bool:
        pid = self._postmaster_pid_from_file()
        return pid is not None and _pid_alive(pid)

    def close(self) -> None:
        """Stop this server and its replicas and remove their directories (idempotent)."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        for replica in list(self.replicas):
            replica.close()
        try:
            self.stop("immediate")
        except ClusterError:
            self.kill()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
        if self.primary_cluster is not None and self in self.primary_cluster.replicas:
            self.primary_cluster.replicas.remove(self)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # --- Asking -------------------------------------------------------------------------------

    def sql(self, query: str, dbname: str = "postgres") -> str:
        """Run SQL through psql as the superuser and answer its output (unaligned, tuples only,
        fields separated by "|")."""
        result = subprocess.run(
            [
                str(self.bindir / "psql"),
                "--no-psqlrc",
                "--quiet",
                "--no-align",
                "--tuples-only",
                "--set",
                "ON_ERROR_STOP=1",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--username",
                SUPERUSER,
                "--dbname",
                dbname,
                "--command",
                query,
            ],
            capture_output=True,
            text=True,
            timeout=STARTUP_SECONDS,
            env={**os.environ, "PGCONNECT_TIMEOUT": "5"},
        )
        if result.returncode != 0:
            raise ClusterError(self._explain(f"psql {query!r}", result.stdout + result.stderr))
        return result.stdout.strip()

    def create_database(self, name: str) -> None:
        quoted = '"' + name.replace('"', '""') + '"'
        self.sql(f"CREATE DATABASE {quoted}")

    def in_recovery(self) -> bool:
        return self.sql("SELECT pg_is_in_recovery()") == "t"

    def wait_streaming(self, timeout: float = STARTUP_SECONDS) -> None:
        """Wait until this replica is in recovery and its WAL receiver streams from the primary."""
        if not self.is_replica:
            raise ClusterError("wait_streaming() must be asked of a replica")
        deadline = time.monotonic() + timeout
        status = ""
        while time.monotonic() < deadline:
            try:
                status = self.sql(
                    "SELECT pg_is_in_recovery()::text || ':' || "
                    "coalesce((SELECT status FROM pg_stat_wal_receiver), 'none')"
                )
            except ClusterError:
                status = "not answering"
            if status == "true:streaming":
                return
            time.sleep(0.1)
        raise ClusterError(
            self._explain(f"the replica is not streaming after {timeout:.0f} s ({status})", "")
        )

    def pause_replay(self) -> None:
        """Stop applying WAL on this replica (it keeps receiving): it serves the past until
        `resume_replay()`."""
        self.sql("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + STARTUP_SECONDS
        while self.sql("SELECT pg_get_wal_replay_pause_state()") != "paused":
            if time.monotonic() > deadline:
                raise ClusterError(self._explain("replay did not pause", ""))
            time.sleep(0.05)

    def resume_replay(self) -> None:
        self.sql("SELECT pg_wal_replay_resume()")

    def wait_caught_up(self, timeout: float = STARTUP_SECONDS) -> None:
        """Wait until this replica has replayed everything its primary had written when asked."""
        if self.primary_cluster is None:
            raise ClusterError("wait_caught_up() must be asked of a replica")
        target = _lsn(self.primary_cluster.sql("SELECT pg_current_wal_lsn()"))
        deadline = time.monotonic() + timeout
        replayed = 0
        while time.monotonic() < deadline:
            replayed = _lsn(self.sql("SELECT pg_last_wal_replay_lsn()"))
            if replayed >= target:
                return
            time.sleep(0.05)
        raise ClusterError(
            self._explain(
                f"the replica replayed up to {replayed:X}, not {target:X}, in {timeout:.0f} s", ""
            )
        )

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except FileNotFoundError:
            return "(no server log yet)"
        return "\n".join(text.splitlines()[-lines:])

    # --- Inside -------------------------------------------------------------------------------

    def _extra_settings(self) -> dict[str, object]:
        return dict(self._settings)

    def _write_settings(self, extra: dict[str, object]) -> None:
        self._settings = dict(extra)
        values: dict[str, object] = {
            "listen_addresses": "127.0.0.1",
            "port": self.port,
            "unix_socket_directories": str(self.socket_dir),
            "wal_level": "replica",
            "max_wal_senders": 10,
            "max_replication_slots": 10,
            # Enough WAL kept for a replica that was stopped for a while (slots keep the rest).
            "wal_keep_size": "256MB",
            "hot_standby": "on",
            # The primary keeps rows a replica's running query still needs, so dashboard reads
            # on the replica are not cancelled by vacuum.
            "hot_standby_feedback": "on",
            # A replica reconnects within a second of its primary coming back.
            "wal_retrieve_retry_interval": "1s",
            "logging_collector": "off",
            "log_line_prefix": "%m [%p] ",
            **extra,
        }
        lines = ["# written by bench.pgcluster; postgresql.conf includes it"]
        for name, value in values.items():
            text = str(value).replace("'", "''")
            lines.append(f"{name} = '{text}'")
        path = self.data / "pgcluster.conf"
        path.write_text("\n".join(lines) + "\n")
        self._give(path)
        self.socket_dir.mkdir(exist_ok=True)
        self._give(self.socket_dir)

    def _give(self, path: Path) -> None:
        owner = _server_owner()
        if owner is not None:
            os.chown(path, *owner)

    def _command(self, args: list[str]) -> list[str]:
        argv = [str(self.bindir / args[0]), *args[1:]]
        if _as_root():
            return ["runuser", "-u", OS_USER, "--", *argv]
        return argv

    def _run(self, args: list[str], *, what: str, log_of: Cluster | None = None) -> str:
        try:
            result = subprocess.run(
                self._command(args),
                capture_output=True,
                text=True,
                cwd=self.root,
                timeout=STARTUP_SECONDS * 2,
                # pg_ctl's children keep its stdout open: they must not inherit our pipes.
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as late:
            raise ClusterError(self._explain(f"{what} did not finish", str(late), log_of)) from None
        if result.returncode != 0:
            raise ClusterError(
                self._explain(
                    f"{what} failed (exit {result.returncode})",
                    result.stdout + result.stderr,
                    log_of,
                )
            )
        return result.stdout

    def _explain(self, what: str, output: str, log_of: Cluster | None = None) -> str:
        parts = [f"{what}: {self!r}"]
        if output.strip():
            parts.append("--- output ---\n" + output.strip())
        parts.append(f"--- last lines of {self.log_file} ---\n{self.log_tail()}")
        if log_of is not None:
            parts.append(f"--- last lines of {log_of.log_file} ---\n{log_of.log_tail()}")
        return "\n".join(parts)

    def _log_size(self) -> int:
        try:
            return self.log_file.stat().st_size
        except FileNotFoundError:
            return 0

    def _log_since(self, offset: int) -> str:
        try:
            with self.log_file.open("rb") as log:
                log.seek(offset)
                return log.read().decode(errors="replace")
        except FileNotFoundError:
            return ""

    def _postmaster_pid_from_file(self) -> int | None:
        try:
            first = (self.data / "postmaster.pid").read_text().split("\n", 1)[0]
        except (FileNotFoundError, IndexError):
            return None
        return int(first) if first.strip().isdigit() else None

    def _clear_stale_locks(self) -> None:
        """Remove the lock files of a postmaster that died without removing them (`kill()`).
        PostgreSQL ignores a lock file whose process is gone, but a killed postmaster stays a
        zombie until the init process reaps it, and this machine's init may take its time."""
        pid = self._postmaster_pid_from_file()
        if pid is None or _pid_alive(pid):
            return
        for lock in (self.data / "postmaster.pid", self.socket_dir / f".s.PGSQL.{self.port}.lock"):
            try:
                if lock.read_text().split("\n", 1)[0].strip() == str(pid):
                    lock.unlink()
            except FileNotFoundError:
                pass

    def _wait_answering(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        last = ""
        while time.monotonic() < deadline:
            try:
                self.sql("SELECT 1")
                return
            except ClusterError as refused:
                last = str(refused)
            time.sleep(0.1)
        raise ClusterError(f"the server started but does not answer: {last}")

    def _wait_gone(self, pid: int | None, timeout: float) -> None:
        if pid is None:
            return
        deadline = time.monotonic() + timeout
        while _pid_alive(pid):
            if time.monotonic() > deadline:
                raise ClusterError(
                    self._explain(f"process {pid} still alive after {timeout} s", "")
                )
            time.sleep(0.05)

    def _signal(self, pid: int, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


def _new_root(kind: str) -> Path:
    """A fresh directory under /tmp the server's user owns (0700: only it, and root, get in)."""
    root = Path(tempfile.mkdtemp(prefix=f"pgcluster-{kind}-", dir="/tmp"))
    owner = _server_owner()
    if owner is not None:
        os.chown(root, *owner)
    return root
