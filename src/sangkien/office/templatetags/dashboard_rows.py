"""The dashboard's two long tables, rendered in Python: the days with new initiatives (up to 600
rows) and the children with initiatives (up to a few hundred rows of eight cells).

Through the template engine these rows were about half of a dashboard's rendering at national
size (every cell a variable lookup and a filter; docs/PERFORMANCE.md). The HTML is the same as
the template's was, cell for cell, escaped by `format_html` as autoescape did;
tests/targets/test_dashboard.py compares the two.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sangkien.common.templatetags.vn import dmy, number, vnd

register = template.Library()

_DAY = '<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td></tr>'
_CHILD = (
    '<tr data-code="{}">\n      <th scope="row">{}</th>\n'
    '      <td class="num">{}</td>\n      <td class="num">{}</td>\n      <td class="num">{}</td>\n'
    '      <td class="num">{}</td>\n      <td class="num">{}</td>\n      <td class="num">{}</td>\n'
    '      <td class="num">{}</td>\n    </tr>'
)
_NONE = "—"


@register.simple_tag
def day_rows(days):
    """One row per day with new initiatives: the day, its count, the running total."""
    return format_html_join(
        "", _DAY, ((dmy(d.day), number(d.count), number(d.cumulative)) for d in days if d.count)
    )


@register.simple_tag
def child_rows(children, query: str):
    """One row per child: its name (a link to its dashboard when the viewer may open it), its
    initiatives, target, percent reached, participants, members, participation rate, benefit."""
    badge = _("đã chuyển đơn vị cấp trên trong thời gian chương trình")
    rows = []
    for child in children:
        unit, figures = child.unit, child.figures
        if child.linked:
            url = reverse("office:dashboard", args=[unit.code])
            name = format_html('<a href="{}?{}">{}</a>', url, query, unit.name)
        else:
            name = conditional_escape(unit.name)
        if child.moved:
            name = format_html('{} <span class="badge">{}</span>', name, badge)
        percent, rate = child.percent, figures.participation_rate
        rows.append(
            format_html(
                _CHILD,
                unit.code,
                name,
                number(figures.total),
                number(child.target) if child.target is not None else _NONE,
                floatformat(percent, 2) if percent is not None else _NONE,
                number(figures.participants),
                number(figures.members),
                floatformat(rate, 2) if rate is not None else _NONE,
                vnd(figures.benefit),
            )
        )
    return mark_safe("".join(rows))  # each row built by format_html above
