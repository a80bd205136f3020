"""The dashboards against a real streaming replica of PostgreSQL (bench.pgcluster): while the
replica's replay is paused, the dashboard, the stats API and the leaderboard tell the figures it
holds and the office queue (not routed) the primary's; once it catches up, the new figures; a
kept replica connection that was cut is replaced or the request read again from the primary;
with the replica stopped, everything answers from the primary.

The application runs in subprocesses (this file run as a script, one step each) with
DATABASE_URL naming the primary and DATABASE_REPLICA_URL the replica, as a deployment would.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from bench.pgcluster import Cluster
from tests.services import service_missing

ROOT = Path(__file__).resolve().parents[2]
DEMO = "demo-01-trieu-sang-kien"
STANLEY = "T01-D018-C001"  # CĐ Công ty TNHH điện Stanley Việt Nam, under Hà Nội (T01)
LATE_TITLE = "Sáng kiến nộp khi bản sao tạm dừng"

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def cluster():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("PostgreSQL only: the replica is a streaming replica of PostgreSQL")
    reason = Cluster.unavailable()
    if reason:
        service_missing(f"cannot start throwaway PostgreSQL servers here: {reason}")
    with Cluster.primary() as primary:
        replica = primary.replica()
        primary.create_database("sangkien")
        replica.wait_caught_up()
        yield primary, replica


def _step(tmp_path: Path, primary: Cluster, replica: Cluster, step: str, *args: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_REPLICA_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "sangkien.settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": primary.url("sangkien"),
            "DATABASE_REPLICA_URL": replica.url("sangkien"),
            "SANGKIEN_VAR_DIR": str(tmp_path),
            "DB_CONN_MAX_AGE": "60",  # kept connections, as in production
            "DATABASE_REPLICA_RETRY_SECONDS": "0",
            "STATS_FOLD": "inline",
            "TASK_QUEUE": "inline",
            "FAST_PASSWORD_HASHER": "1",
            "LOG_LEVEL": "WARNING",
            "ACCESS_LOG_LEVEL": "WARNING",
        }
    )
    result = subprocess.run(
        [sys.executable, __file__, step, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, f"step {step} failed:\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_dashboards_read_the_streaming_replica_and_fall_back_to_the_primary(cluster, tmp_path):
    primary, replica = cluster
    started = time.monotonic()
    # given: the site on the primary, two initiatives of Stanley, the replica caught up
    token = _step(tmp_path, primary, replica, "setup")["token"]
    replica.wait_caught_up()
    caught_up = _step(tmp_path, primary, replica, "read", token)
    assert caught_up["figures"] == {"dashboard": 2, "stats": 2, "leaderboard": 2, "queue": 2}
    assert caught_up["replica_opened"] is True
    assert caught_up["warnings"] == []

    # when: the replica stops replaying and a third initiative reaches the primary
    replica.pause_replay()
    lagging = _step(tmp_path, primary, replica, "submit-and-read", token)

    # then: the routed reads tell the replica's figures, the queue the primary's
    assert lagging["figures"] == {"dashboard": 2, "stats": 2, "leaderboard": 2, "queue": 3}
    assert lagging["late_in_queue"] is True
    assert lagging["warnings"] == []

    # when: replay resumes; then: the new figures everywhere
    replica.resume_replay()
    replica.wait_caught_up()
    resumed = _step(tmp_path, primary, replica, "read-and-cut", token)
    assert resumed["figures"] == {"dashboard": 3, "stats": 3, "leaderboard": 3, "queue": 3}
    assert resumed["warnings"] == []

    # a kept replica connection cut between requests is replaced by the health check; cut in
    # the middle of a request, that request is read again from the primary
    cut = resumed["cut"]
    assert cut["after_cut_between"] == {"status": 200, "dashboard": 3, "warnings": []}
    assert cut["after_cut_during"]["status"] == 200
    assert cut["after_cut_during"]["dashboard"] == 3
    (warning,) = cut["after_cut_during"]["warnings"]
    assert warning.startswith("read replica unusable while reading")

    # when: the replica is stopped; then: every routed read answers from the primary
    replica.stop()
    stopped = _step(tmp_path, primary, replica, "read", token)
    assert stopped["figures"] == {"dashboard": 3, "stats": 3, "leaderboard": 3, "queue": 3}
    assert stopped["replica_opened"] is False
    assert len(stopped["warnings"]) == 1
    assert stopped["warnings"][0].startswith("read replica unusable on connecting")

    # and when it is back, the dashboard reads from it again
    replica.start()
    replica.wait_streaming()
    back = _step(tmp_path, primary, replica, "read", token)
    assert back["figures"]["dashboard"] == 3
    assert back["replica_opened"] is True
    print(f"replica scenario: {time.monotonic() - started:.1f} s")


# --- The application's side, run as `python test_replica.py <step> [token]` -------------------


def _collect_warnings() -> list[str]:
    import logging

    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            found.append(record.getMessage())

    logger = logging.getLogger("sangkien.common.dbrouting")
    logger.addHandler(Collect(level=logging.WARNING))
    return found


def _submit(title: str, phone: str) -> None:
    from datetime import timedelta
    from decimal import Decimal

    from sangkien.initiatives.services import AuthorInput, SubmissionInput, initiative_submit
    from sangkien.orgs.models import Unit
    from sangkien.orgs.queries import today
    from sangkien.programs.models import Program

    applied = today() - timedelta(days=20)
    data = SubmissionInput(
        unit=Unit.objects.get(code=STANLEY),
        block="doanh-nghiep",
        target_group="cong-nhan-doanh-nghiep",
        kind="giai-phap-ky-thuat",
        title=title,
        description=f"Mô tả: {title}.",
        first_applied_on=applied,
        recognized_by="council",
        recognition_number=f"{phone[-3:]}/QĐ",
        recognition_date=applied,
        benefit_vnd=1_000_000,
        benefit_text="",
        drive_link="",
        not_ip_protected=True,
        lawful=True,
        authors=[AuthorInput(full_name=f"Tác giả {phone}", phone=phone, share=Decimal(100))],
    )
    initiative_submit(program=Program.objects.get(code=DEMO), data=data, send_receipt=False)


def _setup() -> dict:
    from django.core.management import call_command

    from sangkien.accounts.services import officer_create, role_grant, token_issue
    from sangkien.orgs.models import Unit
    from sangkien.orgs.national import load_national_tree
    from sangkien.orgs.queries import today
    from sangkien.programs.services import load_demo_program, load_seed_programs

    call_command("migrate", verbosity=0)
    assert load_national_tree().ok
    load_seed_programs()
    load_demo_program(today())
    quantri = officer_create(username="quantri", password="mat-khau-thu-nghiem-2026")
    role_grant(officer=quantri, unit=Unit.objects.get(code="TLD"), kind="national_admin")
    _token, plain = token_issue(officer=quantri, name="replica")
    _submit("Sáng kiến thứ nhất", "0900000001")
    _submit("Sáng kiến thứ hai", "0900000002")
    return {"token": plain}


def _dashboard(client) -> tuple[int, int | None]:
    import re

    response = client.get("/office/thong-ke/TLD/", {"program": DEMO})
    found = re.search(r'id="total">([^<]*)<', response.content.decode())
    return response.status_code, int(found.group(1).replace(".", "")) if found else None


def _figures(token: str) -> dict:
    import re

    from django.test import Client

    from sangkien.accounts.models import Officer

    office = Client()
    office.force_login(Officer.objects.get(username="quantri"))
    status, dashboard = _dashboard(office)
    assert status == 200, status
    stats = Client().get(
        "/api/v1/stats",
        {"unit": "TLD", "program": DEMO},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert stats.status_code == 200, stats.content
    board = Client().get("/api/v1/leaderboard", {"program": DEMO})
    assert board.status_code == 200, board.content
    queue = office.get("/office/sang-kien/").content.decode()
    everything = re.search(r'Tất cả <span class="badge">(\d+)</span>', queue)
    return {
        "figures": {
            "dashboard": dashboard,
            "stats": stats.json()["total"],
            "leaderboard": next(u["count"] for u in board.json()["units"] if u["code"] == "T01"),
            "queue": int(everything.group(1)) if everything else None,
        },
        "late_in_queue": LATE_TITLE in queue,
    }


def _cut(warnings: list[str]) -> dict:
    """Cut the kept replica connection between two requests, then in the middle of one."""
    import psycopg
    from django.db import connections
    from django.test import Client

    from sangkien.accounts.models import Officer

    office = Client()
    office.force_login(Officer.objects.get(username="quantri"))
    replica = connections["replica"]
    assert replica.connection is not None, "the replica connection was not kept"
    params = replica.get_connection_params()

    def terminate(pid: int) -> None:
        with psycopg.connect(
            host=params["host"],
            port=params["port"],
            user=params["user"],
            dbname=params["dbname"],
            autocommit=True,
        ) as other:
            other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])

    result = {}
    terminate(replica.connection.info.backend_pid)
    warnings.clear()
    status, total = _dashboard(office)
    result["after_cut_between"] = {"status": status, "dashboard": total, "warnings": list(warnings)}

    cut = {"done": False}

    def cut_before_first_query(execute, sql, params_, many, context):
        if not cut["done"]:
            cut["done"] = True
            terminate(context["connection"].connection.info.backend_pid)
        return execute(sql, params_, many, context)

    warnings.clear()
    # The wrapper goes on the connection object the next request uses (kept, CONN_MAX_AGE).
    with replica.execute_wrapper(cut_before_first_query):
        status, total = _dashboard(office)
    result["after_cut_during"] = {"status": status, "dashboard": total, "warnings": list(warnings)}
    assert cut["done"]
    return result


def main(step: str, token: str = "") -> None:
    import django

    django.setup()
    from django.db import connections

    warnings = _collect_warnings()
    if step == "setup":
        out = _setup()
    else:
        if step == "submit-and-read":
            _submit(LATE_TITLE, "0900000003")
        out = _figures(token)
        out["warnings"] = list(warnings)
        out["replica_opened"] = any(
            c.alias == "replica" and c.connection is not None
            for c in connections.all(initialized_only=True)
        )
        if step == "read-and-cut":
            out["cut"] = _cut(warnings)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:])
