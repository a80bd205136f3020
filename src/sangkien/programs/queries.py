"""Reads of programmes, shared by the public pages, the office and the API."""

import time

from django.conf import settings
from django.db.models import QuerySet

from sangkien.programs.models import Program

# code → (monotonic instant read, programme with its phases, options and quotas, or None)
_recent: dict[str, tuple[float, Program | None]] = {}


def published_programs() -> QuerySet[Program]:
    """Programmes shown to everybody, with their phases, options and quotas in 4 queries."""
    return Program.objects.filter(is_published=True).prefetch_related("phases", "options", "quotas")


def published_program(code: str) -> Program | None:
    """One published programme with its rules, as `published_programs` reads it.

    The submission form asks for it on every post; with settings.PROGRAM_CACHE_SECONDS > 0 each
    process keeps what it read that long (an administrator's change reaches every process within
    that time), which saves four queries per submission at national rates. 0 (the default) reads
    the database every time.
    """
    keep = settings.PROGRAM_CACHE_SECONDS
    if keep > 0:
        seen = _recent.get(code)
        if seen is not None and time.monotonic() - seen[0] < keep:
            return seen[1]
    program = published_programs().filter(code=code).first()
    if keep > 0:
        _recent[code] = (time.monotonic(), program)
    return program


def options_of(program: Program, list_name: str) -> list:
    return [option for option in program.options.all() if option.list == list_name]
