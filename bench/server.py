"""The production-style server the benchmarks run against: gunicorn with several worker processes,
PostgreSQL, Redis, and the background workers, each a real process started and stopped here."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, redis_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """Production settings for a benchmark: DEBUG off, PostgreSQL, Redis for cache, sessions,
    rate limits and the task queue, counting by the numbers worker. Limits meant for people are
    lifted (every simulated member comes from 127.0.0.1), and the CAPTCHA is off (a program cannot
    read it); the site-wide admission limit stays as configured."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SANGKIEN_VAR_DIR": str(var_dir),
            "DEBUG": "0",
            "STATS_FOLD": "worker",
            "PROGRAM_CACHE_SECONDS": "30",
            "CAPTCHA_MODE": "off",
            "RATE_LIMIT_SUBMIT_IP": "100000000/60",
            "RATE_LIMIT_LOOKUP_IP": "100000000/60",
            "RATE_LIMIT_LOOKUP_RECEIPT": "100000000/60",
            "LOG_LEVEL": "WARNING",
            "NOTIFY_BACKENDS": "sangkien.common.notify.ConsoleSender",
        }
    )
    env.update(extra)
    return env


class Server:
    """gunicorn on a free port; `workers` processes (sync: one request at a time each)."""

    def __init__(self, env: dict[str, str], *, workers: int = 4, log: Path | None = None):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log or Path(env["SANGKIEN_VAR_DIR"]) / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Server":
        config = ROOT / "deploy" / "gunicorn.conf.py"
        command = [str(BIN / "gunicorn"), "sangkien.wsgi"]
        if config.exists():
            command += ["-c", str(config)]
        command += [
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--timeout",
            "60",
        ]
        self._out = self.log.open("ab")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.log}")
            try:
                with urllib.request.urlopen(self.base + "/bench/hello/", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in {timeout} s: see {self.log}")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def kill_worker(self) -> int:
        """SIGKILL one worker in the middle of its work; gunicorn's arbiter starts another."""
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process is not None:
            self._out.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class Command:
    """A manage.py command running beside the server (e.g. the numbers worker)."""

    def __init__(self, env: dict[str, str], *args: str, log: Path | None = None):
        self.env = env
        self.args = args
        self.log = log or Path(env["SANGKIEN_VAR_DIR"]) / f"{args[0]}.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        self._out = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", *self.args],
            cwd=ROOT,
            env=self.env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._out.close()


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
