"""Senders of receipts and status changes: the log, e-mail through Django, SMS through a real HTTP gateway."""

import json
import logging
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail

from sangkien.common.notify import e164, mask_email, mask_phone, notify

CONSOLE = "sangkien.common.notify.ConsoleSender"
SMTP = "sangkien.common.notify.SmtpSender"
HTTP_SMS = "sangkien.common.notify.HttpSmsSender"


@dataclass
class Gateway:
    """A stand-in SMS gateway on a real socket: what it received, and how it answers."""

    url: str
    received: list[dict] = field(default_factory=list)
    status: int = 200
    stall: bool = False
    release: threading.Event = field(default_factory=threading.Event)


class _GatewayHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        gateway = self.server.gateway
        body = self.rfile.read(int(self.headers["Content-Length"]))
        gateway.received.append(
            {
                "path": self.path,
                "authorization": self.headers["Authorization"],
                "content_type": self.headers["Content-Type"],
                "body": json.loads(body),
            }
        )
        if gateway.stall:
            gateway.release.wait(5)
        try:
            self.send_response(gateway.status)
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:
            pass  # the client gave up waiting: that is what the stall test wants

    def log_message(self, format, *args):
        pass  # keep the test output clean


class _JoiningServer(ThreadingHTTPServer):
    # Join the handler threads on close, so no thread outlives its test.
    daemon_threads = False


@pytest.fixture
def gateway(settings):
    server = _JoiningServer(("127.0.0.1", 0), _GatewayHandler)
    server.gateway = Gateway(url=f"http://127.0.0.1:{server.server_address[1]}/api/sms")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.SMS_GATEWAY_URL = server.gateway.url
    settings.SMS_GATEWAY_TOKEN = "token-thu-nghiem"
    settings.SMS_GATEWAY_TIMEOUT = 2
    yield server.gateway
    server.gateway.release.set()
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def notify_log(caplog):
    caplog.set_level(logging.INFO, logger="sangkien.notify")
    return caplog


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "Sáng kiến Công đoàn <no-reply@sangkien.local>"


def test_mask_phone_keeps_last_three_digits():
    assert mask_phone("0912345678") == "•••••••678"


def test_mask_email_keeps_first_letter_and_domain():
    assert mask_email("nguyen.van.a@example.vn") == "n•••@example.vn"


def test_e164_turns_leading_zero_into_84():
    assert e164("0912345678") == "+84912345678"
    assert e164("+84912345678") == "+84912345678"


def test_e164_refuses_a_number_that_is_not_vietnamese():
    with pytest.raises(ValueError):
        e164("912345678")


def test_console_sender_logs_masked_phone_and_message(settings, notify_log):
    settings.NOTIFY_BACKENDS = [CONSOLE]

    sent = notify(phone="0912345678", subject="Biên nhận", message="Mã biên nhận SK-000123")

    assert sent == ["console"]
    records = [r for r in notify_log.records if r.name == "sangkien.notify"]
    assert [(r.levelno, r.getMessage()) for r in records] == [
        (
            logging.INFO,
            "notify phone=•••••••678 email=- subject=Biên nhận message=Mã biên nhận SK-000123",
        )
    ]
    assert "0912345678" not in notify_log.text


def test_console_sender_logs_masked_email(settings, notify_log):
    settings.NOTIFY_BACKENDS = [CONSOLE]

    sent = notify(email="an@example.vn", subject="Biên nhận", message="Đã nhận")

    assert sent == ["console"]
    assert [r.getMessage() for r in notify_log.records if r.name == "sangkien.notify"] == [
        "notify phone=- email=a•••@example.vn subject=Biên nhận message=Đã nhận"
    ]


def test_notify_with_neither_phone_nor_email_sends_nothing(settings, notify_log):
    settings.NOTIFY_BACKENDS = [CONSOLE, SMTP, HTTP_SMS]

    assert notify(subject="Biên nhận", message="Đã nhận") == []
    assert notify_log.records == []


def test_smtp_sender_sends_mail_from_default_address(settings):
    settings.NOTIFY_BACKENDS = [SMTP]

    sent = notify(email="an@example.vn", subject="Biên nhận", message="Mã biên nhận SK-000123")

    assert sent == ["smtp"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.from_email, message.to, message.subject, message.body) == (
        "Sáng kiến Công đoàn <no-reply@sangkien.local>",
        ["an@example.vn"],
        "Biên nhận",
        "Mã biên nhận SK-000123",
    )


