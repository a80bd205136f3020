"""The read replica (sangkien.common.dbrouting): the settings, where each read goes, the views
that read from the replica, a replica that cannot be reached or fails while a view reads from it.

The replica here is another database file or address given to the "replica" alias for one test:
an empty SQLite file (reachable, but every query on it fails), a copy of the test database (a
replica that stopped replaying), a closed port. tests/common/test_replica.py runs a real
streaming replica of PostgreSQL."""

import json
import logging
import os
import re
import socket
import sqlite3
import subprocess
import sys
from html import unescape

import dj_database_url
import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connections, transaction
from django.test import Client

from sangkien.accounts.models import Officer
from sangkien.accounts.services import token_issue
from sangkien.api import stats as stats_api
from sangkien.common import dbrouting
from sangkien.common.dbrouting import DEFAULT, REPLICA, ReplicaRouter, replica_reads
from sangkien.office import dashboard_views
from sangkien.orgs.models import Unit
from sangkien.public import honour
from sangkien.targets.models import Tally
from tests.conftest import STANLEY
from tests.targets import conftest as numbers_fixtures

submit_many = numbers_fixtures.submit_many

ROUTER = "sangkien.common.dbrouting.ReplicaRouter"
DEMO = "demo-01-trieu-sang-kien"
LOGGER = "sangkien.common.dbrouting"


# Tests that read through the replica name both databases (pytest-django refuses a connection to
# an alias a test did not declare) and run outside a transaction (inside one, reads stay on
# default, by design).
ON_BOTH = pytest.mark.django_db(transaction=True, databases=[DEFAULT, REPLICA])


def _drop_replica_connection() -> None:
    if any(c.alias == REPLICA for c in connections.all(initialized_only=True)):
        connections[REPLICA].close()
        del connections[REPLICA]


def _point_replica(url: str) -> None:
    """The "replica" alias now means `url`, parsed as the settings parse DATABASE_REPLICA_URL,
    with Django's defaults filled in."""
    _drop_replica_connection()
    conf = dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True)
    if conf["ENGINE"] == "django.db.backends.postgresql":
        conf.setdefault("OPTIONS", {})["connect_timeout"] = 2
    conf["TEST"] = {"MIRROR": DEFAULT}
    connections.settings[REPLICA] = connections.configure_settings(
        {DEFAULT: dict(connections.settings[DEFAULT]), REPLICA: conf}
    )[REPLICA]


@pytest.fixture(scope="module", autouse=True)
def _replica_alias(tmp_path_factory):
    """The "replica" alias exists while this module runs (before any test declares it), pointing
    at an unused file until a test points it elsewhere; the alias the settings made, if any, is
    put back afterwards."""
    saved = connections.settings.get(REPLICA)
    saved_connection = connections[REPLICA] if saved is not None else None
    unused = f"sqlite:///{tmp_path_factory.mktemp('replica') / 'unused.sqlite3'}"
    _point_replica(unused)
    yield unused
    _drop_replica_connection()
    if saved is None:
        del connections.settings[REPLICA]
    else:
        connections.settings[REPLICA] = saved
        connections[REPLICA] = saved_connection


@pytest.fixture
def replica_at(settings, _replica_alias):
    """replica_at(url): the replica is `url` for this test, the router is on, a failed replica is
    tried again at once, and what the process remembers of the replica's health is forgotten
    before and after."""
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.DATABASE_REPLICA_RETRY_SECONDS = 0
    dbrouting.health.reset()
    yield _point_replica
    _point_replica(_replica_alias)
    dbrouting.health.reset()


@pytest.fixture
def empty_replica(replica_at, tmp_path):
    """A replica that answers but holds no table: a read that reaches it fails."""
    replica_at(f"sqlite:///{tmp_path / 'empty-replica.sqlite3'}")


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 that refuses connections: bound by us, never listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def figures(national, open_program, submit_many, make_officer):
    """Two initiatives of Stanley (Hà Nội), and a national administrator."""
    submit_many(national[STANLEY], 2)
    return {"quantri": make_officer("quantri", "TLD", "national_admin"), "program": open_program}


def _dashboard_total(response) -> int:
    assert response.status_code == 200, response.content[:500]
    found = re.search(r'id="total">([^<]*)<', response.content.decode())
    assert found, "no #total on the dashboard"
    return int(unescape(found.group(1)).replace(".", ""))


def _stats_total(quantri) -> int:
    _token, plain = token_issue(officer=quantri, name="thử")
    response = Client().get(
        "/api/v1/stats",
        {"unit": "TLD", "program": DEMO},
        headers={"Authorization": f"Bearer {plain}"},
    )
    assert response.status_code == 200, response.content
    return response.json()["total"]


