"""The database is gone for a moment (a restart, a failover, a full connection pool): answer
503 with Retry-After instead of an error page, and give a member who was sending a form a page
that sends the same fields again with one button, so nothing typed is lost.

The page is rendered without the database, the session or the signed-in user: only the posted
fields and a static template.
"""

import logging
from html import escape

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from sangkien.common.metrics import route_name

log = logging.getLogger("sangkien.unavailable")
SKIPPED = {"csrfmiddlewaretoken"}


def _unreachable(error: Exception) -> bool:
    """A lost or refused connection, not a mistake in a query (which must stay a 500)."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    text = str(error).lower()
    return any(
        words in text
        for words in (
            "connection",
            "server closed",
            "terminating",
            "shutting down",
            "starting up",
            "recovery",
            "could not connect",
            "database is locked",
            "too many clients",
        )
    )


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DatabaseError) or not _unreachable(exception):
            return None
        # The route, never the path: paths hold receipt and unit codes (common.metrics).
        log.warning(
            "database unavailable: %s %s: %s", request.method, route_name(request), exception
        )
        return kept_form_page(request, retry_after=settings.UNAVAILABLE_RETRY_AFTER)


def kept_form_page(
    request, *, retry_after: int, heading: str = "", message: str = "", button: str = ""
) -> HttpResponse:
    """503 with Retry-After, and for a POST the fields as typed in a form that sends them again
    with one button. Rendered from the request alone: no database, session or user. `message`
    replaces the page's words about the database, `heading` its title, `button` its button's
    label (the admission limit's own words)."""
    fields = []
    if request.method == "POST":
        try:
            fields = [
                (name, value)
                for name, values in request.POST.lists()
                if name not in SKIPPED
                for value in values
            ]
        except Exception:  # an unreadable body: the page still answers, without the fields
            fields = []
    html = render_to_string(
        "unavailable.html",
        {
            "fields": bool(fields),
            "hidden_fields": _hidden_inputs(fields),
            "csrf_token_value": request.POST.get("csrfmiddlewaretoken", "")
            if request.method == "POST"
            else "",
            "action": request.path,
            "had_files": bool(request.method == "POST" and request.FILES),
            "retry_after": retry_after,
            "heading": heading,
            "message": message,
            "button": button,
        },
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _hidden_inputs(fields: list[tuple[str, str]]):
    """The posted fields as hidden inputs, escaped. Joined here rather than in a template loop:
    the page answers every refusal of a surge, and the loop was a sixth of its time."""
    return mark_safe(
        "\n".join(
            f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
            for name, value in fields
        )
    )
