"""Forms of the review pages: the queue's filters, decisions, scores, complaints, forwarding."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sangkien.common.widgets import FastSelect
from sangkien.initiatives.enums import Status
from sangkien.review.enums import ComplaintKind, ComplaintStatus, Decision, Exclusion
from sangkien.review.queries import SORTS

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FLAGS = [
    ("before", _("Đang chờ cấp này xét chọn")),
    ("complaint", _("Có khiếu nại đang giải quyết")),
    ("duplicate", _("Trùng nội dung với sáng kiến đã nộp")),
]
SORT_LABELS = {
    "new": _("Mới nộp trước"),
    "old": _("Nộp sớm nhất trước"),
    "title": _("Tên sáng kiến A–Z"),
    "unit": _("Đơn vị A–Z"),
    "score": _("Điểm cao trước"),
    "status": _("Trạng thái"),
}


class QueueForm(forms.Form):
    """The queue's filters (GET). Anything unknown is dropped, never an error page."""

    q = forms.CharField(
        label=_("Tìm theo tên tác giả, tên sáng kiến, mã biên nhận"), required=False, max_length=100
    )
    program = forms.TypedChoiceField(
        label=_("Chương trình"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=FastSelect,
    )
    phase = forms.TypedChoiceField(
        label=_("Giai đoạn"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), *Status.choices],
        widget=FastSelect,
    )
    unit = forms.CharField(label=_("Mã đơn vị (trong phạm vi)"), required=False, max_length=32)
    kind = forms.ChoiceField(label=_("Loại giải pháp"), required=False, widget=FastSelect)
    target_group = forms.ChoiceField(label=_("Đối tượng"), required=False, widget=FastSelect)
    block = forms.ChoiceField(label=_("Khối"), required=False, widget=FastSelect)
    flag = forms.MultipleChoiceField(
        label=_("Chỉ hiện"), required=False, choices=FLAGS, widget=forms.CheckboxSelectMultiple
    )
    sort = forms.ChoiceField(
        label=_("Sắp xếp"), required=False, choices=list(SORT_LABELS.items()), widget=FastSelect
    )

    def __init__(self, data, *, programs, phases, options):
        super().__init__(data)
        everything = [("", _("Tất cả"))]
        self.fields["program"].choices = everything + [(p.pk, p.short_name) for p in programs]
        self.fields["phase"].choices = everything + [
            (p.pk, f"{p.program.short_name} — {p.name}") for p in phases
        ]
        for name in ("kind", "target_group", "block"):
            labels = {}
            for option in options:
                if option.list == name:
                    labels.setdefault(option.code, option.name)
            self.fields[name].choices = everything + sorted(labels.items(), key=lambda kv: kv[1])

    def cleaned(self) -> dict:
        """The valid filters; an invalid one is treated as absent (and reported on its field)."""
        self.is_valid()
        data = {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors
        }
        data["sort"] = data.get("sort") if data.get("sort") in SORTS else "new"
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"), choices=Decision.choices, widget=forms.RadioSelect
    )
    reason_code = forms.ChoiceField(
        label=_("Lý do không hợp lệ"), required=False, choices=[("", "—"), *Exclusion.choices]
    )
    message = forms.CharField(
        label=_("Lời nhắn cho người nộp (bắt buộc khi cần bổ sung hoặc lý do khác)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BulkDecisionForm(DecisionForm):
    ids = forms.TypedMultipleChoiceField(
        coerce=int, required=True, error_messages={"required": _("Chọn ít nhất một sáng kiến.")}
    )

    def __init__(self, data, *, allowed_ids):
        super().__init__(data)
        self.fields["ids"].choices = [(pk, pk) for pk in allowed_ids]


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=_("Nhận xét"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, criteria, initial_points=None):
        super().__init__(data)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"points_{criterion.code}"] = forms.IntegerField(
                label=f"{criterion.name} (0–{criterion.max_points}, ×{criterion.weight})",
                min_value=0,
                max_value=criterion.max_points,
                initial=(initial_points or {}).get(criterion.code),
                error_messages={
                    "required": _("Cho điểm tiêu chí này."),
                    "invalid": _("Nhập một số nguyên."),
                    "min_value": _("Điểm không được âm."),
                    "max_value": _("Điểm tối đa là %(limit_value)s."),
                },
            )

    def points(self) -> dict[str, int]:
        return {c.code: self.cleaned_data[f"points_{c.code}"] for c in self.criteria}


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại"), choices=ComplaintKind.choices, widget=forms.RadioSelect
    )
    complainant = forms.CharField(label=_("Họ tên người khiếu nại"), max_length=150)
    text = forms.CharField(
        label=_("Nội dung"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ResolveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[
            (ComplaintStatus.UPHELD, ComplaintStatus.UPHELD.label),
            (ComplaintStatus.DISMISSED, ComplaintStatus.DISMISSED.label),
        ],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("Lý do, căn cứ giải quyết"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LetterForm(forms.Form):
    """The cover letter of a forwarding; the selection comes as `pick` + `rank_<id>` fields."""

    number = forms.CharField(label=_("Số tờ trình (ví dụ: 12/TTr-CĐCS)"), max_length=64)
    dated_on = forms.DateField(label=_("Ngày tờ trình (dd/mm/yyyy)"), input_formats=DATE_FORMATS)
    place = forms.CharField(label=_("Địa danh"), max_length=100, required=False)
    signer_title = forms.CharField(
        label=_("Chức vụ người ký (mỗi dòng một chức danh)"),
        max_length=150,
        initial="TM. BAN CHẤP HÀNH\nCHỦ TỊCH",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=150)


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class QuotaForm(forms.Form):
    default = forms.IntegerField(
        label=_(
            "Số sáng kiến tối đa mỗi đơn vị trực thuộc được đề nghị (để trống: theo quy định chung)"
        ),
        required=False,
        min_value=0,
        max_value=10000,
    )
