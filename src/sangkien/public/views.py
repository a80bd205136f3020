"""Public pages: the programmes with their rules, window, counter and QR code; the lookup of an
initiative by receipt and phone number, and its withdrawal by the submitter."""

import io
import math
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangkien.common import ratelimit
from sangkien.common.http import client_ip
from sangkien.common.templatetags.vn import deadline, dmy_hm
from sangkien.initiatives import queries, services
from sangkien.initiatives.receipts import parse_receipt
from sangkien.programs import windows
from sangkien.programs.models import Program
from sangkien.programs.queries import options_of, published_programs
from sangkien.public.access import proved, remember
from sangkien.review import queries as review_queries
from sangkien.targets.queries import programme_total

QR_MAX_AGE = 24 * 3600
QR_PNG_SCALE = 20  # 20 px a module: a version-4 code with its border is 820 px, poster-sized


def _with_state(program, now):
    program.open_now = windows.is_open(program, now)
    program.current_phase = windows.phase_open_at(program, now)
    program.opens_next = windows.next_opening(program, now)
    program.closes_at = windows.closing_at(program, now)
    return program


def home(request):
    now = timezone.now()
    programs = [_with_state(program, now) for program in published_programs()]
    programs.sort(key=lambda p: (not p.open_now, -p.submission_opens_at.timestamp()))
    return render(request, "public/home.html", {"programs": programs, "now": now})


# --- the programme page: window and countdown ------------------------------------------------


def countdown_formats() -> dict[str, str]:
    """The shapes of the time left, shared by the server's text and countdown.js."""
    return {
        "dh": _("%(days)s ngày %(hours)s giờ"),
        "hm": _("%(hours)s giờ %(minutes)s phút"),
        "ms": _("%(minutes)s phút %(seconds)s giây"),
        "s": _("%(seconds)s giây"),
    }


