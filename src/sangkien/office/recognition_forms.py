"""Forms of the recognition page: choosing a programme and a period, and the decision that
records the result. They parse what was typed; the rules are in targets.recognition and
awards.recognition."""

from django import forms
from django.utils.translation import gettext_lazy

from sangkien.awards.forms import decision_date_field
from sangkien.programs.models import Program
from sangkien.targets.recognition import periods_of


class RecognitionChoiceForm(forms.Form):
    """?program=<code>&period=<2026-Q4 | p1>: the periods offered are those of the chosen
    programme, read from the programme list the page already holds (no query of its own)."""

    program = forms.ChoiceField(
        label=gettext_lazy("Chương trình"),
        error_messages={
            "required": gettext_lazy("Chọn chương trình."),
            "invalid_choice": gettext_lazy("Chọn một chương trình trong danh sách."),
        },
    )
    period = forms.ChoiceField(
        label=gettext_lazy("Kỳ xét"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Chọn một kỳ trong danh sách.")},
    )

    def __init__(self, *args, programs: list[Program], **kwargs):
        super().__init__(*args, **kwargs)
        self.programs = {program.code: program for program in programs}
        self.fields["program"].choices = [
            ("", gettext_lazy("— Chọn chương trình —")),
            *((program.code, program.name) for program in programs),
        ]
        chosen = self.programs.get((self.data or {}).get("program", ""))
        self.fields["period"].choices = [
            ("", gettext_lazy("— Chọn kỳ —")),
            *(periods_of(chosen) if chosen else []),
        ]

    def clean_program(self) -> Program:
        return self.programs[self.cleaned_data["program"]]


class RecognitionRecordForm(forms.Form):
    """The decision that names every recognised unit (số, ngày, người ký, địa danh)."""

    decision_number = forms.CharField(
        label=gettext_lazy("Số quyết định"),
        max_length=64,
        help_text=gettext_lazy("Ví dụ: 125/QĐ-TLĐ."),
        error_messages={"required": gettext_lazy("Nhập số quyết định.")},
    )
    decision_date = decision_date_field()
    signer_title = forms.CharField(
        label=gettext_lazy("Chức danh người ký (mỗi dòng một dòng in)"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Ví dụ: TM. ĐOÀN CHỦ TỊCH ↵ CHỦ TỊCH."),
        error_messages={"required": gettext_lazy("Nhập chức danh người ký.")},
    )
    signer_name = forms.CharField(
        label=gettext_lazy("Họ tên người ký"),
        max_length=150,
        error_messages={"required": gettext_lazy("Nhập họ tên người ký.")},
    )
    place = forms.CharField(
        label=gettext_lazy("Địa danh ghi trên giấy khen"),
        max_length=100,
        help_text=gettext_lazy("Ví dụ: Hà Nội."),
        error_messages={"required": gettext_lazy("Nhập địa danh ghi trên giấy khen.")},
    )
    # The recognised units' codes as the page showed them (awards.recognition.result_fingerprint).
    expected = forms.CharField(widget=forms.HiddenInput, required=False)
