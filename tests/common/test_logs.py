"""The access log: one line per request with route, status, duration and request id; JSON lines
when LOG_FORMAT=json; never a query string, a path's identifiers or a body."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.initiatives.files import PDF, upload

ROOT = Path(__file__).resolve().parents[2]
PHONE = "0912345678"


@pytest.fixture
def access(caplog):
    caplog.set_level(logging.DEBUG, logger="sangkien.access")
    return lambda: [r for r in caplog.records if r.name == "sangkien.access"]


@pytest.mark.django_db
def test_one_access_record_per_request_with_route_status_duration_and_request_id(access):
    response = Client().get(f"/khong-co-trang-nay/?phone={PHONE}&q=bi-mat")

    (record,) = access()
    assert record.levelno == logging.INFO
    assert (record.method, record.route, record.status) == ("GET", "unmatched", 404)
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0
    assert record.request_id == response["X-Request-ID"]
    assert record.getMessage() == f"GET unmatched 404 {record.duration_ms:.1f} ms"


@pytest.mark.django_db
def test_access_record_keeps_a_sane_request_id_and_replaces_another(access):
    Client().get("/", HTTP_X_REQUEST_ID="3f2b9c1d-7a6e-4c21-9d0b-5e8f7a6b4c3d")
    Client().get("/", HTTP_X_REQUEST_ID="x\r\nInjected: yes")

    kept, replaced = access()
    assert kept.request_id == "3f2b9c1d-7a6e-4c21-9d0b-5e8f7a6b4c3d"
    assert replaced.request_id != "x\r\nInjected: yes" and len(replaced.request_id) == 32


@pytest.mark.django_db
def test_a_submission_is_logged_without_its_path_values_or_body(
    access, caplog, national, open_program, form_data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.CAPTCHA_MODE = "off"
    data = form_data(open_program)

    response = Client().post(
        f"/chuong-trinh/{open_program.code}/nop/?ref={PHONE}",
        {**data, "attachments": [upload("a.pdf", PDF)]},
    )

    assert response.status_code == 302
    (record,) = [r for r in access() if r.route == "public:submit"]
    assert (record.method, record.status) == ("POST", 302)
    everything = "\n".join(r.getMessage() + repr(r.__dict__) for r in access())
    for secret in (PHONE, "0912 345 678", data["author_id_number"], open_program.code, "?"):
        assert secret not in everything, secret


@pytest.mark.django_db
def test_successful_probes_log_at_debug_and_failing_ones_at_info(access, settings, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")

    Client().get("/healthz")
    settings.MEDIA_ROOT = blocker / "media"
    Client().get("/readyz")

    ok, failing = access()
    assert (ok.route, ok.levelno) == ("healthz", logging.DEBUG)
    assert (failing.route, failing.status, failing.levelno) == ("readyz", 503, logging.INFO)


SCRIPT = f"""
import logging

import django

django.setup()
from django.test import Client

client = Client()
client.get("/khong-co-trang-nay/SK-ABC123/?phone={PHONE}&q=bi-mat", HTTP_X_REQUEST_ID="lb-req-000123")
client.get("/metrics?token=bi-mat")
logging.getLogger("sangkien.test").warning("Một dòng của ứng dụng")
"""


def test_json_lines_when_log_format_is_json(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "TASK_QUEUE_URL"}
    }
    env.update(
        LOG_FORMAT="json",
        SANGKIEN_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="sangkien.settings",
    )

    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    lines = [line for line in done.stderr.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"timestamp", "level", "logger", "message"} <= set(r) for r in records)
    access = [r for r in records if r["logger"] == "sangkien.access"]
    # The successful scrape is a DEBUG line, below the configured INFO.
    assert [(r["method"], r["route"], r["status"]) for r in access] == [("GET", "unmatched", 404)]
    first = access[0]
    assert first["request_id"] == "lb-req-000123"
    assert first["level"] == "INFO" and isinstance(first["duration_ms"], float)
    assert first["timestamp"].endswith("+00:00")
    # Django's own "Not Found" line, written inside the request, carries the same request id.
    (not_found,) = [r for r in records if r["logger"] == "django.request"]
    assert not_found["request_id"] == "lb-req-000123"
    assert "request" not in not_found  # Django's request object prints the query string
    (app,) = [r for r in records if r["logger"] == "sangkien.test"]
    assert (app["level"], app["message"]) == ("WARNING", "Một dòng của ứng dụng")
    assert "request_id" not in app  # written outside any request
    for secret in (PHONE, "bi-mat", "?"):
        assert secret not in done.stderr, secret
    assert "SK-ABC123" not in json.dumps(access)  # the route, not the path