def remaining(until: datetime, now: datetime) -> str:
    """The time from `now` to `until`, rounded down, in its two largest units: "3 ngày 5 giờ",
    "5 giờ 12 phút", "12 phút 30 giây", "30 giây"."""
    seconds = max(0, math.floor((until - now).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    values = {"days": days, "hours": hours, "minutes": minutes, "seconds": seconds}
    shape = "dh" if days else "hm" if hours else "ms" if minutes else "s"
    return countdown_formats()[shape] % values


@dataclass(frozen=True)
class WindowStatus:
    """Where a programme's submission window stands at an instant, in words.

    `state` is "open" (counting down to `until`, the closing instant), "soon" (counting down to
    `until`, the next opening) or "closed" (for good). `message` is the sentence with the time
    left inside `<span data-left>` for countdown.js; `text` is the same sentence without markup;
    `ended` is what countdown.js shows when it reaches zero.
    """

    state: str
    until: datetime | None
    message: SafeString
    ended: str

    @property
    def text(self) -> str:
        return strip_tags(self.message)


def _sentence(template: str, **values: str) -> SafeString:
    # The translated template is ours; the values are escaped unless already safe.
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return mark_safe(conditional_escape(template) % escaped)  # escaped above


def window_status(program: Program, now: datetime) -> WindowStatus:
    closes = windows.closing_at(program, now)
    if closes is not None:
        last = closes >= program.submission_closes_at
        return WindowStatus(
            state="open",
            until=closes,
            message=_sentence(
                _("Còn %(left)s để nộp (hạn cuối trước %(deadline)s)"),
                left=format_html("<span data-left>{}</span>", remaining(closes, now)),
                deadline=deadline(closes),
            ),
            ended=(
                _("Đã kết thúc nhận sáng kiến")
                if last
                else _("Đã hết hạn nộp của giai đoạn này. Tải lại trang để xem lần mở tiếp theo.")
            ),
        )
    opens = windows.next_opening(program, now)
    if opens is not None:
        return WindowStatus(
            state="soon",
            until=opens,
            message=_sentence(
                _("Mở nhận sáng kiến sau %(left)s (từ %(opens)s)"),
                left=format_html("<span data-left>{}</span>", remaining(opens, now)),
                opens=dmy_hm(opens),
            ),
            ended=_("Đã mở nhận sáng kiến. Tải lại trang để nộp."),
        )
    ended = _("Đã kết thúc nhận sáng kiến")
    return WindowStatus(state="closed", until=None, message=_sentence(ended), ended=ended)


def rules_blocks(text: str) -> list[tuple[str, object]]:
    """The programme's rules text as ("p", line) paragraphs and ("ul", [items]) lists: lines
    starting with "- " are the items of a list, so the conditions read as lists on a phone."""
    blocks: list[tuple[str, object]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line[:2] in ("- ", "• ", "+ "):
            if not blocks or blocks[-1][0] != "ul":
                blocks.append(("ul", []))
            blocks[-1][1].append(line[2:].strip())  # type: ignore[union-attr]
        else:
            blocks.append(("p", line))
    return blocks


# --- the programme page and its QR code -----------------------------------------------------


def form_url(program: Program) -> str:
    """The absolute address of the programme's submission form, which the QR code opens."""
    return settings.SITE_URL + reverse("public:submit", args=[program.code])


@lru_cache(maxsize=64)
def _qr_inline(url: str, title: str) -> str:
    # Deterministic for its arguments and a few kB: kept per process instead of redrawn per view.
    return segno.make_qr(url, error="m").svg_inline(scale=4, title=title, omitsize=True)


def _published(code: str):
    program = published_programs().filter(code=code).first()
    if program is None:
        raise Http404
    return program


def program_detail(request, code: str):
    program = _published(code)
    now = timezone.now()
    _with_state(program, now)
    status = window_status(program, now)
    url = form_url(program)
    context = {
        "program": program,
        "status": status,
        "now_iso": now.replace(microsecond=0).isoformat(),
        "formats": countdown_formats(),
        "closed_reason": None if program.open_now else services.closed_message(program, now),
        "counter": programme_total(program),
        "rules": rules_blocks(program.rules_text),
        "form_url": url,
        "qr_svg": mark_safe(_qr_inline(url, _("Mã QR mở biểu mẫu nộp sáng kiến"))),
        "phases": sorted(program.phases.all(), key=lambda p: p.number),
        "kinds": options_of(program, "kind"),
        "target_groups": options_of(program, "target_group"),
        "blocks": options_of(program, "block"),
        "attachment_types": ", ".join(t.upper() for t in program.attachment_types),
    }
    return render(request, "public/program.html", context)


def program_qr(request, code: str, fmt: str):
    """The QR code of the form as a PNG big enough for a poster, or as an SVG."""
    program = Program.objects.filter(is_published=True, code=code).first()
    if program is None:
        raise Http404
    qr = segno.make_qr(form_url(program), error="m")
    buffer = io.BytesIO()
    if fmt == "png":
        qr.save(buffer, kind="png", scale=QR_PNG_SCALE, border=4)
        content_type = "image/png"
    else:
        qr.save(buffer, kind="svg", scale=10, border=4, xmldecl=True)
        content_type = "image/svg+xml"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="sangkien-{program.code}.{fmt}"'
    patch_cache_control(response, public=True, max_age=QR_MAX_AGE)
    return response


# --- the lookup -----------------------------------------------------------------------------

NOT_FOUND = gettext_lazy("Không tìm thấy sáng kiến với mã biên nhận và số điện thoại này.")


class LookupForm(forms.Form):
    receipt = forms.CharField(
        label=gettext_lazy("Mã biên nhận"),
        max_length=20,
        help_text=gettext_lazy("8 ký tự trên biên nhận, ví dụ ABCD-EFGH."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": gettext_lazy("Nhập mã biên nhận.")},
    )
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        max_length=20,
        help_text=gettext_lazy("Số điện thoại của tác giả đã khai khi nộp, ví dụ 0912 345 678."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": gettext_lazy("Nhập số điện thoại.")},
    )


def _too_many(request, form, limit) -> HttpResponse:
    minutes = max(1, math.ceil(limit.retry_after / 60))
    message = _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.") % {
        "minutes": minutes
    }
    response = render(request, "public/lookup.html", {"form": form, "limited": message}, status=429)
    response["Retry-After"] = str(limit.retry_after)
    return response


def lookup(request):
    """Tra cứu: receipt and phone together, or nothing; which of the two was wrong is not told."""
    if request.method != "POST":
        form = LookupForm(initial={"receipt": request.GET.get("ma", "")[:20]})
        return render(request, "public/lookup.html", {"form": form})
    form = LookupForm(request.POST)
    limit = ratelimit.check("lookup_ip", client_ip(request))
    if not limit.allowed:
        return _too_many(request, form, limit)
    if form.is_valid():
        code = parse_receipt(form.cleaned_data["receipt"])
        if code:
            limit = ratelimit.check("lookup_receipt", code)
            if not limit.allowed:
                return _too_many(request, form, limit)
        initiative = queries.lookup(form.cleaned_data["receipt"], form.cleaned_data["phone"])
        if initiative is not None:
            remember(request, initiative.receipt)
            return redirect("public:lookup_detail", receipt=initiative.receipt)
        form.add_error(None, NOT_FOUND)
    return render(request, "public/lookup.html", {"form": form})


def _proved_initiative(request, receipt: str):
    """The initiative this browser has proved it may see, or None (then: back to the lookup)."""
    code = parse_receipt(receipt)
    if not code or not proved(request, code):
        return None
    initiative = queries.by_receipt(code)
    if initiative is None:
        raise Http404
    return initiative


def _to_lookup(receipt: str):
    return redirect(reverse("public:lookup") + "?ma=" + (parse_receipt(receipt) or ""))


def lookup_detail(request, receipt: str):
    initiative = _proved_initiative(request, receipt)
    if initiative is None:
        return _to_lookup(receipt)
    authors = sorted(initiative.authors.all(), key=lambda author: author.position)
    context = {
        "initiative": initiative,
        "authors": authors,
        "attachments": list(initiative.attachments.all()),
        "history": list(initiative.history.all()),
        "locked_reason": services.editable(initiative, timezone.now()),
        # Where it went and what was complained, never the reviewers' scores.
        "nominations": review_queries.history_of(initiative),
        "complaints": review_queries.complaints_of(initiative),
    }
    return render(request, "public/lookup_detail.html", context)


def withdraw(request, receipt: str):
    """Rút sáng kiến: a GET asks for confirmation, the POST withdraws."""
    initiative = _proved_initiative(request, receipt)
    if initiative is None:
        return _to_lookup(receipt)
    if request.method == "POST":
        try:
            services.initiative_withdraw(initiative=initiative)
        except services.SubmissionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Đã rút sáng kiến."))
        return redirect("public:lookup_detail", receipt=initiative.receipt)
    reason = services.editable(initiative, timezone.now())
    if reason:
        messages.error(request, reason)
        return redirect("public:lookup_detail", receipt=initiative.receipt)
    return render(request, "public/lookup_withdraw.html", {"initiative": initiative})
