"""Public pages: the list of programmes and each programme's rules and windows."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from sangkien.programs import windows
from sangkien.programs.queries import options_of, published_programs


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


def program_detail(request, code: str):
    program = published_programs().filter(code=code).first()
    if program is None:
        raise Http404
    _with_state(program, timezone.now())
    context = {
        "program": program,
        "phases": sorted(program.phases.all(), key=lambda p: p.number),
        "kinds": options_of(program, "kind"),
        "target_groups": options_of(program, "target_group"),
        "blocks": options_of(program, "block"),
    }
    return render(request, "public/program.html", context)
