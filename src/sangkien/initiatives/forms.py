"""The submission form: one validator for the public form, the office, the bulk import and the API.

`Submission` parses flat form data (field names below; co-authors as the formset "coauthors-N-…")
into a `SubmissionInput`, with every error in Vietnamese attached to its field. The API and the
spreadsheet import translate their input into the same flat data, so a rule is written once.
"""

import re
import secrets
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangkien.common.text import clean_line, nfc
from sangkien.common.timewindows import vn_date
from sangkien.common.vnid import normalize_id_number, normalize_phone
from sangkien.initiatives.eligibility import Claim, check_claim, check_shares
from sangkien.initiatives.enums import RecognizedBy
from sangkien.initiatives.models import Attachment, Initiative
from sangkien.initiatives.services import AuthorInput, SubmissionInput
from sangkien.initiatives.uploads import Sniffed, sniff
from sangkien.orgs.models import Unit, UnitPlacement
from sangkien.orgs.queries import valid_on
from sangkien.programs.models import Program
from sangkien.programs.queries import options_of

MAX_COAUTHORS = 10
MAX_RAW_DESCRIPTION = 20000  # far above any programme's limit: refuses pasted books early
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
REQUIRED = gettext_lazy("Vui lòng điền mục này.")


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def _date_field(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": REQUIRED,
            "invalid": gettext_lazy(
                "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 15/10/2022."
            ),
        },
    )