def _leaderboard_count(code: str) -> int:
    response = Client().get("/api/v1/leaderboard", {"program": DEMO})
    assert response.status_code == 200, response.content
    return next(row["count"] for row in response.json()["units"] if row["code"] == code)


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelname == "WARNING"]


# --- Settings -------------------------------------------------------------------------------


def _settings_seen(tmp_path, **env: str) -> dict:
    """DATABASES["replica"] and DATABASE_ROUTERS as a fresh process reads them from `env`."""
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'replica': settings.DATABASES.get('replica'), "
        "'default_age': settings.DATABASES['default']['CONN_MAX_AGE'], "
        "'routers': getattr(settings, 'DATABASE_ROUTERS', [])}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "sangkien.settings",
            "SANGKIEN_VAR_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_settings_without_a_replica_url_change_nothing(tmp_path):
    seen = _settings_seen(tmp_path)

    assert seen["replica"] is None
    assert ROUTER not in seen["routers"]


def test_settings_with_a_replica_url_add_the_alias_and_the_router(tmp_path):
    seen = _settings_seen(tmp_path, DATABASE_REPLICA_URL="postgres://reader@10.0.0.2:5433/sangkien")

    replica = seen["replica"]
    assert (replica["ENGINE"], replica["HOST"], replica["PORT"], replica["NAME"]) == (
        "django.db.backends.postgresql",
        "10.0.0.2",
        5433,
        "sangkien",
    )
    assert replica["CONN_MAX_AGE"] == seen["default_age"]
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert replica["OPTIONS"] == {"connect_timeout": 2}
    assert replica["TEST"]["MIRROR"] == "default"
    assert seen["routers"][-1] == ROUTER


# --- Where reads go -------------------------------------------------------------------------


def test_router_sends_everything_to_default_outside_the_context():
    router = ReplicaRouter()

    assert router.db_for_read(Tally) == DEFAULT
    assert router.db_for_read(Unit, instance=Unit(code="X")) == DEFAULT
    assert router.db_for_write(Tally) == DEFAULT


def test_router_allows_relations_between_the_two_and_migrations_only_on_default():
    router = ReplicaRouter()
    on_default, on_replica, elsewhere = Unit(), Unit(), Unit()
    on_default._state.db, on_replica._state.db, elsewhere._state.db = DEFAULT, REPLICA, "other"

    assert router.allow_relation(on_default, on_replica) is True
    assert router.allow_relation(on_replica, on_replica) is True
    assert router.allow_relation(on_replica, elsewhere) is None
    assert router.allow_migrate(DEFAULT, "targets") is True
    assert router.allow_migrate(REPLICA, "targets") is False


@ON_BOTH
def test_router_sends_reads_in_the_context_to_the_replica(empty_replica):
    router = ReplicaRouter()

    with replica_reads():
        assert router.db_for_read(Tally) == REPLICA
        assert router.db_for_read(Unit) == REPLICA
        # Who is signed in and what they may see is never stale.
        assert router.db_for_read(Officer) == DEFAULT
        assert router.db_for_read(Session) == DEFAULT
        with transaction.atomic():
            assert router.db_for_read(Tally) == DEFAULT
        assert router.db_for_write(Tally) == DEFAULT
        # Once something was written, the rest of the context reads its own writes.
        assert router.db_for_read(Tally) == DEFAULT
    assert router.db_for_read(Tally) == DEFAULT


@ON_BOTH
def test_a_read_in_the_context_reaches_the_replica_and_nothing_else_does(empty_replica):
    Unit.objects.count()  # given: the primary answers

    with replica_reads(), pytest.raises(OperationalError, match="no such table"):
        Unit.objects.count()
    with replica_reads(), transaction.atomic():
        assert Unit.objects.count() == 0
    with replica_reads():
        Unit.objects.filter(code="no-such-unit").update(name="x")
        assert Unit.objects.count() == 0
    with replica_reads():
        with replica_reads():
            pass  # a nested context is the same context
        with pytest.raises(OperationalError, match="no such table"):
            Unit.objects.count()
    assert Unit.objects.count() == 0


@ON_BOTH
def test_a_replica_that_is_the_primary_is_not_used(replica_at):
    replica_at("sqlite:///unused.sqlite3")
    connections.settings[REPLICA].update(
        {key: connections[DEFAULT].settings_dict[key] for key in ("ENGINE", "HOST", "PORT", "NAME")}
    )

    with replica_reads():
        assert ReplicaRouter().db_for_read(Tally) == DEFAULT


# --- The views that read from the replica ----------------------------------------------------


def test_the_dashboard_the_honour_board_and_the_stats_api_read_from_the_replica():
    views = {
        "dashboard_home": dashboard_views.dashboard_home,
        "dashboard": dashboard_views.dashboard_view,
        "dashboard_file": dashboard_views.dashboard_file,
        "honour": honour.honour,
    }
    for path in ("/stats", "/leaderboard"):
        (operation,) = stats_api.router.path_operations[path].operations
        assert operation.methods == ["GET"]
        views[path] = operation.view_func

    assert {name: getattr(view, "reads_from_replica", False) for name, view in views.items()} == {
        name: True for name in views
    }


