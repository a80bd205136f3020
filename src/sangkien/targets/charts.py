"""Charts drawn on the server as SVG markup: columns against a target, the daily curve, breakdowns.

Each chart is a self-contained `<svg role="img">` named by its `<title>` and `<desc>`
(aria-labelledby), sized by its viewBox only, so it shrinks to a cheap phone's width and prints
as it shows. Every value is also written as a number beside its mark (no meaning by colour
alone), text uses the reader's own sans-serif font, and nothing runs: no script, no external
font or stylesheet. A daily curve of hundreds of days is one `<path>` per series, not one
element per day. Every label is escaped; the page shows the same figures as a table.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sangkien.common.templatetags.vn import group_thousands

# 480 units wide: on a 360-pixel phone the 14-unit text is still 10–11 pixels, and two charts side
# by side on a desktop show it at about 15.
WIDTH = 480
FONT = 14
INK = "#1b1f24"
MUTED = "#5b6470"
GRID = "#d5dae0"
FILL = "#b3261e"
FILL_SOFT = "#f1c9c5"
_IDENT = re.compile(r"^[a-z][a-z0-9-]{0,40}$")
# A rough width of one character of the 14-unit text, to wrap or cut labels before they run into
# their neighbour.
_CHAR_PX = 7.6


@dataclass(frozen=True)
class Bar:
    """One mark of a column or bar chart: its label, its value and (columns only) its target."""

    label: str
    value: int
    target: int | None = None


def _n(value: float) -> str:
    """A coordinate: one decimal at most, so a long path stays short."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _count(value: int) -> str:
    return group_thousands(value)


def _clip(text: str, chars: int) -> str:
    text = " ".join(str(text).split())
    chars = max(chars, 2)
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _wrap(text: str, chars: int, lines: int = 2) -> list[str]:
    """The label on at most `lines` lines of `chars` characters, cut with "…" beyond."""
    words = " ".join(str(text).split()).split(" ")
    out: list[str] = []
    while words and len(out) < lines:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= chars:
            line += " " + words.pop(0)
        out.append(line)
    if words:
        out[-1] = _clip(out[-1] + " " + " ".join(words), chars)
    return [_clip(line, chars) for line in out]


def _svg(ident: str, title: str, desc: str, height: float, body: list[str]) -> SafeString:
    if not _IDENT.match(ident):
        raise ValueError(f"chart id {ident!r}: lower-case letters, digits and dashes")
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} '
        f'{_n(height)}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" '
        f'font-size="{FONT}" fill="{INK}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
    )
    # Safe: every text and attribute value that came from outside was escaped on the way in.
    return mark_safe(head + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, *, anchor: str = "start", **attrs: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attrs.items())
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _empty(ident: str, title: str, desc: str) -> SafeString:
    return _svg(
        ident, title, desc, 60, [_text(WIDTH / 2, 36, _("Chưa có số liệu"), anchor="middle")]
    )


def _legend(value_name: str, target_name: str | None) -> list[str]:
    parts = [
        f'<rect x="0" y="4" width="14" height="14" fill="{FILL}"/>',
        _text(20, 16, value_name),
    ]
    if target_name:
        x = 40 + len(value_name) * _CHAR_PX
        parts += [
            f'<line x1="{_n(x)}" y1="11" x2="{_n(x + 22)}" y2="11" stroke="{INK}" '
            'stroke-width="2" stroke-dasharray="5 3"/>',
            _text(x + 28, 16, target_name),
        ]
    return parts


def columns(
    ident: str,
    title: str,
    desc: str,
    bars: list[Bar],
    *,
    value_name: str,
    target_name: str | None = None,
) -> SafeString:
    """Vertical columns (phases, quarters), each with its target as a dashed mark across it and
    "value / target" written above."""
    if not bars:
        return _empty(ident, title, desc)
    height, top, bottom = 270.0, 48.0, 48.0
    plot = height - top - bottom
    highest = max([bar.value for bar in bars] + [bar.target or 0 for bar in bars]) or 1
    slot = WIDTH / len(bars)
    width = min(slot * 0.6, 90)
    body = _legend(value_name, target_name if any(b.target is not None for b in bars) else None)
    base = top + plot
    body.append(f'<line x1="0" y1="{_n(base)}" x2="{WIDTH}" y2="{_n(base)}" stroke="{MUTED}"/>')

    def y(value: int) -> float:
        return base - plot * value / highest

    for i, bar in enumerate(bars):
        middle = slot * (i + 0.5)
        top_of_bar = y(bar.value)
        if bar.value:
            body.append(
                f'<rect x="{_n(middle - width / 2)}" y="{_n(top_of_bar)}" width="{_n(width)}" '
                f'height="{_n(base - top_of_bar)}" fill="{FILL}"/>'
            )
        words = _count(bar.value)
        highest_mark = top_of_bar
        if bar.target is not None:
            mark = y(bar.target)
            highest_mark = min(highest_mark, mark)
            reach = min(slot * 0.45, width / 2 + 10)
            body.append(
                f'<line x1="{_n(middle - reach)}" y1="{_n(mark)}" x2="{_n(middle + reach)}" '
                f'y2="{_n(mark)}" stroke="{INK}" stroke-width="2" stroke-dasharray="5 3"/>'
            )
            words = f"{words} / {_count(bar.target)}"
        body.append(
            _text(middle, highest_mark - 6, _clip(words, int(slot / _CHAR_PX)), anchor="middle")
        )
        for line_number, line in enumerate(_wrap(bar.label, int(slot / _CHAR_PX))):
            body.append(_text(middle, base + 19 + 17 * line_number, line, anchor="middle"))
    return _svg(ident, title, desc, height, body)


