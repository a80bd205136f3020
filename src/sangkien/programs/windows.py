"""The one place that decides whether a programme accepts submissions at an instant, and which
phase an instant or an application date belongs to.

Windows are half-open: "từ 7h00 ngày 08/01/2022" is the first instant inside, "trước 24h00 ngày
01/9/2023" (= 00:00 on 02/9/2023, +07:00) the first instant outside. Instants are compared as
aware datetimes, so the server clock's zone (UTC in production) does not matter.
"""

from datetime import date, datetime

from sangkien.common.timewindows import Window
from sangkien.programs.models import Phase, Program


def _phases(program: Program) -> list[Phase]:
    # Works with prefetch_related("phases") without a query per call.
    return sorted(program.phases.all(), key=lambda phase: phase.number)


def program_window(program: Program) -> Window:
    return Window(program.submission_opens_at, program.submission_closes_at)


def phase_window(phase: Phase) -> Window:
    return Window(phase.submission_opens_at, phase.submission_closes_at)


def phase_open_at(program: Program, at: datetime) -> Phase | None:
    """The phase whose submission window contains `at`, if any."""
    if not program_window(program).contains(at):
        return None
    for phase in _phases(program):
        if phase_window(phase).contains(at):
            return phase
    return None


def is_open(program: Program, at: datetime) -> bool:
    """Whether submissions are accepted at `at`: inside the programme's window and, when the
    programme has phases, inside one phase's window too (a gap between phases is closed)."""
    if not program_window(program).contains(at):
        return False
    phases = _phases(program)
    return not phases or any(phase_window(phase).contains(at) for phase in phases)


def phase_for_date(program: Program, day: date) -> Phase | None:
    """The phase whose eligibility period (inclusive dates) contains an application date."""
    for phase in _phases(program):
        if phase.eligible_from <= day <= phase.eligible_to:
            return phase
    return None


def next_opening(program: Program, at: datetime) -> datetime | None:
    """When submissions open next after `at` (None if they are open or will never open again)."""
    if is_open(program, at):
        return None
    starts = [phase.submission_opens_at for phase in _phases(program)] or [
        program.submission_opens_at
    ]
    later = [start for start in starts if start > at and start < program.submission_closes_at]
    return min(later) if later else None


def closing_at(program: Program, at: datetime) -> datetime | None:
    """When the window that is open at `at` closes (None if closed)."""
    if not is_open(program, at):
        return None
    phase = phase_open_at(program, at)
    return (
        min(phase.submission_closes_at, program.submission_closes_at)
        if phase
        else program.submission_closes_at
    )
