"""Gunicorn settings of an app server, all from the environment.

    gunicorn -c deploy/gunicorn.conf.py sangkien.wsgi

Several worker processes share one set of Prometheus metrics through files in
PROMETHEUS_MULTIPROC_DIR: this file empties that directory when the server starts and marks each
worker that exits as dead (its live gauges leave the sum, its counters stay in it). Without the
variable and with more than one worker, a private directory is made for this server and removed
when it stops, so `/metrics` is never one random worker's share.

See docs/DEPLOY.md for the variables and the topology.
"""

import os
import shutil
import tempfile
from pathlib import Path


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


bind = [item.strip() for item in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]
workers = _int("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1)
# More than one thread switches gunicorn to its threaded worker (gthread).
threads = _int("GUNICORN_THREADS", 1)
# A worker silent for longer is killed and replaced; a graceful stop waits this long for requests.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Connections waiting for a worker. Small enough that a surplus the workers cannot even refuse
# in time is turned away at connect, not after a wait longer than the browser's (a few hundred).
backlog = _int("GUNICORN_BACKLOG", 256)
# Recycle a worker after this many requests (0: never), with jitter so they do not all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
# The app writes its own access line per request (logger sangkien.access, no query strings);
# gunicorn's would repeat it with the raw path. GUNICORN_ACCESSLOG=- turns it on, to stdout.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Gunicorn's control socket lives in $HOME by default: two servers on one machine would share it.
control_socket_disable = True
wsgi_app = "sangkien.wsgi:application"

if os.environ.get("LOG_FORMAT", "plain").strip().lower() == "json":
    # Gunicorn's own lines (start, worker boot, timeouts) as JSON objects like the app's.
    _json = {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(levelname)s %(name)s %(message)s",
        "rename_fields": {"levelname": "level", "name": "logger"},
        "timestamp": True,
    }
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            # Not propagated: Django's own configuration in the worker also writes the root's.
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            # With a logging dictionary gunicorn always emits access lines: keep them off unless
            # asked for, since they carry the raw path and query string.
            "gunicorn.access": {
                "level": "INFO" if accesslog else "CRITICAL",
                "handlers": ["console"] if accesslog else [],
                "propagate": False,
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
        },
        "formatters": {"json": _json},
    }

_private_metrics_dir = None
if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _private_metrics_dir = tempfile.mkdtemp(prefix="sangkien-metrics-")
    # Set in the master before any worker is forked or imports prometheus_client.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _private_metrics_dir


def on_starting(server):
    """Metrics of a previous run would be added to this one's: start from an empty directory."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()


def child_exit(server, worker):
    """A worker exited (recycled, killed on timeout, crashed): its live gauges leave the sum."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _private_metrics_dir:
        shutil.rmtree(_private_metrics_dir, ignore_errors=True)
