"""Forms of awards: the office's record form, its list filter, revocation, and the submitter's
consent to the gallery. They parse what was typed; the rules are in services."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangkien.awards.enums import AwardKind
from sangkien.awards.services import initiative_not_found
from sangkien.initiatives.models import Initiative
from sangkien.initiatives.receipts import parse_receipt
from sangkien.orgs.models import Unit
from sangkien.programs.models import Phase, Program

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _required(message: str) -> dict:
    return {"required": message}


def decision_date_field() -> forms.DateField:
    """The date of a decision, typed dd/mm/yyyy (awards, recognition)."""
    return forms.DateField(
        label=gettext_lazy("Ngày quyết định (dd/mm/yyyy)"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
        error_messages={
            "required": gettext_lazy("Nhập ngày quyết định."),
            "invalid": gettext_lazy("Ngày quyết định viết theo dạng dd/mm/yyyy, ví dụ 15/03/2022."),
        },
    )


class AwardForm(forms.Form):
    """Ghi khen thưởng: `cleaned_data` holds units and the initiative, resolved from codes."""

    program = forms.ModelChoiceField(
        label=gettext_lazy("Chương trình"),
        queryset=Program.objects.none(),
        empty_label=gettext_lazy("— Chọn chương trình —"),
        error_messages={
            "required": gettext_lazy("Chọn chương trình."),
            "invalid_choice": gettext_lazy("Chọn một chương trình trong danh sách."),
        },
    )
    phase = forms.ModelChoiceField(
        label=gettext_lazy("Giai đoạn (đợt)"),
        queryset=Phase.objects.none(),
        required=False,
        empty_label=gettext_lazy("— Không gắn với giai đoạn nào —"),
        error_messages={"invalid_choice": gettext_lazy("Chọn một giai đoạn trong danh sách.")},
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Hình thức khen thưởng"),
        choices=[("", gettext_lazy("— Chọn hình thức —")), *AwardKind.choices],
        error_messages={
            "required": gettext_lazy("Chọn hình thức khen thưởng."),
            "invalid_choice": gettext_lazy("Chọn một hình thức trong danh sách."),
        },
    )
    period = forms.CharField(
        label=gettext_lazy("Kỳ khen thưởng (không bắt buộc)"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("Ví dụ: Quý I/2022, Sơ kết giai đoạn 1."),
    )
    granting_unit = forms.CharField(
        label=gettext_lazy("Mã đơn vị quyết định khen thưởng"),
        max_length=32,
        widget=forms.TextInput(attrs={"list": "granting-units", "autocomplete": "off"}),
        help_text=gettext_lazy("Đơn vị bạn phụ trách, hoặc một đơn vị trong phạm vi đó."),
        error_messages=_required(gettext_lazy("Nhập mã đơn vị quyết định khen thưởng.")),
    )
    recipient_unit = forms.CharField(
        label=gettext_lazy("Khen thưởng đơn vị: mã đơn vị được khen"),
        max_length=32,
        required=False,
    )
    recipient_receipt = forms.CharField(
        label=gettext_lazy("hoặc khen thưởng sáng kiến: mã biên nhận của sáng kiến"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("8 ký tự, ví dụ ABCD-EFGH. Điền một trong hai ô."),
    )
    decision_number = forms.CharField(
        label=gettext_lazy("Số quyết định"),
        max_length=64,
        help_text=gettext_lazy("Ví dụ: 125/QĐ-LĐLĐ."),
        error_messages=_required(gettext_lazy("Nhập số quyết định.")),
    )
    decision_date = decision_date_field()
    place = forms.CharField(
        label=gettext_lazy("Địa danh ghi trên giấy khen"),
        max_length=100,
        help_text=gettext_lazy("Ví dụ: Hà Nội."),
        error_messages=_required(gettext_lazy("Nhập địa danh ghi trên giấy khen.")),
    )
    citation = forms.CharField(
        label=gettext_lazy("Nội dung khen"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Ví dụ: Đã có sáng kiến tiêu biểu trong Chương trình “1 triệu sáng kiến”."
        ),
        error_messages=_required(gettext_lazy("Nhập nội dung khen.")),
    )
    signer_title = forms.CharField(
        label=gettext_lazy("Chức danh người ký (mỗi dòng một dòng in)"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Ví dụ: TM. BAN THƯỜNG VỤ ↵ CHỦ TỊCH."),
        error_messages=_required(gettext_lazy("Nhập chức danh người ký.")),
    )
    signer_name = forms.CharField(
        label=gettext_lazy("Họ tên người ký"),
        max_length=150,
        error_messages=_required(gettext_lazy("Nhập họ tên người ký.")),
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["phase"].queryset = Phase.objects.filter(program__in=programs).select_related(
            "program"
        )

    def clean_granting_unit(self) -> Unit:
        code = self.cleaned_data["granting_unit"].strip().upper()
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(
                _("Không có đơn vị mã %(code)s trong phạm vi bạn phụ trách.") % {"code": code}
            )
        return unit

    def clean_recipient_unit(self) -> Unit | None:
        code = self.cleaned_data["recipient_unit"].strip().upper()
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("Không có đơn vị mã %(code)s.") % {"code": code})
        return unit

    def clean_recipient_receipt(self) -> str:
        typed = self.cleaned_data["recipient_receipt"].strip()
        if not typed:
            return ""
        code = parse_receipt(typed)
        if code is None:
            raise forms.ValidationError(
                _("Mã biên nhận gồm 8 ký tự, ví dụ ABCD-EFGH; kiểm tra lại mã đã gõ.")
            )
        return code

    def clean(self):
        data = super().clean()
        code = data.get("recipient_receipt")
        data["initiative"] = None
        if code:
            initiative = Initiative.objects.select_related("unit").filter(receipt=code).first()
            if initiative is None:
                self.add_error(
                    "recipient_receipt", initiative_not_found(code, data.get("granting_unit"))
                )
            data["initiative"] = initiative
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "program": data["program"],
            "phase": data["phase"],
            "kind": data["kind"],
            "granting_unit": data["granting_unit"],
            "decision_number": data["decision_number"],
            "decision_date": data["decision_date"],
            "recipient_unit": data["recipient_unit"],
            "initiative": data["initiative"],
            "citation": data["citation"],
            "signer_title": data["signer_title"],
            "signer_name": data["signer_name"],
            "period": data["period"],
            "place": data["place"],
        }


class AwardFilterForm(forms.Form):
    program = forms.ModelChoiceField(
        label=gettext_lazy("Chương trình"),
        queryset=Program.objects.none(),
        required=False,
        empty_label=gettext_lazy("Tất cả chương trình"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Hình thức"),
        choices=[("", gettext_lazy("Tất cả hình thức")), *AwardKind.choices],
        required=False,
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do thu hồi"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_required(gettext_lazy("Nhập lý do thu hồi.")),
    )


GALLERY_CONSENT_TEXT = gettext_lazy(
    "Tôi xác nhận các đồng tác giả đã đồng ý (và tôi đồng ý) để Tổng Liên đoàn Lao động Việt Nam "
    "(bên kiểm soát dữ liệu) công khai họ tên các tác giả, tên sáng kiến, tên đơn vị và phần tóm "
    "tắt mô tả trên Thư viện sáng kiến của cổng, để tôn vinh sáng kiến khi sáng kiến được khen "
    "thưởng. Không công khai số điện thoại, số CCCD/CMND. Có thể rút lại bất cứ lúc nào tại trang "
    "tra cứu này."
)


class GalleryConsentForm(forms.Form):
    """Give (with the box ticked, never pre-ticked) or withdraw the consent to the gallery."""

    action = forms.ChoiceField(choices=[("give", "give"), ("withdraw", "withdraw")])
    confirm = forms.BooleanField(label=GALLERY_CONSENT_TEXT, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == "give" and not data.get("confirm"):
            self.add_error(
                "confirm",
                _(
                    "Hãy đánh dấu ô xác nhận các đồng tác giả đã đồng ý; nếu chưa hỏi được tất cả "
                    "các đồng tác giả, đừng công khai."
                ),
            )
        return data
