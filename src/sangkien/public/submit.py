"""The submission form page (members, and officers on a member's behalf), its receipt, the edit page.

`form_page` is the one view behind all three uses: parse → idempotency → window → CAPTCHA →
rate limits → submit (or edit) → redirect to the receipt. Every path that does not store keeps
what was typed, staged files included.
"""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sangkien.common import admission, captcha, ratelimit
from sangkien.common.http import client_ip
from sangkien.common.personal import keyed_hash
from sangkien.common.vnid import normalize_phone
from sangkien.initiatives.enums import Channel
from sangkien.initiatives.forms import MAX_COAUTHORS, TOKEN_PATTERN, Submission, new_form_token
from sangkien.initiatives.models import Initiative
from sangkien.initiatives.queries import by_receipt
from sangkien.initiatives.services import (
    SubmissionRefused,
    closed_message,
    editable,
    initiative_edit,
    initiative_submit,
    upload_stage,
    upload_unstage,
)
from sangkien.programs import windows
from sangkien.programs.queries import published_program
from sangkien.public import picker
from sangkien.public.access import proved, remember

ON_BEHALF_CONSENT = gettext_lazy(
    "Tôi xác nhận đã thông báo cho tác giả mục đích xử lý dữ liệu cá nhân (xác minh, xét chọn, "
    "khen thưởng sáng kiến; bên kiểm soát dữ liệu: Tổng Liên đoàn Lao động Việt Nam) và tác giả đã "
    "đồng ý."
)
ACTIONS = {"submit", "unit_search", "unit_browse", "unit_change", "add_coauthor"}


def _program(code: str):
    program = published_program(code)
    if program is None:
        raise Http404
    return program


def _mark_errors(form) -> None:
    """aria-invalid and aria-describedby on every field with an error, for screen readers."""
    for name in form.errors:
        if name in form.fields:
            attrs = form.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{form.auto_id % name}-error"


def _error_summary(submission: Submission) -> list[tuple[str, str, str]]:
    """(anchor id, label, message) for the summary at the top, in the order of the page."""
    items = []
    main = submission.main
    for name, field in main.fields.items():
        for error in main.errors.get(name, []):
            items.append((main.auto_id % name, str(field.label), str(error)))
    for error in main.non_field_errors():
        items.append(("form-top", "", str(error)))
    for form in submission.coauthors.forms:
        for name, errors in form.errors.items():
            for error in errors:
                anchor = form.auto_id % form.add_prefix(name)
                items.append((anchor, str(form.fields[name].label), str(error)))
    return items


def _stage_uploads(submission: Submission) -> None:
    """Keep the files that passed their checks, so a page shown again after an error has them."""
    token = submission.main.data.get("form_token", "")
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return
    removed = [pk for pk in submission.main.data.getlist("remove_attachment") if pk.isdigit()]
    if removed:
        upload_unstage(form_token=token, ids=[int(pk) for pk in removed])
    for upload, sniffed in submission.main.sniffed:
        upload_stage(form_token=token, sniffed=sniffed, original_name=upload.name, fileobj=upload)
    submission.main.sniffed = []
    submission.main.forget_kept()


def _with_picked_unit(data: QueryDict) -> QueryDict:
    """A grassroots union picked in the search results or the list becomes the form's unit."""
    picked = [code for code in data.getlist("unit_pick") if code]
    if not picked:
        return data
    data = data.copy()
    data["unit"] = picked[0]
    return data


def _with_extra_coauthor(data: QueryDict) -> QueryDict:
    data = data.copy()
    total = int(data.get("coauthors-TOTAL_FORMS") or 0)
    data["coauthors-TOTAL_FORMS"] = str(min(total + 1, MAX_COAUTHORS))
    return data


def _rate_limited(request, submission: Submission, officer) -> ratelimit.Limit | None:
    if officer is not None:
        return None  # support teams submit for many members from one office
    by_ip = ratelimit.check("submit_ip", client_ip(request))
    if not by_ip.allowed:
        return by_ip
    phone = normalize_phone(submission.main.data.get("author_phone", ""))
    if phone:
        by_phone = ratelimit.check("submit_phone", keyed_hash(phone))
        if not by_phone.allowed:
            return by_phone
    return None


