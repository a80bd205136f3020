"""Telling the submitter that something happened to their initiative, after the change commits."""

from django.conf import settings
from django.db import transaction

from sangkien.common.notify import notify
from sangkien.initiatives.models import Initiative


def lookup_url() -> str:
    return f"{settings.SITE_URL}/tra-cuu/"


def notify_submitter(initiative: Initiative, *, subject: str, message: str) -> None:
    """Send `message` to the lead author's phone and to the e-mail given on the form, once the
    surrounding transaction has committed (nothing is sent for a change that rolled back)."""

    def send() -> None:
        lead = min(initiative.authors.all(), key=lambda author: author.position)
        notify(
            phone=lead.phone() if lead.phone_cipher else "",
            email=initiative.notify_email,
            subject=subject,
            message=message,
        )

    transaction.on_commit(send)