def parse_vnd(raw: str) -> int | None:
    """ "10.000.000", "10,000,000 đ", "10000000" → 10000000; empty → None."""
    text = re.sub(r"[\s.,]|đ|vnd|VND|đồng", "", raw or "")
    if not text:
        return None
    if not text.isdigit() or not text.isascii():
        raise ValidationError(
            _("Giá trị làm lợi là một số tiền bằng đồng, ví dụ 10.000.000."), code="invalid"
        )
    return int(text)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class SubmissionForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput)
    author_full_name = forms.CharField(
        label=gettext_lazy("Họ và tên"), max_length=150, error_messages={"required": REQUIRED}
    )
    author_phone = forms.CharField(
        label=gettext_lazy("Số điện thoại di động"),
        max_length=20,
        help_text=gettext_lazy("Dùng để tra cứu và nhận biên nhận, ví dụ 0912 345 678."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": REQUIRED},
    )
    author_id_number = forms.CharField(
        label=gettext_lazy("Số CCCD hoặc CMND"),
        max_length=20,
        help_text=gettext_lazy("Căn cước công dân 12 số hoặc chứng minh nhân dân 9 số."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": REQUIRED},
    )
    author_email = forms.EmailField(
        label=gettext_lazy("Thư điện tử (không bắt buộc)"),
        required=False,
        help_text=gettext_lazy("Nếu muốn nhận biên nhận qua thư điện tử."),
        error_messages={"invalid": gettext_lazy("Địa chỉ thư điện tử không hợp lệ.")},
    )
    author_share = forms.DecimalField(
        label=gettext_lazy("Tỷ lệ đóng góp của bạn (%)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text=gettext_lazy("Để trống nếu bạn là tác giả duy nhất (100%)."),
        error_messages={
            "invalid": gettext_lazy("Tỷ lệ đóng góp là một số từ 0 đến 100."),
            "min_value": gettext_lazy("Tỷ lệ đóng góp phải lớn hơn 0."),
            "max_value": gettext_lazy("Tỷ lệ đóng góp không quá 100."),
            "max_decimal_places": gettext_lazy("Tỷ lệ đóng góp lấy tối đa 2 chữ số thập phân."),
            "max_digits": gettext_lazy("Tỷ lệ đóng góp là một số từ 0 đến 100."),
        },
    )
    unit = forms.CharField(
        label=gettext_lazy("Nơi công tác (công đoàn cơ sở)"),
        max_length=32,
        error_messages={"required": gettext_lazy("Chọn công đoàn cơ sở nơi bạn công tác.")},
    )
    block = forms.ChoiceField(
        label=gettext_lazy("Khối"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Chọn khối."),
            "invalid_choice": gettext_lazy("Chọn khối."),
        },
    )
    target_group = forms.ChoiceField(
        label=gettext_lazy("Đối tượng"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Chọn đối tượng."),
            "invalid_choice": gettext_lazy("Chọn một trong các đối tượng của chương trình."),
        },
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại giải pháp"),
        error_messages={
            "required": gettext_lazy("Chọn loại giải pháp."),
            "invalid_choice": gettext_lazy("Chọn một trong các loại giải pháp của chương trình."),
        },
    )
    title = forms.CharField(
        label=gettext_lazy("Tên sáng kiến"),
        max_length=300,
        error_messages={
            "required": REQUIRED,
            "max_length": gettext_lazy("Tên sáng kiến tối đa %(limit_value)d ký tự."),
        },
    )
    description = forms.CharField(
        label=gettext_lazy("Mô tả sáng kiến"),
        widget=forms.Textarea(attrs={"rows": 10}),
        strip=True,
        error_messages={"required": REQUIRED},
    )
    first_applied_on = _date_field(
        gettext_lazy("Ngày áp dụng lần đầu"),
        gettext_lazy("Ngày sáng kiến được áp dụng (hoặc áp dụng thử)."),
    )
    recognized_by = forms.ChoiceField(
        label=gettext_lazy("Được công nhận bởi"),
        choices=RecognizedBy.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy(
                "Sáng kiến phải được Hội đồng sáng kiến hoặc thủ trưởng đơn vị công nhận mới được "
                "tham gia; chọn cấp đã công nhận."
            ),
            "invalid_choice": gettext_lazy("Chọn Hội đồng sáng kiến hoặc thủ trưởng đơn vị."),
        },
    )
    recognition_number = forms.CharField(
        label=gettext_lazy("Số văn bản công nhận"),
        max_length=64,
        help_text=gettext_lazy("Ví dụ 15/QĐ-CT."),
        error_messages={"required": REQUIRED},
    )
    recognition_date = _date_field(gettext_lazy("Ngày văn bản công nhận"))
    benefit_vnd = forms.CharField(
        label=gettext_lazy("Giá trị làm lợi (đồng)"),
        required=False,
        max_length=30,
        help_text=gettext_lazy("Nếu tính được thành tiền, ví dụ 150.000.000."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    benefit_text = forms.CharField(
        label=gettext_lazy("Lợi ích xã hội, cộng đồng, của đơn vị"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Nếu không tính được thành tiền, mô tả lợi ích bằng lời."),
    )
    drive_link = forms.URLField(
        label=gettext_lazy("Đường dẫn tài liệu chia sẻ (Google Drive, OneDrive…)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": gettext_lazy("Đường dẫn không hợp lệ; dán đường dẫn bắt đầu bằng https://.")
        },
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Tệp đính kèm"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,.docx"}),
    )
    not_ip_protected = forms.BooleanField(
        label=gettext_lazy("Tôi xác nhận sáng kiến không đang được bảo hộ quyền sở hữu trí tuệ."),
        required=False,
    )
    lawful = forms.BooleanField(
        label=gettext_lazy(
            "Tôi cam kết nội dung sáng kiến không trái pháp luật, trật tự công cộng và đạo đức "
            "xã hội, và thông tin khai là đúng sự thật."
        ),
        required=False,
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "Tôi đồng ý để Tổng Liên đoàn Lao động Việt Nam (bên kiểm soát dữ liệu) và các cấp công "
            "đoàn xử lý họ tên, số điện thoại, số CCCD/CMND của tôi và của các đồng tác giả, chỉ để "
            "xác minh, xét chọn, khen thưởng sáng kiến và liên hệ về sáng kiến này."
        ),
        error_messages={
            "required": gettext_lazy(
                "Cần đồng ý cho xử lý dữ liệu cá nhân để nộp sáng kiến; nếu không đồng ý, bạn có "
                "thể nhờ công đoàn cơ sở hướng dẫn."
            )
        },
    )

    def __init__(
        self,
        *args,
        program: Program,
        within: list[str] | None = None,
        editing: Initiative | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.program = program
        self.within = within
        self.editing = editing
        self.fields["block"].choices = [(o.code, o.name) for o in options_of(program, "block")]
        self.fields["target_group"].choices = [
            (o.code, o.name) for o in options_of(program, "target_group")
        ]
        self.fields["kind"].choices = [("", _("— Chọn loại giải pháp —"))] + [
            (o.code, o.name) for o in options_of(program, "kind")
        ]
        limit = program.description_max_chars
        self.fields["description"].help_text = _(
            "Viết ngắn gọn, tối đa %(limit)s ký tự (có thể soạn sẵn rồi dán vào)."
        ) % {"limit": f"{limit:,}".replace(",", ".")}
        self.fields["description"].widget.attrs["data-limit"] = str(limit)
        if not program.allow_drive_link:
            del self.fields["drive_link"]
        if editing is not None:
            # A stored ID number is never sent back to the browser; empty keeps it.
            self.fields["author_id_number"].required = False
            self.fields["author_id_number"].help_text = _(
                "Đã lưu %(masked)s; để trống nếu không đổi."
            ) % {"masked": editing.lead.id_masked}
        self.unit_obj: Unit | None = None
        self.unit_path, self.unit_path_on = "", None
        self.sniffed: list[tuple[object, Sniffed]] = []

    def clean_form_token(self):
        token = self.cleaned_data["form_token"]
        if not TOKEN_PATTERN.fullmatch(token):
            raise ValidationError(_("Phiên nhập đã hỏng; vui lòng tải lại trang."))
        return token

    def clean_author_full_name(self):
        return clean_line(self.cleaned_data["author_full_name"])

    def clean_author_phone(self):
        phone = normalize_phone(self.cleaned_data["author_phone"])
        if phone is None:
            raise ValidationError(
                _(
                    "Số điện thoại di động không hợp lệ: cần 10 chữ số bắt đầu bằng đầu số di động "
                    "Việt Nam, ví dụ 0912 345 678 hoặc +84 912 345 678."
                )
            )
        return phone

    def clean_author_id_number(self):
        raw = self.cleaned_data["author_id_number"]
        if not raw and self.editing is not None:
            return ("", "")
        found = normalize_id_number(raw)
        if found is None:
            raise ValidationError(_("Số CCCD gồm 12 chữ số hoặc số CMND gồm 9 chữ số."))
        return found

    def clean_unit(self):
        code = self.cleaned_data["unit"].strip().upper()
        day = vn_date(timezone.now())
        # The union and where it stands today in one query; the reason only when it fails.
        placement = (
            UnitPlacement.objects.filter(valid_on(day), unit__code=code)
            .select_related("unit")
            .first()
        )
        if placement is None:
            if not Unit.objects.filter(code=code).exists():
                raise ValidationError(_("Không tìm thấy đơn vị này; hãy chọn lại nơi công tác."))
            raise ValidationError(_("Đơn vị này không còn hoạt động; hãy chọn lại nơi công tác."))
        unit = placement.unit
        if unit.level != 3:
            raise ValidationError(
                _("Hãy chọn đến công đoàn cơ sở nơi bạn công tác (đang chọn %(name)s).")
                % {"name": unit.name}
            )
        if self.within is not None and not any(placement.path.startswith(p) for p in self.within):
            raise ValidationError(_("Đơn vị này nằm ngoài phạm vi bạn phụ trách."))
        self.unit_obj = unit
        self.unit_path, self.unit_path_on = placement.path, day
        return unit.code

    def clean_title(self):
        return clean_line(self.cleaned_data["title"])

    def clean_description(self):
        text = nfc(self.cleaned_data["description"]).replace("\r\n", "\n")
        if len(text) > MAX_RAW_DESCRIPTION:
            raise ValidationError(
                _(
                    "Phần mô tả dài %(count)s ký tự, vượt quá giới hạn %(limit)s ký tự của chương "
                    "trình."
                )
                % {"count": len(text), "limit": self.program.description_max_chars}
            )
        return text

    def clean_benefit_vnd(self):
        return parse_vnd(self.cleaned_data["benefit_vnd"])

    def clean_benefit_text(self):
        return nfc(self.cleaned_data["benefit_text"]).strip()

    def clean_attachments(self):
        files = self.cleaned_data["attachments"] or []
        program = self.program
        messages = []
        for upload in files:
            found = sniff(
                upload,
                allowed=program.attachment_types,
                max_bytes=program.max_attachment_mb * 1048576,
            )
            if isinstance(found, str):
                messages.append(f"{upload.name}: {found}")
            else:
                self.sniffed.append((upload, found))
        kept = self.kept_attachments()
        if len(kept) + len(self.sniffed) > program.max_attachments:
            messages.append(
                _("Tối đa %(limit)s tệp đính kèm (đã chọn %(count)s).")
                % {"limit": program.max_attachments, "count": len(kept) + len(self.sniffed)}
            )
            self.sniffed = []
        if messages:
            raise ValidationError(messages)
        return files

    def kept_attachments(self) -> list[Attachment]:
        """Files already uploaded with this form (staged) or kept from the initiative edited."""
        if getattr(self, "_kept", None) is None:
            self._kept = self._load_kept()
        return self._kept

    def forget_kept(self) -> None:
        """After uploads were staged or removed, the next call reads them again."""
        self._kept = None

    def _load_kept(self) -> list[Attachment]:
        token = self.data.get("form_token", "")
        staged = (
            list(Attachment.objects.filter(form_token=token, initiative=None))
            if TOKEN_PATTERN.fullmatch(token or "")
            else []
        )
        removed = (
            set(self.data.getlist("remove_attachment")) if hasattr(self.data, "getlist") else set()
        )
        staged = [a for a in staged if str(a.pk) not in removed]
        if self.editing is not None:
            staged = [
                a for a in self.editing.attachments.all() if str(a.pk) not in removed
            ] + staged
        return staged


class CoauthorForm(forms.Form):
    full_name = forms.CharField(
        label=gettext_lazy("Họ và tên đồng tác giả"), max_length=150, required=False
    )
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    id_number = forms.CharField(
        label=gettext_lazy("Số CCCD/CMND"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    share = forms.DecimalField(
        label=gettext_lazy("Tỷ lệ đóng góp (%)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=100,
        max_digits=5,
        decimal_places=2,
        error_messages=SubmissionForm.base_fields["author_share"].error_messages,
    )

    def clean(self):
        data = super().clean()
        name = clean_line(data.get("full_name") or "")
        data["full_name"] = name
        anything = name or data.get("phone") or data.get("id_number") or data.get("share")
        if not anything:
            return data
        if not name:
            self.add_error("full_name", _("Điền họ và tên đồng tác giả (hoặc xoá cả dòng)."))
        if data.get("share") is None and "share" not in self.errors:
            self.add_error("share", _("Điền tỷ lệ đóng góp của đồng tác giả."))
        if data.get("phone"):
            phone = normalize_phone(data["phone"])
            if phone is None:
                self.add_error(
                    "phone",
                    _("Số điện thoại di động không hợp lệ: cần 10 chữ số, ví dụ 0912 345 678."),
                )
            data["phone"] = phone or ""
        if data.get("id_number"):
            found = normalize_id_number(data["id_number"])
            if found is None:
                self.add_error("id_number", _("Số CCCD gồm 12 chữ số hoặc số CMND gồm 9 chữ số."))
            data["id_number"] = found or ("", "")
        else:
            data["id_number"] = ("", "")
        return data

    @property
    def is_blank(self) -> bool:
        return not getattr(self, "cleaned_data", {}).get("full_name") and not any(
            self.cleaned_data.get(key) for key in ("share", "phone")
        )


CoauthorFormSet = forms.formset_factory(
    CoauthorForm, extra=1, max_num=MAX_COAUTHORS, absolute_max=MAX_COAUTHORS, validate_max=True
)


class Submission:
    """The main form and the co-author rows, validated together (shares, eligibility)."""

    def __init__(
        self,
        program: Program,
        data=None,
        files=None,
        *,
        within: list[str] | None = None,
        editing: Initiative | None = None,
        initial: dict | None = None,
        coauthor_initial: list[dict] | None = None,
    ):
        self.program = program
        self.main = SubmissionForm(
            data, files, program=program, within=within, editing=editing, initial=initial
        )
        self.coauthors = CoauthorFormSet(data, prefix="coauthors", initial=coauthor_initial)
        self._valid: bool | None = None

    def is_valid(self) -> bool:
        if self._valid is not None:
            return self._valid
        main_ok = self.main.is_valid()
        rows_ok = self.coauthors.is_valid()
        if rows_ok:
            self._check_authors()
        self._check_claim()
        self._valid = main_ok and rows_ok and not self.main.errors
        return self._valid

    def _filled_rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.coauthors.forms
            if getattr(form, "cleaned_data", None) and not form.is_blank
        ]

    def _check_authors(self) -> None:
        rows = self._filled_rows()
        data = self.main.cleaned_data
        if "author_share" in self.main.errors:
            return
        if data.get("author_share") is None:
            if rows:
                self.main.add_error(
                    "author_share", _("Có đồng tác giả: điền tỷ lệ đóng góp của bạn.")
                )
                return
            data["author_share"] = Decimal(100)
        shares = [data["author_share"]] + [row["share"] for row in rows]
        for field, message in check_shares(shares):
            self.main.add_error(field, message)
        ids = [data.get("author_id_number", ("", ""))[1]] + [row["id_number"][1] for row in rows]
        filled = [i for i in ids if i]
        if len(filled) != len(set(filled)):
            self.main.add_error(
                "author_id_number",
                _("Cùng một số CCCD/CMND được khai cho hai tác giả; mỗi người chỉ khai một lần."),
            )

    def _check_claim(self) -> None:
        data = self.main.cleaned_data
        claim = Claim(
            kind=data.get("kind", ""),
            description=data.get("description", ""),
            first_applied_on=data.get("first_applied_on"),
            recognized_by=data.get("recognized_by", ""),
            recognition_date=data.get("recognition_date"),
            benefit_vnd=data.get("benefit_vnd"),
            benefit_text=data.get("benefit_text", "") or "",
            not_ip_protected=bool(data.get("not_ip_protected")),
            lawful=bool(data.get("lawful")),
        )
        for field, message in check_claim(self.program, claim, today=vn_date(timezone.now())):
            if field == "benefit_text" and "benefit_vnd" in self.main.errors:
                continue  # the amount was typed, but wrongly: that error says it
            if field not in self.main.errors and (
                field in data or field in ("not_ip_protected", "lawful", "benefit_text")
            ):
                self.main.add_error(field, message)

    def errors_by_path(self) -> dict[str, list[str]]:
        """Errors keyed as the API names fields: "author.phone", "coauthors.0.share", "title"."""
        out: dict[str, list[str]] = {}
        for name, errors in self.main.errors.items():
            path = "author." + name[len("author_") :] if name.startswith("author_") else name
            if name == "__all__":
                path = "non_field"
            out[path] = [str(e) for e in errors]
        for index, form in enumerate(self.coauthors.forms):
            for name, errors in form.errors.items():
                out[f"coauthors.{index}.{name}"] = [str(e) for e in errors]
        for error in self.coauthors.non_form_errors():
            out.setdefault("coauthors", []).append(str(error))
        return out

    def to_input(self) -> SubmissionInput:
        data = self.main.cleaned_data
        lead_kind, lead_id = data.get("author_id_number") or ("", "")
        authors = [
            AuthorInput(
                full_name=data["author_full_name"],
                phone=data["author_phone"],
                id_number=lead_id,
                id_kind=lead_kind,
                share=data["author_share"],
            )
        ] + [
            AuthorInput(
                full_name=row["full_name"],
                phone=row["phone"] or "",
                id_number=row["id_number"][1],
                id_kind=row["id_number"][0],
                share=row["share"],
            )
            for row in self._filled_rows()
        ]
        removed = (
            self.main.data.getlist("remove_attachment")
            if hasattr(self.main.data, "getlist")
            else []
        )
        return SubmissionInput(
            unit=self.main.unit_obj,
            unit_path=self.main.unit_path,
            unit_path_on=self.main.unit_path_on,
            block=data["block"],
            target_group=data["target_group"],
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            first_applied_on=data["first_applied_on"],
            recognized_by=data["recognized_by"],
            recognition_number=clean_line(data["recognition_number"]),
            recognition_date=data["recognition_date"],
            benefit_vnd=data["benefit_vnd"],
            benefit_text=data["benefit_text"],
            drive_link=data.get("drive_link", "") or "",
            not_ip_protected=data["not_ip_protected"],
            lawful=data["lawful"],
            authors=authors,
            notify_email=data.get("author_email", "") or "",
            remove_attachments=[int(pk) for pk in removed if str(pk).isdigit()],
        )
