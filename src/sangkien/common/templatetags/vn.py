"""Template filters for Vietnamese presentation: money as "10.000.000 đ", dd/mm/yyyy dates."""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


def group_thousands(value: int) -> str:
    return f"{int(value):,}".replace(",", ".")


@register.filter
def vnd(value) -> str:
    """10000000 → "10.000.000 đ"; empty stays empty."""
    if value in (None, ""):
        return ""
    return f"{group_thousands(value)} đ"


@register.filter
def number(value) -> str:
    """11800000 → "11.800.000"."""
    if value in (None, ""):
        return ""
    return group_thousands(value)


@register.filter
def dmy(value) -> str:
    """A date, or an instant shown in Vietnam's time, as dd/mm/yyyy."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@register.filter
def dmy_hm(value) -> str:
    """An instant in Vietnam's time as "07:00 08/01/2022"."""
    if value in (None, ""):
        return ""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


@register.filter
def deadline(value) -> str:
    """A closing instant the way the documents say it: 00:00 on 02/9/2023 is "24h00 01/09/2023"."""
    if value in (None, ""):
        return ""
    local = timezone.localtime(value)
    if local.hour == 0 and local.minute == 0:
        from datetime import timedelta

        return "24h00 " + (local - timedelta(days=1)).strftime("%d/%m/%Y")
    return local.strftime("%Hh%M %d/%m/%Y")


@register.filter
def get_item(mapping, key):
    """`mapping[key]` in a template (a form or value per row), None when absent."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
