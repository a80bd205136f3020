"""Work outside the request: queued in Redis after the commit and run by `manage.py task_worker`,
or run in a thread (no Redis, or Redis unreachable), or inline (tests)."""

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from sangkien.common import tasks
from sangkien.common.background import run_after_commit
from sangkien.common.notify import notify
from sangkien.common.personal import decrypt
from sangkien.initiatives.models import Initiative
from sangkien.initiatives.services import AuthorInput, SubmissionInput, initiative_submit
from sangkien.targets import exports
from sangkien.targets.models import ExportJob, ExportStatus
from tests.conftest import STANLEY
from tests.fakes import RecordingSender
from tests.services import redis_url

HTTP_SMS = "sangkien.common.notify.HttpSmsSender"
CONSOLE = "sangkien.common.notify.ConsoleSender"
RECORDING = "tests.fakes.RecordingSender"
PHONE = "0912345678"


# --- the edge: an SMS gateway on a real socket, reachable from the worker's child processes ---


@dataclass
class Gateway:
    """What the stand-in gateway received, and the statuses it answers with, in turn (the last
    one is repeated)."""

    url: str
    statuses: list[int] = field(default_factory=lambda: [200])
    received: list[dict] = field(default_factory=list)

    def next_status(self) -> int:
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]


class _GatewayHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        gateway = self.server.gateway
        gateway.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(gateway.next_status())
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


class _JoiningServer(ThreadingHTTPServer):
    daemon_threads = False  # no handler thread outlives its test


@pytest.fixture
def gateway(settings):
    server = _JoiningServer(("127.0.0.1", 0), _GatewayHandler)
    server.gateway = Gateway(url=f"http://127.0.0.1:{server.server_address[1]}/sms")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.SMS_GATEWAY_URL = server.gateway.url
    settings.SMS_GATEWAY_TOKEN = "token-thu-nghiem"
    settings.SMS_GATEWAY_TIMEOUT = 2
    yield server.gateway
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def recording(settings):
    settings.NOTIFY_BACKENDS = [RECORDING]
    RecordingSender.sent.clear()
    yield RecordingSender.sent
    RecordingSender.sent.clear()


@pytest.fixture
def tasks_log(caplog):
    caplog.set_level(logging.INFO, logger="sangkien.tasks")
    return caplog


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _join_threads(prefix: str, timeout: float = 10) -> None:
    for thread in threading.enumerate():
        if thread.name.startswith(prefix):
            thread.join(timeout)
            assert not thread.is_alive(), thread.name


# --- the queue in Redis (db of REDIS_URL; skipped without one) -------------------------------


@pytest.fixture
def queue_url():
    return redis_url("the RQ queue is tested against a real Redis")


@pytest.fixture
def rq_settings(settings, queue_url):
    """TASK_QUEUE = "rq" on a queue of this test's own, removed afterwards with its jobs."""
    settings.TASK_QUEUE = "rq"
    settings.TASK_QUEUE_URL = queue_url
    settings.TASK_QUEUE_NAME = f"test-{uuid.uuid4().hex[:12]}"
    settings.TASK_RETRIES = 3
    settings.TASK_RETRY_INTERVALS = [0]
    yield settings
    queue = tasks.queue()
    for registry in (
        queue.finished_job_registry,
        queue.failed_job_registry,
        queue.scheduled_job_registry,
        queue.started_job_registry,
    ):
        for job_id in registry.get_job_ids():
            queue.connection.delete(f"rq:job:{job_id}")
    queue.delete(delete_jobs=True)
    for key in queue.connection.scan_iter(f"rq:*{settings.TASK_QUEUE_NAME}*"):
        queue.connection.delete(key)


def _jobs(queue) -> list:
    return [queue.fetch_job(job_id) for job_id in queue.get_job_ids()]


def _submission(unit, *, phone: str = PHONE, email: str = "") -> SubmissionInput:
    today = timezone.localdate()
    return SubmissionInput(
        unit=unit,
        block="doanh-nghiep",
        target_group="cong-nhan-doanh-nghiep",
        kind="giai-phap-ky-thuat",
        title="Đồ gá hàn định vị nhanh",
        description="Thay đồ gá cũ bằng đồ gá định vị nhanh.",
        first_applied_on=today - timedelta(days=20),
        recognized_by="council",
        recognition_number="15/QĐ-HĐSK",
        recognition_date=today - timedelta(days=20),
        benefit_vnd=150_000_000,
        benefit_text="",
        drive_link="",
        not_ip_protected=True,
        lawful=True,
        authors=[AuthorInput(full_name="Nguyễn Thị Lan", phone=phone, share=Decimal(100))],
        notify_email=email,
    )


