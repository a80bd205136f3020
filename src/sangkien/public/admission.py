"""The site's admission limit on the public form, checked before anything costly.

A surplus submission is refused by `SubmissionAdmissionMiddleware`, placed before the session,
CSRF and the view: one Redis count (common.admission), then a light page (common.unavailable)
with 503, Retry-After, and every field as typed in a form that sends them again. The view used
to check after validating the whole form and staging its uploads, and refused with the whole
form page: under twice the capacity most refusals waited in gunicorn's backlog longer than the
member's browser (docs/PERFORMANCE.md).

A form already stored is never refused: a retry of it goes on to the view, which answers its
receipt. That costs one indexed query, asked only when the site is over its limit.
"""

from django.conf import settings
from django.db import DatabaseError
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from sangkien.common import admission
from sangkien.common.unavailable import kept_form_page
from sangkien.initiatives.forms import TOKEN_PATTERN
from sangkien.initiatives.models import Initiative
from sangkien.public.submit import ACTIONS

SUBMIT_ROUTE = "public:submit"


def _is_submission(request) -> bool:
    """A press of "Nộp sáng kiến" on the public form (not a unit search or an added co-author)."""
    try:
        if resolve(request.path_info).view_name != SUBMIT_ROUTE:
            return False
    except Resolver404:
        return False
    # As the view reads it: an unknown action is a submission.
    action = request.POST.get("action", "submit")
    return not action.startswith("unit_browse:") and (action == "submit" or action not in ACTIONS)


def _already_stored(request) -> bool:
    token = request.POST.get("form_token", "")
    if not TOKEN_PATTERN.fullmatch(token):
        return False
    try:
        return Initiative.objects.filter(idempotency_key=f"web:{token}").exists()
    except DatabaseError:
        # The database is away (a restart): the member gets the busy page with her fields and
        # sends again later, when the stored form answers its receipt. Never a 500 from here.
        return False


class SubmissionAdmissionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method != "POST"
            or settings.ADMISSION_LIMITS.get("submit", 0) <= 0
            or not _is_submission(request)
        ):
            return self.get_response(request)
        refused = admission.check("submit")
        if refused is None or _already_stored(request):
            return self.get_response(request)
        response = kept_form_page(
            request,
            retry_after=refused.retry_after,
            heading=_("Hệ thống đang bận"),
            message=admission.busy_message(refused),
            button=_("Gửi sáng kiến"),
        )
        # A refusal by design, not a fault: the access log has its line; Django's error log
        # would add one more line per refusal, thousands a minute in a surge.
        response._has_been_logged = True
        return response
