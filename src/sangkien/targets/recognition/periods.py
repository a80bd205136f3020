"""The periods recognition is computed for: quarter and phase keys, their labels, their days."""

import re
from datetime import date, timedelta

from django.utils.translation import gettext as _

from sangkien.common.timewindows import vn_date
from sangkien.programs.models import Program
from sangkien.targets import allocation

QUARTER_KEY = re.compile(r"^(\d{4})-Q([1-4])$")
PHASE_PERIOD = re.compile(r"^p([1-9][0-9]?)$")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def quarter_label(key: str) -> str:
    """ "2026-Q4" → "Quý IV/2026"."""
    year, quarter = _parse_quarter(key)
    return _("Quý %(roman)s/%(year)s") % {"roman": ROMAN[quarter], "year": year}


def phase_label(number: int) -> str:
    return _("Giai đoạn %(number)s") % {"number": number}


def period_label(key: str) -> str:
    """The label of a period key: "2026-Q4" → "Quý IV/2026", "p1" → "Giai đoạn 1"."""
    found = PHASE_PERIOD.match(key or "")
    if found:
        return phase_label(int(found.group(1)))
    return quarter_label(key)


def _parse_quarter(key: str) -> tuple[int, int]:
    found = QUARTER_KEY.match(key or "")
    if found is None:
        raise ValueError(f"not a quarter key: {key!r}")
    return int(found.group(1)), int(found.group(2))


def periods_of(program: Program) -> list[tuple[str, str]]:
    """The periods the page offers: (key, label) for every quarter of the programme's window,
    then the phase-1 candidates ("p1"). Reads no phase (the phase-1 label needs none)."""
    quarters = [(key, quarter_label(key)) for key in allocation.quarters_of(program)]
    return [*quarters, ("p1", _("Sơ kết giai đoạn 1 (khen thưởng sơ kết đợt 01)"))]


def _last_day(phase_or_program) -> date:
    return vn_date(phase_or_program.submission_closes_at - timedelta(microseconds=1))


def _first_day(phase_or_program) -> date:
    return vn_date(phase_or_program.submission_opens_at)
