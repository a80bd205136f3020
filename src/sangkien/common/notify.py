"""Messages to members (receipts, status changes) by SMS and e-mail, through pluggable senders.

A sender is a class with a `name` and `send(*, phone, email, subject, message) -> bool` that
returns False when it has nothing to do (an SMS sender given no phone number) and raises when it
fails. Which senders run is settings.NOTIFY_BACKENDS, a list of dotted class paths.

`notify()` does not wait for a gateway: each sender's delivery is a task (`deliver`, through
`sangkien.common.tasks`), so a slow SMS gateway delays a worker, not the member's request, and a
failing one is retried without the other senders sending twice.
"""

import json
import logging
import urllib.request
from urllib.error import HTTPError
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from sangkien.common import tasks
from sangkien.common.personal import decrypt, encrypt

logger = logging.getLogger("sangkien.notify")


def mask_phone(phone: str) -> str:
    """ "0912345678" → "•••••••678": enough to tell numbers apart in a log, not to call one."""
    return "•" * max(0, len(phone) - 3) + phone[-3:]


def mask_email(email: str) -> str:
    """ "nguyen.van.a@example.vn" → "n•••@example.vn"."""
    local, _at, domain = email.rpartition("@")
    if not local:
        return "•••"
    return f"{local[0]}•••@{domain}"


def e164(phone: str) -> str:
    """A Vietnamese number as stored ("0912345678") in the form SMS gateways want ("+84912345678")."""
    digits = phone.strip().replace(" ", "")
    if digits.startswith("+") and digits[1:].isdigit():
        return digits
    if digits.startswith("0") and digits.isdigit() and len(digits) >= 9:
        return "+84" + digits[1:]
    raise ValueError("not a Vietnamese phone number")


class ConsoleSender:
    """Writes the message to the log: development, and a trail of what was sent."""

    name = "console"

    def send(self, *, phone: str, email: str, subject: str, message: str) -> bool:
        if not phone and not email:
            return False
        logger.info(
            "notify phone=%s email=%s subject=%s message=%s",
            mask_phone(phone) if phone else "-",
            mask_email(email) if email else "-",
            subject,
            message,
        )
        return True


class SmtpSender:
    """E-mail through Django's mail backend (the EMAIL_* settings name the SMTP server)."""

    name = "smtp"

    def send(self, *, phone: str, email: str, subject: str, message: str) -> bool:
        if not email:
            return False
        send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)
        return True


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would carry the gateway's token elsewhere, or turn the POST into a GET.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpSmsSender:
    """SMS through an HTTP gateway: POST {"to", "text"} as JSON with a bearer token."""

    name = "http_sms"

    def send(self, *, phone: str, email: str, subject: str, message: str) -> bool:
        if not phone:
            return False
        url = settings.SMS_GATEWAY_URL
        if urlsplit(url).scheme not in {"http", "https"}:
            raise ImproperlyConfigured("SMS_GATEWAY_URL must be an http(s) address")
        request = urllib.request.Request(
            url,
            data=json.dumps({"to": e164(phone), "text": message}, ensure_ascii=False).encode(),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
            },
            method="POST",
        )
        opener = urllib.request.build_opener(_NoRedirects)
        try:
            with opener.open(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:
                status = response.status
        except HTTPError as error:
            error.close()
            raise RuntimeError(f"SMS gateway answered {error.code}") from None
        if not 200 <= status < 300:
            raise RuntimeError(f"SMS gateway answered {status}")
        return True


DELIVER = "sangkien.common.notify.deliver"


def notify(*, phone: str = "", email: str = "", subject: str, message: str) -> list[str]:
    """Hand the message to every configured sender, each as its own task (settings.TASK_QUEUE).

    The phone number and the e-mail address travel sealed with the personal-data key
    (`personal.encrypt`), so the queue in Redis never holds them in clear; the worker opens them.
    Answers the names of the senders that have sent by the time it returns: those that had
    something to do when tasks run inline outside a transaction, none when the message is queued.

    Called after the submission is committed, so nothing here may raise: a sender that fails is
    logged (and retried by the queue) and the next one still runs.
    """
    sealed_phone, sealed_email = encrypt(phone), encrypt(email)
    sent = []
    for path in settings.NOTIFY_BACKENDS:
        name = tasks.enqueue_call(
            DELIVER,
            kwargs={
                "sender": path,
                "phone": sealed_phone,
                "email": sealed_email,
                "subject": subject,
                "message": message,
            },
            label=f"notify:{path.rpartition('.')[2]}",
        )
        if name:
            sent.append(name)
    return sent


def deliver(*, sender: str, phone: str, email: str, subject: str, message: str) -> str:
    """The task behind `notify`: one message through one sender, `phone` and `email` sealed.

    Answers the sender's name when it sent, "" when it had nothing to do. Raises when the sender
    failed, after logging it, so that the queue tries again later; a gateway that took the
    message but never answered may then send it twice (at least once, never silently dropped).
    """
    try:
        instance = import_string(sender)()
        if instance.send(
            phone=decrypt(phone), email=decrypt(email), subject=subject, message=message
        ):
            return instance.name
        return ""
    except Exception:
        logger.exception("notify: sender %s failed", sender)
        raise
