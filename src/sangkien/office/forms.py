"""Office forms."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput(render_value=False))
    otp = forms.CharField(label=_("Mã xác thực (6 chữ số)"), max_length=8, required=False)


class TreeImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp XLSX hoặc CSV"))
    effective_on = forms.DateField(
        label=_("Ngày hiệu lực của các thay đổi (dd/mm/yyyy)"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "text", "placeholder": "dd/mm/yyyy"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.TREE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp quá lớn (tối đa %(mb)s MB).")
                % {"mb": settings.TREE_IMPORT_MAX_BYTES // 1048576}
            )
        return upload


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ (ví dụ: phần mềm của LĐLĐ)"), max_length=100, required=False
    )


class TotpForm(forms.Form):
    code = forms.CharField(label=_("Mã 6 chữ số trong ứng dụng xác thực"), max_length=8)


class DateForm(forms.Form):
    on = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])


class RestructureForm(forms.Form):
    """Move, merge or dissolve a unit from an effective date (history is kept)."""

    OPERATIONS = [
        ("move", _("Chuyển sang đơn vị cấp trên khác")),
        ("merge", _("Sáp nhập vào đơn vị khác cùng cấp")),
        ("dissolve", _("Giải thể (đơn vị trực thuộc, nếu có, chuyển cho đơn vị tiếp nhận)")),
    ]
    operation = forms.ChoiceField(label=_("Thao tác"), choices=OPERATIONS, widget=forms.RadioSelect)
    target = forms.CharField(
        label=_("Mã đơn vị cấp trên mới / đơn vị nhận sáp nhập / đơn vị tiếp nhận"),
        max_length=32,
        required=False,
    )
    effective_on = forms.DateField(
        label=_("Ngày hiệu lực (dd/mm/yyyy)"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )

    def clean_target(self):
        return self.cleaned_data["target"].strip().upper()

    def clean(self):
        data = super().clean()
        if data.get("operation") in {"move", "merge"} and not data.get("target"):
            self.add_error("target", _("Nhập mã đơn vị cho thao tác này."))
        return data