class Refused(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_receipt_is_queued_only_when_the_submission_commits(rq_settings, national, open_program):
    rq_settings.NOTIFY_BACKENDS = [HTTP_SMS, CONSOLE]
    queue = tasks.queue()

    with pytest.raises(Refused), transaction.atomic():
        initiative_submit(program=open_program, data=_submission(national[STANLEY]))
        raise Refused

    assert Initiative.objects.count() == 0
    assert queue.count == 0

    with transaction.atomic():
        initiative_submit(program=open_program, data=_submission(national[STANLEY]))
        assert queue.count == 0  # not before the commit

    initiative = Initiative.objects.get()
    jobs = _jobs(queue)
    assert [job.description for job in jobs] == ["notify:HttpSmsSender", "notify:ConsoleSender"]
    assert [job.func_name for job in jobs] == [tasks.PERFORM, tasks.PERFORM]
    assert [(job.args[0], job.kwargs["sender"]) for job in jobs] == [
        ("sangkien.common.notify.deliver", HTTP_SMS),
        ("sangkien.common.notify.deliver", CONSOLE),
    ]
    assert jobs[0].kwargs["subject"] == f"Biên nhận sáng kiến {initiative.receipt_display}"
    assert jobs[0].retries_left == 3
    # The phone number is in the queue only sealed with the personal-data key.
    assert [decrypt(job.kwargs["phone"]) for job in jobs] == [PHONE, PHONE]
    for job in jobs:
        stored = queue.connection.hgetall(f"rq:job:{job.id}")
        data = zlib.decompress(stored[b"data"])
        assert b"912345678" not in data and b"912345678" not in stored[b"description"]


@pytest.mark.django_db(transaction=True)
def test_a_job_is_put_on_the_queue_at_the_commit_and_never_after_a_rollback(rq_settings):
    rq_settings.NOTIFY_BACKENDS = [CONSOLE]
    queue = tasks.queue()

    with pytest.raises(Refused), transaction.atomic():
        notify(phone=PHONE, subject="Bỏ", message="Không gửi")
        raise Refused
    assert queue.count == 0

    with transaction.atomic():
        notify(phone=PHONE, subject="Biên nhận", message="Đã nhận")
        with transaction.atomic():  # a savepoint's release is not the commit
            notify(phone=PHONE, subject="Lần hai", message="Đã nhận")
        assert queue.count == 0

    assert [job.kwargs["subject"] for job in _jobs(queue)] == ["Biên nhận", "Lần hai"]


@pytest.mark.django_db(transaction=True)
def test_worker_sends_the_queued_receipt_through_the_gateway(
    rq_settings, gateway, national, open_program
):
    rq_settings.NOTIFY_BACKENDS = [HTTP_SMS]
    initiative, _ = initiative_submit(program=open_program, data=_submission(national[STANLEY]))
    assert gateway.received == []  # the request did not wait for the gateway

    call_command("task_worker", "--burst")

    assert gateway.received == [
        {
            "to": "+84912345678",
            "text": f'Sáng kiến "Đồ gá hàn định vị nhanh" đã được nhận. Mã biên nhận: '
            f"{initiative.receipt_display}. Tra cứu tại {rq_settings.SITE_URL}/tra-cuu/",
        }
    ]
    queue = tasks.queue()
    assert (queue.count, queue.finished_job_registry.count, queue.failed_job_registry.count) == (
        0,
        1,
        0,
    )


def test_worker_without_fork_hands_the_message_to_the_recording_sender(rq_settings, recording):
    sent = notify(phone=PHONE, email="an@example.vn", subject="Biên nhận", message="Đã nhận")

    assert sent == []  # queued, not sent yet
    assert recording == []
    call_command("task_worker", "--burst", "--no-fork")

    assert recording == [
        {"phone": PHONE, "email": "an@example.vn", "subject": "Biên nhận", "message": "Đã nhận"}
    ]


def test_failing_gateway_is_retried_later_and_the_other_sender_sends_once(
    rq_settings, gateway, recording
):
    rq_settings.NOTIFY_BACKENDS = [HTTP_SMS, CONSOLE]
    rq_settings.TASK_RETRY_INTERVALS = [1]
    gateway.statuses = [500, 200]
    queue = tasks.queue()
    notify(phone=PHONE, subject="Biên nhận", message="Mã biên nhận ABCD-EFGH")

    call_command("task_worker", "--burst")

    assert len(gateway.received) == 1
    assert queue.finished_job_registry.count == 1  # the console sender's job
    [waiting] = queue.scheduled_job_registry.get_job_ids()
    assert queue.fetch_job(waiting).kwargs["sender"] == HTTP_SMS
    assert queue.fetch_job(waiting).retries_left == 2

    time.sleep(1.1)  # the retry's interval
    call_command("task_worker", "--burst")

    assert [body["text"] for body in gateway.received] == ["Mã biên nhận ABCD-EFGH"] * 2
    assert queue.finished_job_registry.count == 2
    assert (queue.scheduled_job_registry.count, queue.failed_job_registry.count) == (0, 0)


def test_a_job_out_of_retries_is_kept_as_failed(rq_settings, gateway):
    rq_settings.NOTIFY_BACKENDS = [HTTP_SMS]
    rq_settings.TASK_RETRIES = 2
    gateway.statuses = [500]
    queue = tasks.queue()
    notify(phone=PHONE, subject="Biên nhận", message="Đã nhận")

    call_command("task_worker", "--burst")

    assert len(gateway.received) == 3  # the first try and two retries
    [failed] = queue.failed_job_registry.get_job_ids()
    assert (
        queue.fetch_job(failed)
        .latest_result()
        .exc_string.rstrip()
        .endswith("RuntimeError: SMS gateway answered 500")
    )


@pytest.mark.django_db(transaction=True)
def test_export_job_is_made_by_the_worker(
    rq_settings, national, open_program, make_officer, tmp_path
):
    rq_settings.MEDIA_ROOT = tmp_path
    rq_settings.EXPORT_INLINE = False
    officer = make_officer("gialam", "T01-D018")
    initiative_submit(program=open_program, data=_submission(national[STANLEY]), send_receipt=False)

    job = exports.export_request(
        actor=officer, unit=national["T01-D018"], program=open_program, fmt="csv"
    )

    assert ExportJob.objects.get(pk=job.pk).status == ExportStatus.QUEUED
    [queued] = _jobs(tasks.queue())
    assert (queued.description, queued.args) == (
        f"export-{job.pk}",
        ["sangkien.targets.exports.jobs.export_run", job.pk],
    )

    call_command("task_worker", "--burst")

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.error) == (ExportStatus.DONE, 1, "")
    with job.file.open("rb") as handle:
        lines = handle.read().decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert lines[1].startswith(Initiative.objects.get().receipt_display + ",")


