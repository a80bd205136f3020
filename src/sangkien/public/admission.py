"""The site's admission limit on the public form, checked before anything costly.

A surplus submission is refused by `SubmissionAdmissionMiddleware`, placed before the session,
CSRF and the view: one Redis count (common.admission), then a light page (common.unavailable)
with 503, Retry-After, and every field as typed in a form that sends them again. The view used
to check after validating the whole form and staging its uploads, and refused with the whole
form page: under twice the capacity most refusals waited in gunicorn's backlog longer than the
member's browser (docs/PERFORMANCE.md).

A form already stored is not refused: the view marks its key in the shared cache when it stores
it (`common.admission.mark_stored`, for a day), and a refusal looks for the mark, one Redis
read. A retry of it goes on to the view, which answers its receipt. Without the mark (the cache
lost it, or the worker died between the commit and the mark) the retry is refused like any other
until it is admitted, and then gets the same receipt: later, never lost or doubled. The mark
replaced a database query per refusal, a quarter of a refusal's time in gunicorn.
"""

from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from sangkien.common import admission
from sangkien.common.unavailable import kept_form_page
from sangkien.initiatives.forms import TOKEN_PATTERN
from sangkien.public.submit import ACTIONS

SUBMIT_ROUTE = "public:submit"
# Every path of the public form ends so (public/submit_urls.py); others are not even resolved.
SUBMIT_SUFFIX = "/nop/"


def _is_submission(request) -> bool:
    """A press of "Nộp sáng kiến" on the public form (not a unit search or an added co-author)."""
    if not request.path_info.endswith(SUBMIT_SUFFIX):
        return False
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
    return bool(TOKEN_PATTERN.fullmatch(token)) and admission.stored(f"web:{token}")


class SubmissionAdmissionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method != "POST"
            or not admission.limited("submit")
            or not _is_submission(request)
        ):
            return self.get_response(request)
        refused = admission.check("submit", who=request.POST.get("form_token", ""))
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
