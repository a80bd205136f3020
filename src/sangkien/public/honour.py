"""Vinh danh: the public honour board — provinces and sectors ranked, each competition cluster,
today's bulletin and the leaders of each period, read from the maintained numbers."""

from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sangkien.common.dbrouting import reads_from_replica
from sangkien.programs import windows
from sangkien.programs.models import Program
from sangkien.targets.rankings import (
    BY_COUNT,
    BY_PER_THOUSAND,
    Period,
    RankingError,
    honour_board,
    parse_order,
    parse_period,
)

MAX_AGE = 60  # seconds: the numbers move all day, a minute-old board is good enough


def _programmes(now) -> list[Program]:
    """Published programmes, the open ones first, then the newest (two queries)."""
    programs = list(Program.objects.filter(is_published=True).prefetch_related("phases"))
    programs.sort(key=lambda p: (not windows.is_open(p, now), -p.submission_opens_at.timestamp()))
    return programs


def _board_html(request, programs: list[Program], program: Program, period: Period, by: str):
    """The board below the page's header, kept a minute: its tables cost more to render than its
    seven queries cost to read, and everybody asking the same question gets the same answer."""
    key = ":".join(
        [
            "honour",
            request.LANGUAGE_CODE,
            timezone.localdate().isoformat(),
            str(program.pk),
            period.key,
            by,
            ",".join(str(p.pk) for p in programs),
        ]
    )
    html = cache.get(key)
    if html is None:
        context = {
            "programs": programs,
            "board": honour_board(program, period=period, by=by),
            "orders": [
                (BY_COUNT, _("Số sáng kiến")),
                (BY_PER_THOUSAND, _("Số sáng kiến trên 1.000 đoàn viên")),
            ],
        }
        html = render_to_string("public/honour_board.html", context, request)
        cache.set(key, str(html), MAX_AGE)
    return mark_safe(html)  # rendered by our template, escaped there


@reads_from_replica
def honour(request):
    """`?program=<code>&period=<p1|2026-Q4>&by=<count|per_thousand>`; a parameter that makes no
    sense is told in Vietnamese and replaced by its default, never an error page."""
    programs = _programmes(timezone.now())
    problems: list[str] = []
    code = request.GET.get("program", "").strip()
    program = next((p for p in programs if p.code == code), None)
    if code and program is None:
        problems.append(_("Không có chương trình mã “%(code)s”.") % {"code": code[:64]})
    program = program or (programs[0] if programs else None)
    board_html: SafeString | None = None
    if program is not None:
        try:
            period = parse_period(program, request.GET.get("period"))
        except RankingError as refused:
            problems.append(refused.message)
            period = parse_period(program, None)
        try:
            by = parse_order(request.GET.get("by"))
        except RankingError as refused:
            problems.append(refused.message)
            by = BY_COUNT
        board_html = _board_html(request, programs, program, period, by)
    response = render(
        request, "public/honour.html", {"board_html": board_html, "problems": problems}
    )
    if request.user.is_authenticated:
        # The header names the signed-in officer: not for shared caches.
        patch_cache_control(response, private=True, max_age=MAX_AGE)
    else:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