def test_worker_stops_on_sigterm_after_finishing_the_current_job(rq_settings):
    tasks.enqueue("time.sleep", 2)
    [job_id] = tasks.queue().get_job_ids()
    env = {
        **os.environ,
        "TASK_QUEUE": "rq",
        "TASK_QUEUE_URL": rq_settings.TASK_QUEUE_URL,
        "TASK_QUEUE_NAME": rq_settings.TASK_QUEUE_NAME,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "django", "task_worker", "--settings=sangkien.settings"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        job = tasks.queue().fetch_job(job_id)
        deadline = time.monotonic() + 30
        while job.get_status() != "started" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert job.get_status() == "started"

        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()

    assert worker.returncode == 0, output
    assert job.get_status() == "finished"
    assert "warm shut down requested" in output


# --- no Redis: the fallback, the thread and inline modes -------------------------------------


def test_unreachable_queue_falls_back_to_a_thread_and_the_message_is_sent(
    settings, recording, tasks_log
):
    settings.TASK_QUEUE = "rq"
    settings.TASK_QUEUE_URL = f"redis://127.0.0.1:{_closed_port()}/14"

    notify(phone=PHONE, subject="Biên nhận", message="Đã nhận")
    _join_threads("notify:")

    assert recording == [
        {"phone": PHONE, "email": "", "subject": "Biên nhận", "message": "Đã nhận"}
    ]
    [warning] = [r for r in tasks_log.records if r.name == "sangkien.tasks"]
    assert warning.levelno == logging.WARNING
    assert warning.getMessage().startswith(
        "task notify:RecordingSender: queue sangkien unavailable (ConnectionError: "
    )
    assert warning.getMessage().endswith("running it in a thread of this process")


@pytest.mark.django_db(transaction=True)
def test_unreachable_queue_still_runs_a_bulk_job_in_a_thread(
    settings, national, open_program, make_officer, tmp_path
):
    settings.TASK_QUEUE = "rq"
    settings.TASK_QUEUE_URL = f"redis://127.0.0.1:{_closed_port()}/14"
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_INLINE = False
    officer = make_officer("gialam", "T01-D018")

    job = exports.export_request(
        actor=officer, unit=national["T01-D018"], program=open_program, fmt="xlsx"
    )
    _join_threads(f"export-{job.pk}")

    job.refresh_from_db()
    assert (job.status, job.rows_total) == (ExportStatus.DONE, 0)


@pytest.mark.django_db(transaction=True)
def test_thread_mode_runs_after_the_commit_and_not_after_a_rollback(settings, recording):
    settings.TASK_QUEUE = "thread"

    with pytest.raises(Refused), transaction.atomic():
        notify(phone=PHONE, subject="Bỏ", message="Không gửi")
        raise Refused
    with transaction.atomic():
        notify(phone=PHONE, subject="Biên nhận", message="Đã nhận")
        assert not any(t.name.startswith("notify:") for t in threading.enumerate())
    _join_threads("notify:")

    assert [message["subject"] for message in recording] == ["Biên nhận"]


@pytest.mark.django_db(transaction=True)
def test_inline_mode_runs_at_the_commit_or_at_once_outside_a_transaction(settings, recording):
    settings.TASK_QUEUE = "inline"

    with pytest.raises(Refused), transaction.atomic():
        notify(phone=PHONE, subject="Bỏ", message="Không gửi")
        raise Refused
    with transaction.atomic():
        assert notify(phone=PHONE, subject="Sau", message="Khi ghi xong") == []
        assert recording == []
    assert [message["subject"] for message in recording] == ["Sau"]

    assert notify(phone=PHONE, subject="Ngay", message="Ngoài giao dịch") == ["recording"]
    assert [message["subject"] for message in recording] == ["Sau", "Ngay"]


def test_inline_failure_is_logged_not_raised(settings, tasks_log):
    settings.TASK_QUEUE = "inline"
    settings.NOTIFY_BACKENDS = ["sangkien.common.notify.NoSuchSender"]

    assert notify(phone=PHONE, subject="Biên nhận", message="Đã nhận") == []

    assert [
        (r.name, r.levelno, r.getMessage())
        for r in tasks_log.records
        if r.name in {"sangkien.tasks", "sangkien.notify"}
    ] == [
        (
            "sangkien.notify",
            logging.ERROR,
            "notify: sender sangkien.common.notify.NoSuchSender failed",
        ),
        ("sangkien.tasks", logging.ERROR, "task notify:NoSuchSender failed"),
    ]


def test_enqueue_refuses_arguments_that_are_not_plain_json(settings):
    settings.TASK_QUEUE = "inline"

    for bad in (date(2026, 1, 1), (1, 2), {1: "một"}, object()):
        with pytest.raises(TypeError, match="arguments must be plain JSON values"):
            tasks.enqueue("sangkien.common.notify.mask_phone", bad)


def test_enqueue_refuses_a_path_that_does_not_import(settings):
    settings.TASK_QUEUE = "inline"

    with pytest.raises(ImportError):
        tasks.enqueue("sangkien.common.notify.no_such_task", 1)


def test_enqueue_answers_the_result_when_run_at_once(settings):
    settings.TASK_QUEUE = "inline"

    assert tasks.enqueue("sangkien.common.notify.mask_phone", PHONE) == "•••••••678"


def test_run_after_commit_refuses_a_function_the_queue_cannot_name(settings):
    settings.TASK_QUEUE = "inline"

    def nested(job_id: int) -> None:
        pass

    with pytest.raises(ValueError, match="must be module-level"):
        run_after_commit(nested, 1, name="nested", inline=False)


def test_worker_command_needs_a_queue(settings):
    settings.TASK_QUEUE = "thread"
    settings.TASK_QUEUE_URL = ""

    with pytest.raises(CommandError, match="REDIS_URL hoặc TASK_QUEUE_URL"):
        call_command("task_worker", "--burst")


# --- settings: what the environment chooses --------------------------------------------------

TASK_SETTINGS = "print(s.TASK_QUEUE, s.TASK_QUEUE_URL or '-', s.TASK_QUEUE_NAME)"


def settings_in_a_fresh_process(
    env: dict[str, str], print_code: str = TASK_SETTINGS
) -> subprocess.CompletedProcess:
    """Import the settings module in a new interpreter with `env` instead of this run's task,
    Redis and session variables; its output is the values in `print_code`."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TASK_", "REDIS_URL", "SESSION_", "DJANGO_SETTINGS_MODULE"))
    }
    code = f"import sangkien.settings as s; {print_code}"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**keep, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "thread - sangkien"),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/14"},
            "rq redis://127.0.0.1:6379/14 sangkien",
        ),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/14", "TASK_QUEUE": "inline"},
            "inline redis://127.0.0.1:6379/14 sangkien",
        ),
        (
            {"TASK_QUEUE": "rq", "TASK_QUEUE_URL": "redis://q:6379/2", "TASK_QUEUE_NAME": "sk"},
            "rq redis://q:6379/2 sk",
        ),
    ],
)
def test_task_queue_settings_from_the_environment(env, expected):
    done = settings_in_a_fresh_process(env)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected


@pytest.mark.parametrize("env", [{"TASK_QUEUE": "celery"}, {"TASK_QUEUE": "rq"}])
def test_task_queue_settings_refuse_what_cannot_work(env):
    done = settings_in_a_fresh_process(env)

    assert done.returncode == 1
    assert "ImproperlyConfigured: TASK_QUEUE=" in done.stderr
