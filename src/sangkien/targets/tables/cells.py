"""A sheet's columns and a row's cells as numbers: totals, phases, rates ("01 SK/đoàn viên")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from sangkien.common.text import fold
from sangkien.programs.models import Phase
from sangkien.targets.enums import TargetKind
from sangkien.targets.tables.labels import KIND_WORDS, _kind_from, _spaced, _text
from sangkien.targets.tables.numbers import _not_a_number, parse_number
from sangkien.targets.tables.rules import AllocationInput, _no_such_phase

# "SK/ĐV" is left unread on purpose: it is written for both đoàn viên and đơn vị.
MEMBER_WORDS = re.compile(r"\b(doan vien|nguoi|nguoi lao dong|cnvcld|cnld|lao dong)\b")
UNIT_WORDS = re.compile(r"\b(don vi|cdcs|co so|cong doan|cd)\b")
RATE_TEXT = re.compile(r"^(?P<n>\d+(?:[.,]\d+)?)\s*(?:sk|sang kien)?\s*/\s*(?P<rest>.+)$")
SPLIT_TEXT = re.compile(r"phan (?:bo|bổ) (?P<n>\d+) giai doan")


@dataclass
class _Columns:
    tt: int | None
    name: int
    total: int
    phases: list[int]
    kind: int | None = None
    applies: int | None = None
    participation: int | None = None


def _rate_text(text: str) -> tuple[Decimal, str, int | None]:
    """ "01 SK/đoàn viên/ phân bố 02 giai đoạn" → (1, per member, split over 2)."""
    words = fold(text)
    match = RATE_TEXT.match(words)
    if not match:
        raise _not_a_number(text)
    number = parse_number(match.group("n"))
    rest = _spaced(match.group("rest"))
    if MEMBER_WORDS.search(rest.split(" phan ")[0]):
        kind = TargetKind.PER_MEMBER
    elif UNIT_WORDS.search(rest):
        kind = TargetKind.PER_UNIT
    else:
        raise ValueError(
            _("«%(value)s»: không rõ là mỗi đoàn viên hay mỗi đơn vị.") % {"value": text}
        )
    split = SPLIT_TEXT.search(rest)
    return number or Decimal(0), kind, int(split.group("n")) if split else None


@dataclass
class _Read:
    """What the cells of a row say about its kind: from the "Cách tính" column, or from a text
    such as "01 SK/đoàn viên/ phân bố 02 giai đoạn" (and how many phases it splits over)."""

    kind: str | None = None
    from_column: bool = False
    split: int | None = None


def _in_column(column: str, reason: object) -> ValueError:
    return ValueError(_("Cột «%(column)s»: %(reason)s") % {"column": column, "reason": reason})


def _read_numbers(row: AllocationInput, cell, columns: _Columns, phases, program) -> _Read:
    """Fill the row's total, phase values and rate from its cells (ValueError: why not)."""
    read = _Read()
    kind_text = _text(cell(columns.kind))
    if kind_text:
        read.kind, read.from_column = _kind_from(kind_text), True
        if read.kind is None:
            raise ValueError(
                _("Cột «Cách tính»: «%(value)s» không phải là cách tính đã biết (%(known)s).")
                % {"value": kind_text, "known": "; ".join(KIND_WORDS.values())}
            )

    def number(i: int, what: str) -> Decimal | None:
        value = cell(i)
        try:
            return parse_number(value)
        except ValueError as error:
            if not (isinstance(value, str) and "/" in value):  # "01 SK/đoàn viên" is a rate
                raise _in_column(what, error) from None
            try:
                amount, kind, split = _rate_text(value)
            except ValueError as text_error:
                raise _in_column(what, text_error) from None
            if not read.from_column:
                if read.kind is not None and read.kind != kind:
                    raise ValueError(
                        _("Cột «%(column)s»: cách tính khác với các cột khác của dòng.")
                        % {"column": what}
                    ) from None
                read.kind = kind
            read.split = split if split is not None else read.split
            return amount

    row.total = number(columns.total, _("Tổng số"))
    for position, i in enumerate(columns.phases):
        value = number(i, _text_column_name(position, phases))
        if value is None:
            continue
        if position >= len(phases):
            raise ValueError(_no_such_phase(program, position + 1))
        row.phase_values[phases[position].number] = value
    if columns.participation is not None:
        try:
            row.participation_percent = parse_number(cell(columns.participation), percent=True)
        except ValueError as error:
            raise _in_column(_("Tỷ lệ đoàn viên tham gia (%)"), error) from None
    return read


def _text_column_name(position: int, phases: list[Phase]) -> str:
    if position < len(phases):
        return phases[position].name
    return _("Giai đoạn %(n)s") % {"n": position + 1}
