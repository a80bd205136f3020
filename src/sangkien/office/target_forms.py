"""Forms of the target pages: one row of an allocation table (a formset of them is the table) and
the spreadsheet upload."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangkien.orgs.enums import Block
from sangkien.targets import tables
from sangkien.targets.enums import TargetKind
from sangkien.targets.tables import AllocationInput, format_number, parse_number

GROUP_PREFIX = "khoi:"  # value of a group in "Áp dụng cho"; a child is its code
OTHERS = GROUP_PREFIX + "con-lai"
# Above this many children the "Áp dụng cho" list is typed (a code, with a datalist) rather
# than chosen, so that a table of a district with a thousand unions stays a light page.
SELECT_LIMIT = 300


def applies_choices(children) -> list:
    """A group of children (one block, or the others) or one named child, as select options."""
    groups = [
        (GROUP_PREFIX + block, _("Các đơn vị khối %(block)s") % {"block": str(label).lower()})
        for block, label in Block.choices
    ]
    groups.append((OTHERS, _("Các đơn vị còn lại")))
    units = [(child.code, f"{child.name} ({child.code})") for child in children]
    return [
        ("", _("— Chọn —")),
        (_("Nhóm đơn vị"), groups),
        (_("Một đơn vị trực thuộc"), units),
    ]


class AllocationRowForm(forms.Form):
    """One row: whom it is for, how it counts, the numbers (typed the Vietnamese way)."""

    applies_to = forms.CharField(label=gettext_lazy("Áp dụng cho"), required=False, max_length=40)
    label = forms.CharField(
        label=gettext_lazy("Tên dòng (như trong văn bản)"), required=False, max_length=255
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Cách tính"), choices=TargetKind.choices, initial=TargetKind.PER_UNIT
    )
    total = forms.CharField(label=gettext_lazy("Tổng số"), required=False, max_length=20)
    participation = forms.CharField(
        label=gettext_lazy("Tỷ lệ đoàn viên tham gia (%)"), required=False, max_length=10
    )

    def __init__(self, *args, phases, children, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.phases = phases
        self.children = {child.code: child for child in children}
        if len(children) <= SELECT_LIMIT:
            self.fields["applies_to"].widget = forms.Select(choices=choices)
        else:
            self.fields["applies_to"].widget = forms.TextInput(
                attrs={"list": "children-codes", "class": "short"}
            )
        for phase in phases:
            self.fields[f"phase_{phase.number}"] = forms.CharField(
                label=phase.name, required=False, max_length=20
            )
        self.order_fields(
            [
                "applies_to",
                "label",
                "kind",
                "total",
                *[f"phase_{p.number}" for p in phases],
                "participation",
            ]
        )
        for name in ["total", "participation", *[f"phase_{p.number}" for p in phases]]:
            self.fields[name].widget.attrs.update(inputmode="decimal", **{"class": "short"})
        self.allocation: AllocationInput | None = None

    def phase_fields(self):
        return [self[f"phase_{phase.number}"] for phase in self.phases]

    def _number(self, name: str, *, percent: bool = False):
        try:
            return parse_number(self.cleaned_data.get(name, ""), percent=percent)
        except ValueError as error:
            self.add_error(name, str(error))
            return None

    def clean(self):
        data = super().clean()
        row = AllocationInput(label=data.get("label", ""), kind=data.get("kind", ""))
        value = (data.get("applies_to") or "").strip()
        if not value:
            self.add_error("applies_to", _("Chọn đơn vị trực thuộc hoặc nhóm đơn vị."))
        elif value.startswith(GROUP_PREFIX):
            block = "" if value == OTHERS else value[len(GROUP_PREFIX) :]
            if block and block not in Block.values:
                self.add_error("applies_to", _("Khối không hợp lệ."))
            row.block = block
        else:
            row.unit = self.children.get(value.upper())
            if row.unit is None:
                self.add_error(
                    "applies_to",
                    _("«%(code)s» không phải là mã một đơn vị trực thuộc.") % {"code": value},
                )
        row.total = self._number("total")
        for phase in self.phases:
            number = self._number(f"phase_{phase.number}")
            if number is not None:
                row.phase_values[phase.number] = number
        row.participation_percent = self._number("participation", percent=True)
        self.allocation = row
        return data


def row_initial(row: AllocationInput) -> dict:
    """A stored (or imported) row as the form shows it."""
    initial = {
        "applies_to": row.unit.code
        if row.unit is not None
        else (GROUP_PREFIX + row.block if row.block else OTHERS),
        "label": row.label,
        "kind": row.kind,
        "total": format_number(row.total),
        "participation": format_number(row.participation_percent),
    }
    for number, value in row.phase_values.items():
        initial[f"phase_{number}"] = format_number(value)
    return initial


AllocationFormSet = forms.formset_factory(
    AllocationRowForm, extra=3, can_delete=True, max_num=2000, absolute_max=2000
)


class AllocationUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp bảng phân bổ (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > tables.MAX_IMPORT_BYTES:
            raise forms.ValidationError(tables.too_big_message())
        return upload
