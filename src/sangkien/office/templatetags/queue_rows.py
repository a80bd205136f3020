"""The rows of the office queue (a page of up to 50 initiatives), rendered in Python.

Through the template engine the rows were about two thirds of a national administrator's queue
page (every cell a variable lookup, two URL reversals per row; docs/PERFORMANCE.md). The HTML is
the same as the template's was, escaped by `format_html` as autoescape did;
tests/review/test_queue.py compares the two.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sangkien.common.templatetags.vn import dmy_hm

register = template.Library()

_ROW = (
    '\n  <tr data-href="{url}">\n'
    '    <td><input type="checkbox" name="ids" value="{pk}" aria-label="{label}"></td>\n'
    '    <td><a href="{url}">{receipt}</a></td>\n'
    "    <td>{title}</td>\n"
    "    <td>{leads}</td>\n"
    "    <td>{unit}</td>\n"
    "    <td>{submitted}</td>\n"
    '    <td><span class="state state-{status}">{status_label}</span></td>\n'
    "    <td>{reached}</td>\n"
    '    <td class="num">{score}</td>\n'
    "  </tr>\n  "
)
_NONE = "—"


@register.simple_tag
def queue_rows(initiatives):
    """One row per initiative of the page: a checkbox, the receipt linking to the review page,
    the title with its warnings, the lead author, the unit, when, the status, how far it was
    forwarded and its mean score."""
    complaint = format_html(' <span class="badge warn">{}</span>', _("khiếu nại"))
    duplicate = format_html(' <span class="badge warn">{}</span>', _("trùng nội dung"))
    rows = []
    for i in initiatives:
        receipt = i.receipt_display
        title = conditional_escape(i.title)
        if i.open_complaint:
            title += complaint
        if i.duplicate_of_id:
            title += duplicate
        if i.score_avg is not None:
            score = format_html(
                '{} <span class="meta">({})</span>', floatformat(i.score_avg, 1), i.score_count
            )
        else:
            score = _NONE
        rows.append(
            format_html(
                _ROW,
                url=reverse("office:review_detail", args=[i.receipt]),
                pk=i.pk,
                # blocktranslate escapes the value it fills in, not the sentence around it.
                label=mark_safe(_("Chọn %(r)s") % {"r": conditional_escape(receipt)}),
                receipt=receipt,
                title=title,
                leads=mark_safe("".join(conditional_escape(a.full_name) for a in i.leads)),
                unit=i.unit.name,
                submitted=dmy_hm(i.submitted_at),
                status=i.status,
                status_label=i.get_status_display(),
                reached=i.reached or _NONE,
                score=score,
            )
        )
    return mark_safe("".join(rows))  # each row built by format_html above
