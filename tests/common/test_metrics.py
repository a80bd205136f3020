"""Prometheus metrics: labelled by route name, guarded, and summed over gunicorn's workers."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

from sangkien.common import metrics
from tests.initiatives.files import PDF, upload

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOME_OK = {"method": "GET", "route": "public:home", "status": "2xx"}


def sample(name: str, labels: dict | None = None) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels or {}) or 0.0


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CAPTCHA_MODE = "off"


# --- in one process -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_requests_counted_by_route_name_and_status_class():
    before = sample("sangkien_http_requests_total", HOME_OK)
    timed = sample("sangkien_http_request_duration_seconds_count", {"route": "public:home"})

    for _ in range(3):
        assert Client().get("/?q=0912345678").status_code == 200

    assert sample("sangkien_http_requests_total", HOME_OK) == before + 3
    assert (
        sample("sangkien_http_request_duration_seconds_count", {"route": "public:home"})
        == timed + 3
    )


@pytest.mark.django_db
def test_paths_never_become_labels(national):
    unmatched = {"method": "GET", "route": "unmatched", "status": "4xx"}
    lookup = {"method": "GET", "route": "public:lookup_detail", "status": "3xx"}
    before = (
        sample("sangkien_http_requests_total", unmatched),
        sample("sangkien_http_requests_total", lookup),
    )

    Client().get("/khong-co-trang-nay-SK-12345/")
    Client().get("/tra-cuu/SK-ABCDE1/")
    Client().get("/tra-cuu/SK-ZYXWV2/")
    text = Client().get("/metrics").content.decode()

    assert sample("sangkien_http_requests_total", unmatched) == before[0] + 1
    assert sample("sangkien_http_requests_total", lookup) == before[1] + 2
    assert "khong-co" not in text and "SK-ABCDE1" not in text and "SK-" not in text


@pytest.mark.django_db
def test_unknown_method_is_one_label_not_many():
    other = {"method": "other", "route": "public:home", "status": "2xx"}
    before = sample("sangkien_http_requests_total", other)

    Client().generic("BREW", "/")

    assert sample("sangkien_http_requests_total", other) == before + 1
    assert sample("sangkien_http_requests_total", {**other, "method": "BREW"}) == 0.0


@pytest.mark.django_db
def test_submission_acknowledged_counted_when_the_form_redirects_to_the_receipt(
    national, open_program, form_data
):
    before = sample("sangkien_submissions_acknowledged_total")
    client = Client()
    url = f"/chuong-trinh/{open_program.code}/nop/"
    data = form_data(open_program)

    refused = client.post(url, {**data, "title": ""})
    assert refused.status_code == 422
    assert sample("sangkien_submissions_acknowledged_total") == before

    done = client.post(url, {**data, "attachments": [upload("a.pdf", PDF)]})

    assert done.status_code == 302 and "/bien-nhan/" in done["Location"]
    assert sample("sangkien_submissions_acknowledged_total") == before + 1


@pytest.mark.django_db
def test_metrics_text_from_loopback_holds_the_counters():
    Client().get("/")

    response = Client(REMOTE_ADDR="127.0.0.1").get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'sangkien_http_requests_total{method="GET",route="public:home",status="2xx"}' in text
    assert "# TYPE sangkien_http_request_duration_seconds histogram" in text
    assert "sangkien_submissions_acknowledged_total" in text
    assert "# TYPE sangkien_db_unavailable_responses_total counter" in text
    assert "sangkien_http_requests_in_progress" in text


@pytest.mark.django_db
def test_metrics_404_from_elsewhere_without_a_token(settings):
    settings.METRICS_TOKEN = ""

    outside = Client(REMOTE_ADDR="203.0.113.9").get("/metrics")
    # A reverse proxy on this machine connects from loopback for every client: not local.
    relayed = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").get("/metrics")

    assert outside.status_code == 404 and relayed.status_code == 404
    assert b"sangkien_http_requests_total" not in outside.content + relayed.content


@pytest.mark.django_db
def test_metrics_with_the_bearer_token(settings):
    settings.METRICS_TOKEN = "b1e7c0a9-metrics-token"
    outside = Client(REMOTE_ADDR="203.0.113.9")

    good = outside.get("/metrics", HTTP_AUTHORIZATION="Bearer b1e7c0a9-metrics-token")
    wrong = outside.get("/metrics", HTTP_AUTHORIZATION="Bearer b1e7c0a9-metrics-toke")
    missing = outside.get("/metrics")

    assert good.status_code == 200 and b"sangkien_http_requests_total" in good.content
    assert (wrong.status_code, missing.status_code) == (404, 404)


@pytest.mark.django_db
def test_every_response_carries_a_request_id():
    given = Client().get("/", HTTP_X_REQUEST_ID="lb-7f3a9c2e-0001")
    made = Client().get("/", HTTP_X_REQUEST_ID='bad id "with" spaces')

    assert given["X-Request-ID"] == "lb-7f3a9c2e-0001"
    assert len(made["X-Request-ID"]) == 32 and made["X-Request-ID"].isalnum()


# --- under gunicorn, two worker processes -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen
    metrics_dir: Path
    log: Path

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def workers(self) -> set[int]:
        return children_of(self.process.pid)

    def total(self, text: str, series: str) -> float:
        return sum(
            float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(series)
        )


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("var")
    metrics_dir = tmp_path_factory.mktemp("prometheus")
    (metrics_dir / "counter_1.db").write_bytes(b"left by a previous run")
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "DATABASE_REPLICA_URL",
            "REDIS_URL",
            "TASK_QUEUE_URL",
            "S3_BUCKET",
            "METRICS_TOKEN",
            "LOG_FORMAT",
        }
    }
    env.update(
        SANGKIEN_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="sangkien.settings",
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="1",
    )
    subprocess.run(
        [str(BIN / "python"), "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    log = var_dir / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "sangkien.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", port, process, metrics_dir, log)

    def answering() -> bool:
        assert process.poll() is None, log.read_text()
        try:
            return server.get("/healthz")[0] == 200
        except OSError:
            return False

    try:
        wait_for(answering, 60, "gunicorn to answer")
        wait_for(lambda: len(server.workers()) == 2, 30, "two workers")
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _served_by_the_other_worker(server: Server, count: int) -> None:
    """One worker held on a half-sent request while the other serves `count` pages, then the held
    one finishes its request: both workers answered, neither alone holds the total."""
    held = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    try:
        held.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.5)  # a sync worker has accepted it and waits for the rest of the headers
        for _ in range(count):
            assert server.get("/")[0] == 200
        held.sendall(b"Connection: close\r\n\r\n")
        answer = b""
        while chunk := held.recv(65536):
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 200")
    finally:
        held.close()


def test_metrics_sum_over_gunicorn_workers(gunicorn):
    # The file of a previous run was removed at start, it is not added to this run's numbers.
    assert not (gunicorn.metrics_dir / "counter_1.db").exists()

    _served_by_the_other_worker(gunicorn, 9)
    status, text = gunicorn.get("/metrics")

    assert status == 200
    series = 'sangkien_http_requests_total{method="GET",route="public:home",status="2xx"}'
    assert gunicorn.total(text, series) == 10.0
    counter_files = {path.name for path in gunicorn.metrics_dir.glob("counter_*.db")}
    assert {f"counter_{pid}.db" for pid in gunicorn.workers()} <= counter_files
    # The in-progress gauge sums the live workers: only the scrape itself is being answered.
    assert gunicorn.total(text, "sangkien_http_requests_in_progress ") == 1.0


def test_a_dead_worker_is_marked_and_its_counts_stay(gunicorn):
    _, before = gunicorn.get("/metrics")
    series = 'sangkien_http_requests_total{method="GET",route="public:home",status="2xx"}'
    counted = gunicorn.total(before, series)
    workers = gunicorn.workers()
    victim = min(workers)
    assert (gunicorn.metrics_dir / f"gauge_livesum_{victim}.db").exists()

    os.kill(victim, signal.SIGTERM)
    wait_for(
        lambda: not (gunicorn.metrics_dir / f"gauge_livesum_{victim}.db").exists(),
        30,
        "the dead worker's live gauge to be removed by child_exit",
    )
    wait_for(lambda: len(gunicorn.workers() - {victim}) == 2, 30, "a replacement worker")
    wait_for(lambda: gunicorn.get("/healthz")[0] == 200, 30, "the server to answer")
    assert gunicorn.get("/")[0] == 200
    _, after = gunicorn.get("/metrics")

    assert gunicorn.total(after, series) == counted + 1
    assert gunicorn.total(after, "sangkien_http_requests_in_progress ") == 1.0