def bars(ident: str, title: str, desc: str, rows: list[Bar]) -> SafeString:
    """Horizontal bars (a breakdown): the label above each bar (two lines at most), its count and
    share after it."""
    if not rows:
        return _empty(ident, title, desc)
    line_height, bar_height = 17.0, 14.0
    total = sum(row.value for row in rows)
    highest = max(row.value for row in rows) or 1
    room = WIDTH - 110
    body: list[str] = []
    top = 0.0
    for row in rows:
        for line in _wrap(row.label, int(WIDTH / _CHAR_PX)):
            top += line_height
            body.append(_text(0, top - 3, line))
        length = room * row.value / highest
        if row.value:
            body.append(
                f'<rect x="0" y="{_n(top + 2)}" width="{_n(length)}" height="{_n(bar_height)}" '
                f'fill="{FILL}"/>'
            )
        share = f" ({round(100 * row.value / total)} %)" if total else ""
        body.append(_text(length + 6, top + bar_height, _count(row.value) + share))
        top += bar_height + 12
    return _svg(ident, title, desc, top, body)


def curve(
    ident: str,
    title: str,
    desc: str,
    points: list[tuple[date, int]],
    *,
    cumulative: bool,
    target: int | None = None,
    target_name: str | None = None,
) -> SafeString:
    """The daily curve: `points` are (day, value) in order, one per day. Cumulative: an area
    under a line (and the target as a dashed level); per day: one stroke per day. Either way one
    `<path>` per series, so hundreds of days stay light."""
    if not points or not any(value for _day, value in points):
        return _empty(ident, title, desc)
    height, top, bottom, left, right = 240.0, 18.0, 36.0, 76.0, 12.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    base = top + plot_h
    highest = max([value for _day, value in points] + [target or 0]) or 1
    count = len(points)
    step = plot_w / (count - 1) if count > 1 else 0

    def x(i: int) -> float:
        return left + i * step if count > 1 else left + plot_w / 2

    def y(value: int) -> float:
        return base - plot_h * value / highest

    body: list[str] = []
    for value in (0, highest // 2, highest) if highest > 1 else (0, highest):
        body.append(
            f'<line x1="{_n(left)}" y1="{_n(y(value))}" x2="{_n(WIDTH - right)}" '
            f'y2="{_n(y(value))}" stroke="{GRID}"/>'
        )
        body.append(_text(left - 6, y(value) + 4, _count(value), anchor="end"))
    if cumulative:
        line = " ".join(
            f"{'M' if i == 0 else 'L'}{_n(x(i))} {_n(y(value))}"
            for i, (_day, value) in enumerate(points)
        )
        area = f"M{_n(x(0))} {_n(base)} L{line[1:]} L{_n(x(count - 1))} {_n(base)} Z"
        body.append(f'<path d="{area}" fill="{FILL_SOFT}" stroke="none"/>')
        body.append(f'<path d="{line}" fill="none" stroke="{FILL}" stroke-width="2"/>')
        if target is not None:
            body.append(
                f'<line x1="{_n(left)}" y1="{_n(y(target))}" x2="{_n(WIDTH - right)}" '
                f'y2="{_n(y(target))}" stroke="{INK}" stroke-width="2" stroke-dasharray="5 3"/>'
            )
            label = f"{target_name or _('Chỉ tiêu')}: {_count(target)}"
            body.append(_text(WIDTH - right, y(target) - 6, label, anchor="end"))
    else:
        stroke = max(1.0, min(8.0, (step or plot_w) * 0.7))
        strokes = "".join(
            f"M{_n(x(i))} {_n(base)}V{_n(y(value))}"
            for i, (_day, value) in enumerate(points)
            if value
        )
        body.append(f'<path d="{strokes}" stroke="{FILL}" stroke-width="{_n(stroke)}"/>')
    body.append(
        f'<line x1="{_n(left)}" y1="{_n(base)}" x2="{_n(WIDTH - right)}" y2="{_n(base)}" '
        f'stroke="{MUTED}"/>'
    )
    ticks = sorted({round(k * (count - 1) / 3) for k in range(4)}) if count > 1 else [0]
    for i in ticks:
        anchor = "start" if i == 0 and count > 1 else "end" if i == count - 1 else "middle"
        body.append(_text(x(i), base + 20, points[i][0].strftime("%d/%m/%Y"), anchor=anchor))
    last_value = points[-1][1]
    if cumulative:
        body.append(
            _text(
                x(count - 1), y(last_value) - 6, _count(last_value), anchor="end", font_weight="600"
            )
        )
    return _svg(ident, title, desc, height, body)
