"""Liveness and readiness probes, and 503 (not 500) when the database cannot be reached."""

import socket
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client

from sangkien.common import metrics

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def unreachable_database(tmp_path):
    """The default connection pointed at a database that cannot be opened: for SQLite a file in
    a directory that does not exist, for PostgreSQL a port nobody listens on. Needs a transactional
    test (the connection is really closed and reopened)."""
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "missing" / "db.sqlite3")
    else:
        connection.settings_dict["HOST"] = "127.0.0.1"
        connection.settings_dict["PORT"] = str(closed_port())
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def db_unavailable(route: str) -> float:
    return (
        metrics.REGISTRY.get_sample_value(
            "sangkien_db_unavailable_responses_total", {"route": route}
        )
        or 0.0
    )


def expected_checks() -> dict:
    checks = {"database": "ok", "storage": "ok"}
    if django_settings.REDIS_URL or "redis" in django_settings.CACHES["default"]["BACKEND"]:
        checks["redis"] = "ok"
    return checks


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_healthz_answers_ok_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db(transaction=True)
def test_healthz_stays_ok_while_the_database_is_down(tmp_path):
    with unreachable_database(tmp_path):
        response = Client().get("/healthz")

    assert (response.status_code, response.content) == (200, b"ok")


def test_probes_skip_host_check_session_and_cookies():
    # A load balancer asks by the node's address, which is not an allowed host.
    client = Client(HTTP_HOST="10.20.30.40:8000")

    health = client.get("/healthz")
    ready = client.get("/readyz")
    page = client.get("/")

    assert (health.status_code, ready.status_code, page.status_code) == (200, 200, 400)
    assert health.cookies == {} and ready.cookies == {}
    assert "Vary" not in health  # the language middleware never saw it


def test_probes_answer_only_get_and_head():
    client = Client()

    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


def test_readyz_ok_lists_every_check():
    response = Client().get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": expected_checks()}
    assert "Retry-After" not in response
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db(transaction=True)
def test_readyz_503_with_retry_after_when_the_database_is_unreachable(tmp_path):
    before = db_unavailable("readyz")

    with unreachable_database(tmp_path):
        response = Client().get("/readyz")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json() == {
        "status": "unavailable",
        "checks": {**expected_checks(), "database": "error"},
    }
    assert db_unavailable("readyz") == before + 1
    # And once the database is back, ready again.
    assert Client().get("/readyz").status_code == 200


def test_readyz_503_when_redis_does_not_answer(settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "error"
    assert response.json()["checks"]["database"] == "ok"
    assert response["Retry-After"] == "10"


def test_readyz_503_when_the_file_storage_cannot_be_used(settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "error"
    assert response.json()["status"] == "unavailable"


@pytest.mark.django_db(transaction=True)
def test_a_page_answered_503_for_a_lost_database_is_counted(tmp_path):
    if connections["default"].vendor != "postgresql":
        pytest.skip(
            "an unopenable SQLite file is not a lost connection to sangkien.common.unavailable, "
            "which answers the 503 page; a refused PostgreSQL connection is"
        )
    before = db_unavailable("public:home")

    with unreachable_database(tmp_path):
        response = Client().get("/")

    assert response.status_code == 503
    assert response["Retry-After"]
    assert db_unavailable("public:home") == before + 1


def test_a_503_that_is_not_the_database_is_not_counted(settings, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"
    before = db_unavailable("readyz")

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert db_unavailable("readyz") == before
