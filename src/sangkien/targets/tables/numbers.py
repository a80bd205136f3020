"""Numbers as people type them: "5.342" and "0,5" read and written the Vietnamese way."""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from sangkien.common.templatetags.vn import group_thousands
from sangkien.common.text import clean_line, nfc

MAX_VALUE = Decimal("1000000000")  # a billion initiatives per unit is a typo, not a target


def format_number(value: Decimal | int | None) -> str:
    """5342 → "5.342"; 0.5 → "0,5" (Vietnamese: "." groups thousands, "," starts decimals)."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return group_thousands(int(value))
    whole, _dot, decimals = f"{value.normalize():f}".partition(".")
    return f"{group_thousands(int(whole))},{decimals}"


def _per_phase(values: dict, phases) -> str:
    """ "Giai đoạn 1: 1; Giai đoạn 2: 1": the phases that have a value, in the programme's order."""
    return "; ".join(
        f"{phase.name}: {format_number(values[phase.number])}"
        for phase in phases
        if values.get(phase.number) is not None
    )


def _not_a_number(value: object) -> ValueError:
    return ValueError(_("«%(value)s» không phải là số.") % {"value": value})


def parse_number(value: object, *, percent: bool = False) -> Decimal | None:
    """A cell or a form field as a number ≥ 0: 5342, "5.342", "05", "0,5", "12.5", "10%".

    Raises ValueError with the Vietnamese message to show."""
    if value is None:
        return None
    if isinstance(value, bool):  # a ticked box is no number
        raise _not_a_number(value)
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        text = str(value)
    else:
        text = re.sub(r"\s+", "", nfc(str(value)))
        if percent:
            text = text.removesuffix("%")
        if not text:
            return None
        if text.startswith("-") and _looks_numeric(text[1:]):
            raise ValueError(_("Số không được âm."))
        number = _read_text_number(text)
        if number is None:
            raise _not_a_number(clean_line(value))
    if number.is_nan() or number.is_infinite():
        raise _not_a_number(text)
    if number < 0:
        raise ValueError(_("Số không được âm."))
    if number >= MAX_VALUE:
        raise ValueError(_("Số quá lớn."))
    if number != number.quantize(Decimal("0.01"), rounding=ROUND_DOWN):
        raise ValueError(_("Tối đa 2 chữ số thập phân."))
    if percent and number > 100:
        raise ValueError(_("Tỷ lệ tham gia phải từ 0 đến 100 (%)."))
    return number


def _looks_numeric(text: str) -> bool:
    return _read_text_number(text) is not None


def _read_text_number(text: str) -> Decimal | None:
    try:
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):  # "5.342": thousands, the Vietnamese way
            return Decimal(text.replace(".", ""))
        if re.fullmatch(r"\d+(,\d+)?", text):  # "05", "0,5": a decimal comma
            return Decimal(text.replace(",", "."))
        if re.fullmatch(r"\d+\.\d{1,2}", text):  # "12.5" typed the English way
            return Decimal(text)
    except InvalidOperation:
        return None
    return None
