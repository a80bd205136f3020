"""FastSelect writes the same HTML as Django's Select and its templates."""

import pytest
from django import forms

from sangkien.common.widgets import FastSelect

CHOICES = [
    ("", "Tất cả"),
    (1, "Chương trình <01> “triệu” sáng kiến & hơn"),
    ('a"b', "Khối doanh nghiệp"),
    ("Nhóm <cũ>", [("x", "Một"), ("y", "Hai & ba")]),
]


@pytest.mark.parametrize("value", [None, "", 1, "1", 'a"b', "y", ["x"], "không có"])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"id": "id_program", "aria-invalid": "true", "aria-describedby": "program-error"},
        {"id": "id_kind", "required": True, "disabled": False, "data-x": "<&>"},
    ],
)
def test_fast_select_renders_what_django_renders(value, attrs):
    django_select = forms.Select(choices=CHOICES)
    fast_select = FastSelect(choices=CHOICES)

    expected = django_select.render("program", value, attrs=attrs)

    assert fast_select.render("program", value, attrs=attrs) == expected
    assert expected.count("<option") == 5


def test_a_form_field_group_with_fast_select_is_unchanged():
    class Plain(forms.Form):
        kind = forms.ChoiceField(label="Loại", choices=CHOICES[:3], required=False)

    class Fast(forms.Form):
        kind = forms.ChoiceField(
            label="Loại", choices=CHOICES[:3], required=False, widget=FastSelect
        )

    for data in ({"kind": "1"}, {"kind": "sai"}):
        plain, fast = Plain(data), Fast(data)
        plain.is_valid(), fast.is_valid()
        assert fast["kind"].as_field_group() == plain["kind"].as_field_group()