def test_smtp_sender_skips_without_email(settings):
    settings.NOTIFY_BACKENDS = [SMTP]

    assert notify(phone="0912345678", subject="Biên nhận", message="Đã nhận") == []
    assert mail.outbox == []


def test_http_sms_sender_posts_json_with_bearer_token(settings, gateway):
    settings.NOTIFY_BACKENDS = [HTTP_SMS]

    sent = notify(phone="0912345678", subject="Biên nhận", message="Mã biên nhận SK-000123")

    assert sent == ["http_sms"]
    assert gateway.received == [
        {
            "path": "/api/sms",
            "authorization": "Bearer token-thu-nghiem",
            "content_type": "application/json; charset=utf-8",
            "body": {"to": "+84912345678", "text": "Mã biên nhận SK-000123"},
        }
    ]


def test_http_sms_sender_skips_without_phone(settings, gateway):
    settings.NOTIFY_BACKENDS = [HTTP_SMS]

    assert notify(email="an@example.vn", subject="Biên nhận", message="Đã nhận") == []
    assert gateway.received == []


def test_http_sms_gateway_error_is_logged_not_raised(settings, gateway, notify_log):
    settings.NOTIFY_BACKENDS = [HTTP_SMS]
    gateway.status = 500

    sent = notify(phone="0912345678", subject="Biên nhận", message="Đã nhận")

    assert sent == []
    assert len(gateway.received) == 1
    [record] = [r for r in notify_log.records if r.name == "sangkien.notify"]
    assert (record.levelno, record.getMessage()) == (
        logging.ERROR,
        f"notify: sender {HTTP_SMS} failed",
    )
    assert str(record.exc_info[1]) == "SMS gateway answered 500"


def test_http_sms_gateway_redirect_is_a_failure(settings, gateway, notify_log):
    settings.NOTIFY_BACKENDS = [HTTP_SMS]
    gateway.status = 302

    assert notify(phone="0912345678", subject="Biên nhận", message="Đã nhận") == []
    [record] = [r for r in notify_log.records if r.name == "sangkien.notify"]
    assert str(record.exc_info[1]) == "SMS gateway answered 302"


def test_http_sms_gateway_that_does_not_answer_in_time_is_a_logged_failure(
    settings, gateway, notify_log
):
    settings.NOTIFY_BACKENDS = [HTTP_SMS]
    settings.SMS_GATEWAY_TIMEOUT = 0.2
    gateway.stall = True

    sent = notify(phone="0912345678", subject="Biên nhận", message="Đã nhận")

    assert sent == []
    assert len(gateway.received) == 1
    [record] = [r for r in notify_log.records if r.name == "sangkien.notify"]
    assert record.getMessage() == f"notify: sender {HTTP_SMS} failed"
    assert isinstance(record.exc_info[1], TimeoutError)


def test_http_sms_sender_refuses_a_non_http_gateway_address(settings, notify_log):
    settings.NOTIFY_BACKENDS = [HTTP_SMS]
    settings.SMS_GATEWAY_URL = "file:///etc/passwd"

    assert notify(phone="0912345678", subject="Biên nhận", message="Đã nhận") == []
    [record] = [r for r in notify_log.records if r.name == "sangkien.notify"]
    assert str(record.exc_info[1]) == "SMS_GATEWAY_URL must be an http(s) address"


def test_failing_sender_does_not_stop_the_next(settings, gateway, notify_log):
    settings.NOTIFY_BACKENDS = [HTTP_SMS, "sangkien.common.notify.NoSuchSender", SMTP, CONSOLE]
    gateway.status = 500

    sent = notify(phone="0912345678", email="an@example.vn", subject="Biên nhận", message="Đã nhận")

    assert sent == ["smtp", "console"]
    assert [m.to for m in mail.outbox] == [["an@example.vn"]]
    assert [
        (r.levelno, r.getMessage()) for r in notify_log.records if r.name == "sangkien.notify"
    ] == [
        (logging.ERROR, f"notify: sender {HTTP_SMS} failed"),
        (logging.ERROR, "notify: sender sangkien.common.notify.NoSuchSender failed"),
        (
            logging.INFO,
            "notify phone=•••••••678 email=a•••@example.vn subject=Biên nhận message=Đã nhận",
        ),
    ]
