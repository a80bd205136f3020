"""Reads of programmes, shared by the public pages, the office and the API."""

from django.db.models import QuerySet

from sangkien.programs.models import Program


def published_programs() -> QuerySet[Program]:
    """Programmes shown to everybody, with their phases, options and quotas in 4 queries."""
    return Program.objects.filter(is_published=True).prefetch_related("phases", "options", "quotas")


def options_of(program: Program, list_name: str) -> list:
    return [option for option in program.options.all() if option.list == list_name]
