"""Thống kê: a unit's dashboard (figures against targets, charts, children to drill into) and the
same figures as XLSX, CSV and PDF. A unit the officer may not see answers 404.

The programme, phase and tree are chosen with a plain GET form; a value that makes no sense is
answered with the page (200) and a message next to its field, showing the default instead.
"""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sangkien.accounts import rules
from sangkien.common.dbrouting import reads_from_replica
from sangkien.orgs.models import Unit
from sangkien.programs.models import Phase, Program
from sangkien.targets.dashboard import (
    KEEP_SECONDS,
    charts_of,
    counted_statuses,
    dashboard,
    kept_key,
)
from sangkien.targets.dashboard_files import (
    dashboard_csv,
    dashboard_pdf,
    dashboard_xlsx,
    filename,
)
from sangkien.targets.enums import Tree
from sangkien.targets.queries import as_of

FILES = {
    "xlsx": (dashboard_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (dashboard_csv, "text/csv; charset=utf-8"),
    "pdf": (dashboard_pdf, "application/pdf"),
}


@dataclass
class Choice:
    """What the GET form asked for, made sense of: the defaults stand in for nonsense."""

    program: Program | None = None
    phase: Phase | None = None
    which: str = Tree.HISTORICAL
    errors: dict[str, str] = field(default_factory=dict)

    def query(self) -> str:
        if self.program is None:
            return ""
        params = {"program": self.program.code, "tree": self.which}
        if self.phase is not None:
            params["phase"] = self.phase.number
        return urlencode(params)


def _programs() -> list[Program]:
    return list(
        Program.objects.filter(is_published=True)
        .order_by("-submission_opens_at")
        .prefetch_related("phases", "options")
    )


def _default_program(programs: list[Program]) -> Program | None:
    """The newest programme that has opened, else the one opening first."""
    now = timezone.now()
    opened = [program for program in programs if program.submission_opens_at <= now]
    return opened[0] if opened else (programs[-1] if programs else None)


def read_choice(params, programs: list[Program]) -> Choice:
    choice = Choice(program=_default_program(programs))
    code = params.get("program", "").strip()
    if code:
        asked = next((p for p in programs if p.code == code), None)
        if asked is None:
            choice.errors["program"] = _(
                "Không có chương trình này; đang xem chương trình mặc định."
            )
        else:
            choice.program = asked
    number = params.get("phase", "").strip()
    if number and choice.program is not None:
        phases = choice.program.phases.all()
        choice.phase = next((p for p in phases if str(p.number) == number), None)
        if choice.phase is None:
            choice.errors["phase"] = _(
                "Chương trình này không có giai đoạn “%(value)s”; đang xem cả chương trình."
            ) % {"value": number[:20]}
    which = params.get("tree", "").strip()
    if which in Tree.values:
        choice.which = which
    elif which:
        choice.errors["tree"] = _(
            "Chọn “cây đơn vị khi nộp” hoặc “cây đơn vị hiện nay”; đang xem cây đơn vị khi nộp."
        )
    return choice


@login_required
@reads_from_replica
def dashboard_home(request):
    """Thống kê: the dashboard of the outermost unit the officer sees."""
    roots = rules.visible_roots(request.user)
    if not roots:
        raise Http404
    unit_id = int(roots[0].strip("/").split("/")[-1])
    unit = Unit.objects.filter(pk=unit_id).only("code").first()
    if unit is None:
        raise Http404
    url = reverse("office:dashboard", args=[unit.code])
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


@login_required
@reads_from_replica
def dashboard_view(request, code: str):
    unit = rules.unit_for(request.user, code)
    programs = _programs()
    choice = read_choice(request.GET, programs)
    context = {"unit": unit, "programs": programs, "choice": choice, "trees": Tree.choices}
    if choice.program is not None:
        # The figures, charts and tables are kept rendered (kept_key says for whom and until
        # when): rendering them costs more than reading them, and a province's officers all
        # open the same page. The header, the form and its messages are the request's own.
        state = as_of()
        key = kept_key(choice.program, unit, choice.which, choice.phase, request.user, state)
        kept = cache.get(key)
        if kept is None:
            board = dashboard(
                choice.program, unit, choice.which, choice.phase, request.user, state=state
            )
            parts = {
                "unit": unit,
                "choice": choice,
                "board": board,
                "charts": charts_of(board),
                "counted": counted_statuses(),
            }
            kept = {
                "crumbs": render_to_string("office/_dashboard_crumbs.html", parts),
                "board": render_to_string("office/_dashboard_board.html", parts),
            }
            cache.set(key, kept, KEEP_SECONDS)
            context["board"] = board
        # Rendered by our templates, escaped there.
        context.update(crumbs_html=mark_safe(kept["crumbs"]), board_html=mark_safe(kept["board"]))
    return render(request, "office/dashboard.html", context)


@login_required
@reads_from_replica
def dashboard_file(request, code: str, fmt: str):
    unit = rules.unit_for(request.user, code)
    build, content_type = FILES[fmt]
    choice = read_choice(request.GET, _programs())
    if choice.program is None:
        raise Http404
    if choice.errors:  # the page says what was wrong, next to the field
        url = reverse("office:dashboard", args=[unit.code])
        return redirect(f"{url}?{request.GET.urlencode()}")
    board = dashboard(choice.program, unit, choice.which, choice.phase, request.user)
    response = HttpResponse(build(board), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(board, fmt)}"'
    return response
