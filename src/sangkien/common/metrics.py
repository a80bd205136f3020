"""Every request counted, timed and logged once: Prometheus metrics, request ids, the access log.

The middleware is the outermost one (see the operations block of settings), so what it measures
includes every other middleware and what it logs is the status the client really got. Labels are
route names (`public:submit`), never raw paths: a path holds receipt codes and unit codes, which
would make one time series per initiative and put identifiers into the monitoring system.

Under gunicorn every worker is a process with its own counters; with PROMETHEUS_MULTIPROC_DIR set
(before the process starts) prometheus_client keeps them in files there and `/metrics` adds them up
(`deploy/gunicorn.conf.py` wipes the directory at start and marks dead workers).
"""

import contextvars
import hmac
import ipaddress
import logging
import os
import re
import time
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import request_finished
from django.db import connections
from django.http import Http404, HttpResponse
from django.urls import Resolver404, resolve
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

access_log = logging.getLogger("sangkien.access")

REQUESTS = Counter(
    "sangkien_http_requests",
    "HTTP requests answered, by method, route name and status class.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "sangkien_http_request_duration_seconds",
    "Time from the request entering the app to its response leaving it, by route name.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
IN_PROGRESS = Gauge(
    "sangkien_http_requests_in_progress",
    "Requests being answered right now, over all live workers.",
    multiprocess_mode="livesum",
)
SUBMISSIONS = Counter(
    "sangkien_submissions_acknowledged",
    "Receipts given by the public form: its POST answered by a redirect to the receipt "
    "(a repeated POST of the same form answers the same receipt again and counts again).",
)
DB_UNAVAILABLE = Counter(
    "sangkien_db_unavailable_responses",
    "Responses 503 because the database could not be used, by route name.",
    ["route"],
)

SUBMIT_ROUTE = "public:submit"
RECEIPT_ROUTE = "public:receipt"
# Probes answer every few seconds; when they succeed their access line is DEBUG, not INFO.
PROBE_ROUTES = frozenset({"healthz", "readyz", "metrics"})
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# A request id given by the load balancer is kept if it looks like one (a UUID, a hex string, a
# trace id); anything else (too long, spaces, quotes, control characters) is replaced by ours.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "sangkien_request_id", default=""
)


def _forget_request_id(**kwargs) -> None:
    current_request_id.set("")


request_finished.connect(_forget_request_id, dispatch_uid="sangkien.metrics.request_id")


def request_id_of(request) -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if REQUEST_ID_PATTERN.fullmatch(given) else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the id of the request being answered on every log record written while answering it
    (the JSON formatter then writes it as `request_id`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            request_id = current_request_id.get()
            if request_id:
                record.request_id = request_id
        return True


def route_name(request) -> str:
    """The resolver's name of what was asked (`namespace:url_name`), a fixed word for what has none.

    The set of answers is the set of routes, so it cannot grow with traffic."""
    named = getattr(request, "metrics_route", None)  # set by the probe middleware
    if named:
        return named
    match = getattr(request, "resolver_match", None)
    if match is None:
        if request.path_info.startswith(settings.STATIC_URL):
            return "static"
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unmatched"
        except Exception:  # a path the resolver chokes on is still just an unmatched path
            return "unmatched"
    return match.view_name


def _is_receipt_redirect(response) -> bool:
    location = response.get("Location", "")
    if not location:
        return False
    try:
        return resolve(urlsplit(location).path).view_name == RECEIPT_ROUTE
    except Exception:
        return False


def _database_failed() -> bool:
    """A database connection of this thread reported an error while the request was answered.

    Django sets `errors_occurred` on any database error but a data or integrity error, and clears
    it when the connection is found usable again at the next request (or reopened). A 503 with it
    set is the database-unavailable page (`sangkien.common.unavailable`), not admission control."""
    return any(conn.errors_occurred for conn in connections.all(initialized_only=True))


class RequestMetricsMiddleware:
    """Counts, times and logs each request once, and gives it a request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id_of(request)
        # Kept until the response is closed (request_finished): Django logs a 4xx/5xx after the
        # middleware has returned, and that line belongs to this request too.
        current_request_id.set(request.request_id)
        IN_PROGRESS.inc()
        try:
            response = self.get_response(request)
            self._record(request, response, time.perf_counter() - started)
            response.headers["X-Request-ID"] = request.request_id
            return response
        finally:
            IN_PROGRESS.dec()

    def _record(self, request, response, duration: float) -> None:
        route = route_name(request)
        method = request.method if request.method in METHODS else "other"
        status = response.status_code
        REQUESTS.labels(method, route, f"{status // 100}xx").inc()
        LATENCY.labels(route).observe(duration)
        if status == 503 and _database_failed():
            DB_UNAVAILABLE.labels(route).inc()
        if (
            route == SUBMIT_ROUTE
            and request.method == "POST"
            and status == 302
            and _is_receipt_redirect(response)
        ):
            SUBMISSIONS.inc()
        duration_ms = round(duration * 1000, 1)
        level = logging.DEBUG if route in PROBE_ROUTES and status < 400 else logging.INFO
        # The route, never the path or its query string: paths hold receipt codes, query strings
        # hold searches and phone numbers; bodies are never logged.
        access_log.log(
            level,
            "%s %s %s %.1f ms",
            method,
            route,
            status,
            duration_ms,
            extra={
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": duration_ms,
                "request_id": request.request_id,
            },
        )


# --- /metrics -----------------------------------------------------------------------------------


def _from_loopback(request) -> bool:
    """The peer is this machine and nothing relayed the request. A reverse proxy on the same host
    connects from loopback for every client, so a forwarded request is never "local"."""
    meta = request.META
    if any(h in meta for h in ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")):
        return False
    try:
        address = ipaddress.ip_address(meta.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback


def _has_token(request) -> bool:
    expected = settings.METRICS_TOKEN
    if not expected:
        return False
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), expected.encode()
    )


def metrics_allowed(request) -> bool:
    return _has_token(request) or _from_loopback(request)


def metrics_registry():
    """All workers' metrics in multiprocess mode, this process's otherwise."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def metrics_view(request):
    """The metrics in Prometheus's text format, for loopback or the bearer of METRICS_TOKEN; to
    anybody else the address does not exist."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    if not metrics_allowed(request):
        raise Http404
    response = HttpResponse(generate_latest(metrics_registry()), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
