"""Liveness and readiness for the load balancer, and the middleware that answers the probes first.

`/healthz` says the process answers (no database, no Redis: a database outage must not make the
orchestrator restart every app server). `/readyz` says this node can serve: the default database
answers a trivial query, Redis answers PING (when the site uses Redis), the file storage is there;
otherwise 503 with the failing check and Retry-After, so the load balancer stops sending traffic.
Each check has its own short timeout and never raises: a probe answers, it never answers 500.
"""

import functools
import logging
import os
from pathlib import Path

from django.conf import DEFAULT_STORAGE_ALIAS, settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse, JsonResponse

from sangkien.common import metrics

log = logging.getLogger(__name__)

REDIS_TIMEOUT_SECONDS = 2.0
# A node out of rotation is asked again by the load balancer anyway; this is for anything else.
RETRY_AFTER_SECONDS = 10
_redis_clients: dict = {}


def _no_store(response):
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _safe_method(view):
    @functools.wraps(view)
    def wrapped(request):
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        return view(request)

    return wrapped


@_safe_method
def healthz(request):
    """Liveness: the process is up and answers. Touches nothing else."""
    return _no_store(HttpResponse("ok", content_type="text/plain; charset=utf-8"))


def check_database() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        log.warning("readiness: database check failed: %s: %s", type(error).__name__, error)
        return False
    return True


def _redis_urls() -> list[str]:
    """Every Redis the site depends on: REDIS_URL, and the cache's servers if it is a Redis cache."""
    urls = [settings.REDIS_URL] if getattr(settings, "REDIS_URL", "") else []
    cache = settings.CACHES.get("default", {})
    if "redis" in cache.get("BACKEND", "").lower():
        location = cache.get("LOCATION") or []
        if isinstance(location, str):
            location = location.split(",")
        urls.extend(url.strip() for url in location if url.strip())
    return list(dict.fromkeys(urls))


def _redis_client(url: str):
    import redis

    client = _redis_clients.get(url)
    if client is None:
        # Our own small pool with timeouts: a Redis that stopped answering must fail the probe
        # within the load balancer's patience, not hang the worker.
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
        )
        _redis_clients[url] = client
    return client


def check_redis() -> bool | None:
    """None when the site uses no Redis (the check is then not reported)."""
    urls = _redis_urls()
    if not urls:
        return None
    for url in urls:
        try:
            _redis_client(url).ping()
        except Exception as error:
            # The URL may hold a password: name the error, never the address.
            log.warning("readiness: redis check failed: %s", type(error).__name__)
            return False
    return True


def check_storage() -> bool:
    """The attachments' storage: a writable directory, or an object-storage bucket that answers."""
    try:
        backend = storages[DEFAULT_STORAGE_ALIAS]
        if isinstance(backend, FileSystemStorage):
            location = Path(backend.location)
            location.mkdir(parents=True, exist_ok=True)
            return os.access(location, os.W_OK | os.X_OK)
        bucket_name = getattr(backend, "bucket_name", None)
        if bucket_name:
            # HEAD on the bucket: reachable, the bucket exists, our credentials are accepted (a
            # HEAD on a missing key could not tell a missing bucket from a missing object).
            backend.connection.meta.client.head_bucket(Bucket=bucket_name)
            return True
        backend.exists("readyz-probe")
    except Exception as error:
        log.warning("readiness: storage check failed: %s: %s", type(error).__name__, error)
        return False
    return True


@_safe_method
def readyz(request):
    """Readiness: 200 {"status": "ok", "checks": {...}} or 503 naming what failed."""
    checks = {"database": check_database()}
    redis_ok = check_redis()
    if redis_ok is not None:
        checks["redis"] = redis_ok
    checks["storage"] = check_storage()
    ready = all(checks.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {name: "ok" if passed else "error" for name, passed in checks.items()},
    }
    response = JsonResponse(body, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return _no_store(response)


class ProbeMiddleware:
    """Answers /healthz, /readyz and /metrics before the host check, sessions, CSRF and language.

    A load balancer or Prometheus asks by the node's own address (not an allowed host), sends no
    cookie and retries every few seconds: none of the machinery after this one concerns them. Any
    other method than GET/HEAD goes on to the URL configuration like every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.probes = {
            "/healthz": ("healthz", healthz),
            "/readyz": ("readyz", readyz),
            "/metrics": ("metrics", metrics.metrics_view),
        }

    def __call__(self, request):
        probe = self.probes.get(request.path_info)
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        request.metrics_route, view = probe
        return view(request)