ROUTED = {
    "dashboard_home": ("office", "/office/thong-ke/", 302),
    "dashboard": ("office", "/office/thong-ke/TLD/", 200),
    "dashboard_csv": ("office", "/office/thong-ke/TLD/bao-cao.csv", 200),
    "dashboard_xlsx": ("office", "/office/thong-ke/TLD/bao-cao.xlsx", 200),
    "dashboard_pdf": ("office", "/office/thong-ke/TLD/bao-cao.pdf", 200),
    "honour": ("public", "/vinh-danh/", 200),
    "stats": ("token", f"/api/v1/stats?unit=TLD&program={DEMO}", 200),
    "leaderboard": ("public", f"/api/v1/leaderboard?program={DEMO}", 200),
}


@ON_BOTH
@pytest.mark.parametrize("name", list(ROUTED))
def test_a_view_whose_replica_fails_mid_request_answers_from_the_primary(
    name, figures, client_for, empty_replica, caplog
):
    who, url, status = ROUTED[name]
    if who == "office":
        client, headers = client_for(figures["quantri"]), {}
    elif who == "token":
        _token, plain = token_issue(officer=figures["quantri"], name="thử")
        client, headers = Client(), {"Authorization": f"Bearer {plain}"}
    else:
        client, headers = Client(), {}

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response = client.get(url, headers=headers)

    assert response.status_code == status, response.content[:500]
    # The view read from the replica (that is where it failed), then again from the primary.
    (warning,) = _warnings(caplog)
    assert warning.startswith("read replica unusable while reading")
    assert "no such table" in warning
    if name == "dashboard":
        assert _dashboard_total(response) == 2
    if name == "stats":
        assert response.json()["total"] == 2


@ON_BOTH
def test_the_office_queue_does_not_read_from_the_replica(
    figures, client_for, empty_replica, caplog
):
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response = client_for(figures["quantri"]).get("/office/sang-kien/")

    assert response.status_code == 200
    assert _warnings(caplog) == []


@ON_BOTH
def test_dashboard_reads_a_stale_replica_while_the_queue_reads_the_primary(
    figures, national, submit_many, client_for, replica_at, tmp_path
):
    if connections[DEFAULT].vendor != "sqlite":
        pytest.skip("a copy of the SQLite file stands for the replica; test_replica.py runs one")
    # given: a replica that stopped replaying after the first two initiatives
    copy = tmp_path / "stale-replica.sqlite3"
    connections[DEFAULT].ensure_connection()
    target = sqlite3.connect(copy)
    connections[DEFAULT].connection.backup(target)
    target.close()
    replica_at(f"sqlite:///{copy}")
    office = client_for(figures["quantri"])

    # when: a third initiative reaches the primary
    (third,) = submit_many(national[STANLEY], 1)

    # then: the dashboard, the stats and the leaderboard tell the replica's figure, the office
    # queue (not routed) lists the third
    assert _dashboard_total(office.get("/office/thong-ke/TLD/")) == 2
    assert _stats_total(figures["quantri"]) == 2
    assert _leaderboard_count("T01") == 2
    queue = office.get("/office/sang-kien/").content.decode()
    assert third.title in queue
    assert third.receipt_display in queue


# --- A replica that cannot be reached ---------------------------------------------------------


@ON_BOTH
def test_dashboard_answers_from_the_primary_when_the_replica_port_is_closed(
    figures, client_for, replica_at, closed_port, caplog, settings
):
    replica_at(f"postgres://postgres@127.0.0.1:{closed_port}/sangkien")
    office = client_for(figures["quantri"])

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        first = office.get("/office/thong-ke/TLD/")
        second = office.get("/office/thong-ke/TLD/")  # tried again (no wait in this test)

    assert _dashboard_total(first) == 2
    assert _dashboard_total(second) == 2
    # One warning a minute per process, however many requests fell back.
    (warning,) = _warnings(caplog)
    assert warning.startswith("read replica unusable on connecting")
    assert str(closed_port) in warning


@ON_BOTH
def test_a_replica_that_failed_is_left_alone_for_the_retry_period(
    figures, client_for, replica_at, closed_port, settings
):
    replica_at(f"postgres://postgres@127.0.0.1:{closed_port}/sangkien")
    settings.DATABASE_REPLICA_RETRY_SECONDS = 60
    office = client_for(figures["quantri"])
    assert not dbrouting.health.is_down()

    assert _dashboard_total(office.get("/office/thong-ke/TLD/")) == 2

    assert dbrouting.health.is_down()
    with replica_reads():
        assert ReplicaRouter().db_for_read(Tally) == DEFAULT