def form_page(
    request,
    program,
    *,
    officer=None,
    within: list[str] | None = None,
    editing: Initiative | None = None,
    receipt_url_name: str = "public:receipt",
    template: str = "public/submit.html",
    extra: dict | None = None,
):
    now = timezone.now()
    closed = editable(editing, now) if editing else None
    if editing is None and not windows.is_open(program, now):
        closed = closed_message(program, now)
    action = request.POST.get("action", "submit") if request.method == "POST" else ""
    browse_code = request.POST.get("unit_browse", "")
    if action.startswith("unit_browse:"):  # a search result above the grassroots level
        action, browse_code = "unit_browse", action.split(":", 1)[1]
    action = action if action in ACTIONS else "submit"
    token = request.POST.get("form_token", "")
    keyed = request.method == "POST" and editing is None and bool(TOKEN_PATTERN.fullmatch(token))

    def stored_receipt():
        """A double click, a refresh, a retry of a stored form: the same receipt. Asked before
        any refusal; a valid submission goes straight to the insert, whose unique key decides."""
        existing = Initiative.objects.filter(idempotency_key=f"web:{token}").first()
        if existing is None:
            return None
        remember(request, existing.receipt)
        return redirect(receipt_url_name, receipt=existing.receipt)

    if keyed and (closed or action != "submit"):
        answer = stored_receipt()
        if answer is not None:
            return answer
    needs_captcha = officer is None and editing is None and captcha.required(ip=client_ip(request))
    status = 200
    headers = {}
    problem = ""
    show_errors = False
    if request.method == "POST":
        data = _with_picked_unit(request.POST)
        if action == "add_coauthor":
            data = _with_extra_coauthor(data)
        submission = Submission(program, data, request.FILES, within=within, editing=editing)
        valid = submission.is_valid()
        _stage_uploads(submission)
        captcha_form = captcha.CaptchaForm(data) if needs_captcha else None
        if action == "submit":
            show_errors = True
            # The site's admission limit was checked before the session and the form
            # (public.admission); what reaches here was admitted.
            if closed:
                problem, status = closed, 409
            elif captcha_form is not None and not captcha_form.is_valid():
                valid = False
            if valid and not problem:
                limit = _rate_limited(request, submission, officer)
                if limit is not None:
                    problem, status = (
                        _(
                            "Bạn đã gửi quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau "
                            "%(minutes)s phút; những gì bạn đã nhập vẫn được giữ nguyên."
                        )
                        % {"minutes": max(1, round(limit.retry_after / 60))},
                        429,
                    )
                    headers["Retry-After"] = str(limit.retry_after)
            if keyed and (problem or not valid):
                answer = stored_receipt()
                if answer is not None:
                    return answer
            if valid and not problem:
                try:
                    initiative = _store(request, program, submission, officer, editing, now)
                except SubmissionRefused as refused:
                    problem, status = refused.message, 409
                else:
                    remember(request, initiative.receipt)
                    if editing is not None:
                        messages.success(request, _("Đã lưu thay đổi."))
                    return redirect(receipt_url_name, receipt=initiative.receipt)
            elif not problem:
                status = 422
    else:
        initial = extra.get("initial") if extra else None
        submission = Submission(
            program,
            within=within,
            editing=editing,
            initial={"form_token": new_form_token(), **(initial or {})},
            coauthor_initial=extra.get("coauthor_initial") if extra else None,
        )
        captcha_form = captcha.CaptchaForm() if needs_captcha else None
    if officer is not None:
        submission.main.fields["consent"].label = ON_BEHALF_CONSENT
    if show_errors:
        _mark_errors(submission.main)
    form = submission.main
    pick = picker.build(
        query=request.POST.get("unit_query", "") if action == "unit_search" else "",
        browse_code=browse_code if action != "unit_change" else "",
        chosen_code=""
        if action == "unit_change"
        else form.data.get("unit", "") or form.initial.get("unit", ""),
        within=within,
    )
    context = {
        "program": program,
        "form": form,
        "coauthors": submission.coauthors,
        "captcha": captcha_form,
        "picker": pick,
        "kept": form.kept_attachments(),
        "closed": closed,
        "problem": problem,
        "summary": _error_summary(submission) if show_errors else [],
        "show_errors": show_errors,
        "editing": editing,
        "officer": officer,
        "focus_unit": action in {"unit_search", "unit_browse", "unit_change"},
        **(extra or {}),
    }
    response = render(request, template, context, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _store(request, program, submission: Submission, officer, editing, now) -> Initiative:
    token = submission.main.cleaned_data["form_token"]
    if editing is not None:
        return initiative_edit(
            initiative=editing, data=submission.to_input(), actor=officer, form_token=token, at=now
        )
    initiative, _created = initiative_submit(
        program=program,
        data=submission.to_input(),
        actor=officer,
        channel=Channel.OFFICE if officer is not None else Channel.WEB,
        idempotency_key=f"web:{token}",
        key_checked=True,  # a stored key: the insert's unique index answers the first one
        form_token=token,
        at=now,
    )
    # After the commit: a retry of this form is never refused by the admission limit.
    transaction.on_commit(lambda: admission.mark_stored(f"web:{token}"))
    if officer is None:
        ratelimit.hit(captcha.SITE_SCOPE, captcha.SITE_KEY, limit=10**9, window_seconds=60)
    return initiative


def submit_view(request, code: str):
    return form_page(request, _program(code))


@require_GET
def unit_picker(request):
    """The picker alone, for the script to refresh it in place (the same HTML as in the page)."""
    pick = picker.build(
        query=request.GET.get("q", ""),
        browse_code=request.GET.get("browse", ""),
        chosen_code=request.GET.get("unit", ""),
    )
    return render(request, "public/_picker.html", {"picker": pick})


def _proved_initiative(request, receipt: str) -> Initiative | None:
    initiative = by_receipt(receipt)
    if initiative is None or not proved(request, initiative.receipt):
        return None
    return initiative


def receipt_view(request, receipt: str):
    initiative = _proved_initiative(request, receipt)
    if initiative is None:
        return redirect("public:lookup")
    return render(
        request,
        "public/receipt.html",
        {"initiative": initiative, "lookup_url": settings.SITE_URL + reverse("public:lookup")},
    )


def edit_initial(initiative: Initiative) -> dict:
    """The edit page starts from what was stored; ID numbers are never sent back."""
    lead = initiative.lead
    others = [a for a in initiative.authors.all() if a.position > 0]
    return {
        "initial": {
            "author_full_name": lead.full_name,
            "author_phone": lead.phone(),
            "author_share": lead.share if others else None,
            "author_email": initiative.notify_email,
            "unit": initiative.unit.code,
            "block": initiative.block,
            "target_group": initiative.target_group,
            "kind": initiative.kind,
            "title": initiative.title,
            "description": initiative.description,
            "first_applied_on": initiative.first_applied_on,
            "recognized_by": initiative.recognized_by,
            "recognition_number": initiative.recognition_number,
            "recognition_date": initiative.recognition_date,
            "benefit_vnd": initiative.benefit_vnd or "",
            "benefit_text": initiative.benefit_text,
            "drive_link": initiative.drive_link,
            "not_ip_protected": initiative.not_ip_protected,
            "lawful": initiative.lawful,
            "consent": True,
        },
        "coauthor_initial": [
            {"full_name": a.full_name, "phone": a.phone(), "share": a.share} for a in others
        ],
    }


def edit_view(request, receipt: str):
    initiative = _proved_initiative(request, receipt)
    if initiative is None:
        return redirect("public:lookup")
    return form_page(
        request, initiative.program, editing=initiative, extra=edit_initial(initiative)
    )
