"""Allocation tables: resolving each kind of row, replacing a table under its rules, reading seed
004's table as it is, writing a table back and reading it again."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from sangkien.common.models import AuditEntry
from sangkien.orgs.models import Unit
from sangkien.orgs.queries import today
from sangkien.orgs.services import unit_create, unit_move
from sangkien.targets.allocation import targets_for
from sangkien.targets.enums import TargetKind
from sangkien.targets.models import Allocation
from sangkien.targets.tables import (
    AllocationInput,
    AllocationRefused,
    Outcome,
    allocation_replace,
    allocation_xlsx,
    inputs_of,
    overview,
    parse_allocation_xlsx,
    parse_number,
)
from tests.targets.seed004 import rows_to_xlsx, seed_xlsx

STANLEY, LIXIL, LADODDA = "T01-D018-C001", "T01-D018-C002", "T01-D018-C003"
YEN_VIEN = "T01-D018-C008"  # Công đoàn cơ sở thị trấn Yên Viên (block commune)


@pytest.fixture
def program(programs):
    return programs["01-trieu-sang-kien"]


@pytest.fixture
def phases(program):
    return list(program.phases.order_by("number"))


@pytest.fixture
def gialam(national):
    return national["T01-D018"]


@pytest.fixture
def admin(make_officer):
    return make_officer("gialam", "T01-D018", "unit_admin")


@pytest.fixture
def hanoi_admin(make_officer):
    return make_officer("hanoi", "T01", "unit_admin")


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def school(code: str, members: int) -> Unit:
    made = unit_create(
        code=code,
        name=f"Công đoàn Trường Tiểu học {code}",
        level=3,
        kind="grassroots",
        block="school",
        parent=unit("T01-D018"),
    )
    Unit.objects.filter(pk=made.pk).update(member_count=members)
    made.refresh_from_db()
    return made


def resolved(program, phases, *codes) -> dict[str, dict[int, int | None]]:
    units = [unit(code) for code in codes]
    targets = targets_for(program, units, phases)
    return {u.code: targets[u.pk].by_phase for u in units}


def table(program, parent) -> list[tuple]:
    return [
        row.key()
        for row in inputs_of(list(Allocation.objects.filter(program=program, parent=parent)))
    ]


# -- resolution of each kind ---------------------------------------------------------------------


def test_absolute_row_gives_the_named_unit_its_phase_numbers(program, phases, gialam, admin):
    allocation_replace(
        actor=admin,
        program=program,
        parent=gialam,
        rows=[
            AllocationInput(
                label="CĐ Công ty TNHH điện Stanley Việt Nam",
                unit=unit(STANLEY),
                kind=TargetKind.ABSOLUTE,
                total=Decimal(700),
                phase_values={1: Decimal(400), 2: Decimal(300)},
            )
        ],
    )

    assert resolved(program, phases, STANLEY) == {STANLEY: {1: 400, 2: 300}}


def test_per_unit_group_gives_each_unit_of_the_block_the_same(program, phases, gialam, admin):
    allocation_replace(
        actor=admin,
        program=program,
        parent=gialam,
        rows=[
            AllocationInput(
                label="Khối xã, thị trấn",
                block="commune",
                kind=TargetKind.PER_UNIT,
                total=Decimal(2),
                phase_values={1: Decimal(1), 2: Decimal(1)},
            )
        ],
    )

    assert resolved(program, phases, YEN_VIEN, "T01-D018-C029", STANLEY) == {
        YEN_VIEN: {1: 1, 2: 1},
        "T01-D018-C029": {1: 1, 2: 1},
        STANLEY: {1: None, 2: None},  # enterprise: no row for it
    }


def test_per_member_total_with_an_odd_member_count_is_split_earlier_phase_first(
    program, phases, gialam, admin
):
    five, four = school("T01-D018-S001", 5), school("T01-D018-S002", 4)
    allocation_replace(
        actor=admin,
        program=program,
        parent=gialam,
        rows=[
            AllocationInput(
                label="Khối trường học",
                block="school",
                kind=TargetKind.PER_MEMBER,
                total=Decimal(1),
            )
        ],
    )

    assert resolved(program, phases, five.code, four.code) == {
        five.code: {1: 3, 2: 2},
        four.code: {1: 2, 2: 2},
    }


def test_per_member_phase_values_are_multiplied_by_the_members(program, phases, gialam, admin):
    seven = school("T01-D018-S001", 7)
    allocation_replace(
        actor=admin,
        program=program,
        parent=gialam,
        rows=[
            AllocationInput(
                block="school",
                kind=TargetKind.PER_MEMBER,
                phase_values={1: Decimal("0.5"), 2: Decimal(1)},
            )
        ],
    )

    # 0.5 × 7 = 3.5, rounded half up.
    assert resolved(program, phases, seven.code) == {seven.code: {1: 4, 2: 7}}


def test_named_row_wins_over_its_block_group_which_wins_over_the_others(
    program, phases, gialam, admin
):
    allocation_replace(
        actor=admin,
        program=program,
        parent=gialam,
        rows=[
            AllocationInput(
                label="Các đơn vị còn lại",
                block="",
                kind=TargetKind.PER_UNIT,
                phase_values={1: Decimal(3), 2: Decimal(3)},
            ),
            AllocationInput(
                label="152 CĐCS khối doanh nghiệp",
                block="enterprise",
                kind=TargetKind.PER_UNIT,
                phase_values={1: Decimal(1), 2: Decimal(1)},
            ),
            AllocationInput(
                unit=unit(STANLEY),
                kind=TargetKind.ABSOLUTE,
                phase_values={1: Decimal(400), 2: Decimal(300)},
            ),
        ],
    )

    assert resolved(program, phases, STANLEY, LIXIL, YEN_VIEN) == {
        STANLEY: {1: 400, 2: 300},
        LIXIL: {1: 1, 2: 1},
        YEN_VIEN: {1: 3, 2: 3},
    }


def test_children_falling_short_of_the_units_own_target_are_warned_about(
    program, phases, gialam, admin, hanoi_admin
):
    allocation_replace(
        actor=hanoi_admin,
        program=program,
        parent=unit("T01"),
        rows=[
            AllocationInput(
                unit=gialam, kind=TargetKind.ABSOLUTE, phase_values={1: Decimal(60), 2: Decimal(30)}
            )
        ],
    )
    allocation_replace(
        actor=admin,
        program=program,
        parent=gialam,
        rows=[
            AllocationInput(
                block="commune",
                kind=TargetKind.PER_UNIT,
                phase_values={1: Decimal(2), 2: Decimal(1)},
            )
        ],
    )

    view = overview(program, gialam, phases)

    assert view.own.by_phase == {1: 60, 2: 30}
    assert view.own.source == "Liên đoàn Lao động huyện Gia Lâm"
    assert view.sums == {1: 44, 2: 22}  # 22 commune unions × 2 and × 1; the 7 firms have none
    assert view.without_target == 7
    assert [
        (s.phase.number if s.phase else None, s.own, s.children, s.missing) for s in view.shortfalls
    ] == [
        (1, 60, 44, 16),
        (2, 30, 22, 8),
        (None, 90, 66, 24),
    ]


def test_no_warning_when_the_children_reach_the_units_target(
    program, phases, gialam, admin, hanoi_admin
):
    allocation_replace(
        actor=hanoi_admin,
        program=program,
        parent=unit("T01"),
        rows=[AllocationInput(unit=gialam, kind=TargetKind.ABSOLUTE, total=Decimal(66))],
    )
    allocation_replace(
        actor=admin,
        program=program,
        parent=gialam,
        rows=[AllocationInput(block="commune", kind=TargetKind.PER_UNIT, total=Decimal(3))],
    )

    view = overview(program, gialam, phases)

    assert view.own.by_phase == {1: 33, 2: 33}
    assert view.sums == {1: 44, 2: 22}  # 3 per union, split 2 + 1
    assert [(s.phase.number, s.missing) for s in view.shortfalls] == [(2, 11)]


# -- replacing a table ---------------------------------------------------------------------------


def test_replace_swaps_the_whole_table_and_writes_one_audit_row(program, gialam, admin):
    allocation_replace(
        actor=admin,
        program=program,
        parent=gialam,
        rows=[AllocationInput(block="", kind=TargetKind.PER_UNIT, total=Decimal(4))],
    )

    made = allocation_replace(
        actor=admin,
        program=program,
        parent=gialam,
        rows=[
            AllocationInput(
                block="commune",
                kind=TargetKind.PER_UNIT,
                phase_values={1: Decimal(1), 2: Decimal(1)},
            ),
            AllocationInput(
                unit=unit(STANLEY),
                kind=TargetKind.ABSOLUTE,
                total=Decimal(700),
                participation_percent=Decimal(15),
            ),
        ],
    )

    stored = list(Allocation.objects.filter(program=program, parent=gialam).order_by("position"))
    assert [row.pk for row in stored] == [row.pk for row in made]
    assert [
        (
            r.position,
            r.label,
            r.unit_id,
            r.block,
            r.kind,
            r.total,
            r.phase_values,
            r.participation_percent,
        )
        for r in stored
    ] == [
        (
            0,
            "Khối xã, phường, thị trấn",
            None,
            "commune",
            "per_unit",
            Decimal(2),
            {"1": 1, "2": 1},
            None,
        ),
        (
            1,
            "Công đoàn Công ty TNHH điện Stanley Việt Nam",
            unit(STANLEY).pk,
            "",
            "absolute",
            Decimal(700),
            {},
            Decimal(15),
        ),
    ]
    entries = AuditEntry.objects.filter(action="targets.allocate").order_by("pk")
    assert entries.count() == 2
    last = entries.last()
    assert (last.actor, last.object_type, last.object_id) == (admin, "orgs.unit", str(gialam.pk))
    assert last.data["program"] == "01-trieu-sang-kien"
    assert [row["unit"] for row in last.data["rows"]] == [None, STANLEY]


def _state(program, parent):
    return table(program, parent), AuditEntry.objects.filter(action="targets.allocate").count()


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (
            AllocationInput(block="commune", kind=TargetKind.PER_UNIT, total=Decimal(-1)),
            "total",
            "Số không được âm.",
        ),
        (
            AllocationInput(
                block="commune",
                kind=TargetKind.PER_UNIT,
                phase_values={1: Decimal(1), 2: Decimal(-2)},
            ),
            "phase_2",
            "Số không được âm.",
        ),
        (
            AllocationInput(
                block="commune", kind=TargetKind.PER_UNIT, phase_values={3: Decimal(1)}
            ),
            "phase_3",
            "Chương trình 01 triệu sáng kiến không có giai đoạn 3.",
        ),
        (
            AllocationInput(block="commune", kind="per_household", total=Decimal(1)),
            "kind",
            "Cách tính không hợp lệ.",
        ),
        (
            AllocationInput(block="factory", kind=TargetKind.PER_UNIT, total=Decimal(1)),
            "block",
            "Khối không hợp lệ.",
        ),
        (
            AllocationInput(
                block="commune",
                kind=TargetKind.PER_UNIT,
                total=Decimal(1),
                participation_percent=Decimal(101),
            ),
            "participation_percent",
            "Tỷ lệ tham gia phải từ 0 đến 100 (%).",
        ),
        (
            AllocationInput(block="commune", kind=TargetKind.PER_UNIT),
            "total",
            "Nhập tổng số hoặc số theo từng giai đoạn.",
        ),
        (
            AllocationInput(
                block="commune",
                kind=TargetKind.PER_UNIT,
                total=Decimal(3),
                phase_values={1: Decimal(1), 2: Decimal(1)},
            ),
            "total",
            "Tổng số (3) khác tổng các giai đoạn (2).",
        ),
    ],
)
def test_replace_refuses_a_bad_row_and_changes_nothing(program, gialam, admin, row, field, message):
    good = AllocationInput(unit=unit(STANLEY), kind=TargetKind.ABSOLUTE, total=Decimal(700))
    allocation_replace(actor=admin, program=program, parent=gialam, rows=[good])
    before = _state(program, gialam)

    with pytest.raises(AllocationRefused) as refused:
        allocation_replace(actor=admin, program=program, parent=gialam, rows=[good, row])

    assert (refused.value.row, refused.value.field, refused.value.message) == (1, field, message)
    assert _state(program, gialam) == before


def test_replace_refuses_a_unit_outside_the_parent(program, gialam, admin, national):
    before = _state(program, gialam)

    with pytest.raises(AllocationRefused) as refused:
        allocation_replace(
            actor=admin,
            program=program,
            parent=gialam,
            rows=[
                AllocationInput(
                    unit=national["T01-D004"], kind=TargetKind.ABSOLUTE, total=Decimal(5)
                )
            ],
        )

    assert (refused.value.row, refused.value.field, refused.value.message) == (
        0,
        "unit",
        "Liên đoàn Lao động quận Long Biên không trực thuộc Liên đoàn Lao động huyện Gia Lâm.",
    )
    assert _state(program, gialam) == before


def test_replace_refuses_two_rows_for_one_child_or_one_group(program, gialam, admin):
    with pytest.raises(AllocationRefused) as refused:
        allocation_replace(
            actor=admin,
            program=program,
            parent=gialam,
            rows=[
                AllocationInput(unit=unit(STANLEY), kind=TargetKind.ABSOLUTE, total=Decimal(1)),
                AllocationInput(block="", kind=TargetKind.PER_UNIT, total=Decimal(1)),
                AllocationInput(unit=unit(STANLEY), kind=TargetKind.ABSOLUTE, total=Decimal(2)),
                AllocationInput(block="", kind=TargetKind.PER_UNIT, total=Decimal(2)),
            ],
        )

    assert [(p.index, p.field, p.message) for p in refused.value.problems] == [
        (2, "unit", "Đã có một dòng khác cho Công đoàn Công ty TNHH điện Stanley Việt Nam."),
        (3, "block", "Đã có một dòng khác cho nhóm các đơn vị còn lại."),
    ]
    assert not Allocation.objects.exists()


def test_replace_refuses_an_officer_who_does_not_manage_the_parent(program, gialam, make_officer):
    reviewer = make_officer("xetduyet", "T01-D018", "reviewer")

    with pytest.raises(AllocationRefused) as refused:
        allocation_replace(
            actor=reviewer,
            program=program,
            parent=gialam,
            rows=[AllocationInput(block="", kind=TargetKind.PER_UNIT, total=Decimal(1))],
        )

    assert refused.value.message == "Bạn không có quyền phân bổ chỉ tiêu của đơn vị này."
    assert _state(program, gialam) == ([], 0)


# -- numbers as typed ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("5.342", Decimal(5342)),
        ("05", Decimal(5)),
        ("0,5", Decimal("0.5")),
        ("12.5", Decimal("12.5")),
        (" 1 250 ", Decimal(1250)),
        (700, Decimal(700)),
        (2.5, Decimal("2.5")),
        ("", None),
        (None, None),
    ],
)
def test_numbers_are_read_the_vietnamese_way(typed, number):
    assert parse_number(typed) == number


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "Số không được âm."),
        (-1, "Số không được âm."),
        ("năm", "«năm» không phải là số."),
        ("0,125", "Tối đa 2 chữ số thập phân."),
        ("1e3", "«1e3» không phải là số."),
        ("2.000.000.000", "Số quá lớn."),
    ],
)
def test_numbers_that_are_not_targets_are_refused_with_a_reason(typed, message):
    with pytest.raises(ValueError) as error:
        parse_number(typed)

    assert str(error.value) == message


# -- seed 004's table, as it is ------------------------------------------------------------------


SEED_REPORT = [
    (
        8,
        "1",
        "Khối xã, thị trấn",
        Outcome.IMPORTED,
        "Các đơn vị khối xã, phường, thị trấn: 2 sáng kiến mỗi đơn vị (Giai đoạn 1: 1; Giai đoạn 2: 1)",
        [],
    ),
    (
        9,
        "2",
        "Khối HCSN",
        Outcome.IMPORTED,
        "Các đơn vị khối hành chính sự nghiệp, khối cơ quan: 2 sáng kiến mỗi đơn vị (Giai đoạn 1: 1; Giai đoạn 2: 1)",
        ["Hiện không có đơn vị trực thuộc nào thuộc nhóm này."],
    ),
    (
        10,
        "3",
        "Khối trường học",
        Outcome.IMPORTED,
        "Các đơn vị khối trường học: 1 sáng kiến mỗi đoàn viên, chia đều cho 2 giai đoạn",
        ["Hiện không có đơn vị trực thuộc nào thuộc nhóm này."],
    ),
    (11, "4", "Khối doanh nghiệp", Outcome.HEADING, "", []),
    (
        12,
        "4.1",
        "152 CĐCS khối doanh nghiệp",
        Outcome.IMPORTED,
        "Các đơn vị khối doanh nghiệp: 2 sáng kiến mỗi đơn vị (Giai đoạn 1: 1; Giai đoạn 2: 1)",
        [
            "Dòng ghi 152 đơn vị; hiện Liên đoàn Lao động huyện Gia Lâm có 0 đơn vị thuộc nhóm này (không kể đơn vị có dòng riêng)."
        ],
    ),
    (
        13,
        "4.2",
        "CĐ Công ty TNHH điện Stanley Việt Nam",
        Outcome.IMPORTED,
        "Công đoàn Công ty TNHH điện Stanley Việt Nam: 700 sáng kiến (Giai đoạn 1: 400; Giai đoạn 2: 300)",
        [],
    ),
    (
        14,
        "4.3",
        "CĐ Công ty TNHH Lixil Việt Nam",
        Outcome.IMPORTED,
        "Công đoàn Công ty TNHH Lixil Việt Nam: 700 sáng kiến (Giai đoạn 1: 400; Giai đoạn 2: 300)",
        [],
    ),
    (
        15,
        "4.4",
        "CĐ Công ty TNHH SX, DV, TM sản phẩm da Ladodda",
        Outcome.IMPORTED,
        "Công đoàn Công ty TNHH SX, DV, TM sản phẩm da Ladodda: 30 sáng kiến (Giai đoạn 1: 15; Giai đoạn 2: 15)",
        [],
    ),
    (
        16,
        "4.5",
        "CĐ Công ty CP Hãng sơn Đông Á",
        Outcome.IMPORTED,
        "Công đoàn Công ty CP Hãng sơn Đông Á: 20 sáng kiến (Giai đoạn 1: 10; Giai đoạn 2: 10)",
        [],
    ),
    (
        17,
        "4.6",
        "CĐ Công ty CP Bewin & Coating Việt Nam",
        Outcome.IMPORTED,
        "Công đoàn Công ty CP Bewin & Coating Việt Nam: 10 sáng kiến (Giai đoạn 1: 5; Giai đoạn 2: 5)",
        [],
    ),
    (
        18,
        "4.6",
        "CĐ Công ty CP Bewin & Coating Sài Gòn",
        Outcome.IMPORTED,
        "Công đoàn Công ty CP Bewin & Coating Sài Gòn: 10 sáng kiến (Giai đoạn 1: 5; Giai đoạn 2: 5)",
        ["Số thứ tự 4.6 trùng với dòng 17."],
    ),
    (
        19,
        "4.8",
        "CĐ Công ty CP Môi trường đô thị Gia Lâm",
        Outcome.IMPORTED,
        "Công đoàn Công ty CP Môi trường đô thị Gia Lâm: 10 sáng kiến (Giai đoạn 1: 5; Giai đoạn 2: 5)",
        [],
    ),
    (
        20,
        "",
        "Tổng cộng",
        Outcome.TOTAL,
        "Bảng ghi 5.342 (Giai đoạn 1: 2.771; Giai đoạn 2: 2.571); các dòng đã nhập tính cho 29 đơn vị trực thuộc hiện có được 1.524 (Giai đoạn 1: 862; Giai đoạn 2: 662), chênh lệch 3.818. Chỉ là ghi chú: số tổng không được lưu.",
        [],
    ),
]


def report_of(result) -> list[tuple]:
    return [
        (line.row, line.tt, line.label, line.outcome, line.message, line.warnings)
        for line in result.report
    ]


def test_seed_004_table_imports_as_it_is_with_a_report_for_every_row(program, gialam):
    result = parse_allocation_xlsx(seed_xlsx(), program, gialam)

    assert result.error == ""
    assert result.header_row == 7
    assert result.columns == [
        ("B", "Tên đơn vị"),
        ("C", "Tổng số"),
        ("D", "Giai đoạn 1"),
        ("E", "Giai đoạn 2"),
    ]
    assert report_of(result) == SEED_REPORT

    def firm(code, total, one, two):
        return (
            unit(code).pk,
            "",
            "absolute",
            Decimal(total),
            {1: Decimal(one), 2: Decimal(two)},
            None,
        )

    assert [row.key()[1:] for row in result.rows] == [
        (None, "commune", "per_unit", Decimal(2), {1: Decimal(1), 2: Decimal(1)}, None),
        (None, "administrative", "per_unit", Decimal(2), {1: Decimal(1), 2: Decimal(1)}, None),
        (None, "school", "per_member", Decimal(1), {}, None),
        (None, "enterprise", "per_unit", Decimal(2), {1: Decimal(1), 2: Decimal(1)}, None),
        firm(STANLEY, 700, 400, 300),
        firm(LIXIL, 700, 400, 300),
        firm(LADODDA, 30, 15, 15),
        firm("T01-D018-C004", 20, 10, 10),
        firm("T01-D018-C005", 10, 5, 5),
        firm("T01-D018-C006", 10, 5, 5),
        firm("T01-D018-C007", 10, 5, 5),
    ]
    assert [row.label for row in result.rows][:4] == [
        "Khối xã, thị trấn",
        "Khối HCSN",
        "Khối trường học",
        "152 CĐCS khối doanh nghiệp",
    ]
    assert not Allocation.objects.exists()  # nothing is saved before the officer confirms


def test_seed_004_rows_once_saved_give_stanley_and_a_commune_union_their_targets(
    program, phases, gialam, admin
):
    teachers = school("T01-D018-S001", 41)
    result = parse_allocation_xlsx(seed_xlsx(), program, gialam)

    allocation_replace(actor=admin, program=program, parent=gialam, rows=result.rows)

    assert resolved(program, phases, STANLEY, YEN_VIEN, LADODDA, teachers.code) == {
        STANLEY: {1: 400, 2: 300},
        YEN_VIEN: {1: 1, 2: 1},
        LADODDA: {1: 15, 2: 15},
        teachers.code: {1: 21, 2: 20},  # 1 per member, 41 members, over 2 phases
    }


def test_seed_004_named_unit_that_left_the_district_is_an_error_row(program, gialam, national):
    unit_move(unit=unit(LADODDA), new_parent=national["T01-D004"], effective_on=today())

    result = parse_allocation_xlsx(seed_xlsx(), program, gialam)

    ladodda = next(line for line in result.report if line.row == 15)
    assert (ladodda.outcome, ladodda.message) == (
        Outcome.ERROR,
        "Không tìm thấy đơn vị tên «CĐ Công ty TNHH SX, DV, TM sản phẩm da Ladodda» trong các đơn vị trực thuộc Liên đoàn Lao động huyện Gia Lâm (so tên không phân biệt dấu, chữ hoa; CĐ = Công đoàn, CĐCS = Công đoàn cơ sở).",
    )
    assert len(result.rows) == 10
    assert result.count(Outcome.ERROR) == 1
    assert unit(LADODDA).pk not in {row.unit.pk for row in result.rows if row.unit}


def test_names_match_without_accents_case_or_the_cd_abbreviation(program, gialam):
    rows = [
        ["TT", "Tên đơn vị", "Tổng số", "Giai đoạn 1", "Giai đoạn 2"],
        ["1", "cong doan cong ty tnhh LIXIL viet nam", "6", "3", "3"],
        ["2", "CĐCS xã Yên Viên", "4", "2", "2"],
        ["3", "CĐ Công ty TNHH Không Có Thật", "10", "5", "5"],
    ]

    result = parse_allocation_xlsx(rows_to_xlsx(rows), program, gialam)

    assert [(line.row, line.outcome) for line in result.report] == [
        (2, Outcome.IMPORTED),
        (3, Outcome.IMPORTED),
        (4, Outcome.ERROR),
    ]
    assert [row.unit.code for row in result.rows] == [LIXIL, "T01-D018-C010"]


def test_rows_that_do_not_fit_are_reported_with_their_reason(program, gialam):
    rows = [
        ["Bảng phân bổ thử"],
        [],
        ["STT", "Tên đơn vị", "Tổng số", "Giai đoạn 1", "Giai đoạn 2", "Giai đoạn 3"],
        ["1", "CĐ Công ty TNHH điện Stanley Việt Nam", "-5", "", "", ""],
        ["2", "CĐ Công ty TNHH Lixil Việt Nam", "nhiều", "", "", ""],
        ["3", "CĐ Công ty CP Hãng sơn Đông Á", "", "1", "1", "1"],
        ["4", "", "5", "", "", ""],
        ["5", "Khối xã, thị trấn", "2", "1", "1", ""],
        ["6", "Các CĐCS xã", "4", "2", "2", ""],
        ["7", "Nhóm đặc biệt", "1", "", "", ""],
        ["8", "CĐ Công ty TNHH SX, DV, TM sản phẩm da Ladodda", "", "", "", ""],
    ]

    result = parse_allocation_xlsx(rows_to_xlsx(rows), program, gialam)

    assert [(line.row, line.outcome, line.message) for line in result.report] == [
        (4, Outcome.ERROR, "Cột «Tổng số»: Số không được âm."),
        (5, Outcome.ERROR, "Cột «Tổng số»: «nhiều» không phải là số."),
        (6, Outcome.ERROR, "Chương trình 01 triệu sáng kiến không có giai đoạn 3."),
        (7, Outcome.ERROR, "Thiếu tên đơn vị hoặc nhóm đơn vị."),
        (
            8,
            Outcome.IMPORTED,
            "Các đơn vị khối xã, phường, thị trấn: 2 sáng kiến mỗi đơn vị (Giai đoạn 1: 1; Giai đoạn 2: 1)",
        ),
        (9, Outcome.ERROR, "Đã có một dòng khác cho nhóm các đơn vị khối xã, phường, thị trấn."),
        (
            10,
            Outcome.ERROR,
            "Không xác định được khối của nhóm: ghi rõ «khối doanh nghiệp», «khối HCSN», «khối trường học», «khối xã, thị trấn» hoặc «các đơn vị còn lại».",
        ),
        (11, Outcome.ERROR, "Thiếu số sáng kiến."),
    ]
    assert result.columns[-1] == ("F", "không dùng: chương trình không có giai đoạn này")
    assert len(result.rows) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"TT;Ten don vi;Tong so\n1;Stanley;700\n", "Không đọc được tệp: cần tệp Excel .xlsx."),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
            "Đây là tệp Excel 97–2003 (.xls): hãy mở và lưu lại thành .xlsx rồi tải lên.",
        ),
        (
            b"PK\x03\x04 not really a zip",
            "Không đọc được tệp: tệp .xlsx bị hỏng hoặc không phải Excel.",
        ),
        (b"", "Tệp rỗng."),
    ],
)
def test_a_file_that_is_not_a_readable_xlsx_is_refused_as_a_whole(
    program, gialam, content, message
):
    result = parse_allocation_xlsx(io.BytesIO(content), program, gialam)

    assert (result.error, result.rows, result.report) == (message, [], [])


def test_a_file_too_big_is_refused_before_it_is_read(program, gialam, monkeypatch):
    from sangkien.targets import tables

    monkeypatch.setattr(tables, "MAX_IMPORT_BYTES", 1048576)

    result = parse_allocation_xlsx(io.BytesIO(b"PK\x03\x04" + b"0" * 1048576), program, gialam)

    assert result.error == "Tệp quá lớn (tối đa 1 MB)."


def test_a_sheet_without_the_header_row_is_refused(program, gialam):
    result = parse_allocation_xlsx(
        rows_to_xlsx([["Đơn vị nào", "Số"], ["Stanley", "700"]]), program, gialam
    )

    assert result.error == (
        "Không tìm thấy dòng tiêu đề của bảng (dòng có cột «Tên đơn vị»). Hãy dùng mẫu tải về từ trang này."
    )


# -- writing and reading back --------------------------------------------------------------------


def test_export_reimports_to_the_same_table(program, gialam, admin):
    seeded = parse_allocation_xlsx(seed_xlsx(), program, gialam).rows
    seeded.append(
        AllocationInput(
            label="Các đơn vị còn lại",
            block="",
            kind=TargetKind.PER_MEMBER,
            phase_values={1: Decimal("0.5"), 2: Decimal("0.25")},
            participation_percent=Decimal("12.5"),
        )
    )
    allocation_replace(actor=admin, program=program, parent=gialam, rows=seeded)
    before = table(program, gialam)

    again = parse_allocation_xlsx(io.BytesIO(allocation_xlsx(program, gialam)), program, gialam)

    assert again.error == ""
    assert [line.outcome for line in again.report].count(Outcome.ERROR) == 0
    assert [row.key() for row in again.rows] == before
    allocation_replace(actor=admin, program=program, parent=gialam, rows=again.rows)
    assert table(program, gialam) == before
    total = next(line for line in again.report if line.outcome == Outcome.TOTAL)
    assert total.message == "Khớp với các dòng đã nhập: 1.524 (Giai đoạn 1: 862; Giai đoạn 2: 662)."


def test_export_has_the_seed_shape_and_every_child_with_its_target(program, gialam, admin):
    allocation_replace(
        actor=admin,
        program=program,
        parent=gialam,
        rows=parse_allocation_xlsx(seed_xlsx(), program, gialam).rows,
    )

    workbook = load_workbook(io.BytesIO(allocation_xlsx(program, gialam)))
    first, second = workbook.worksheets
    rows = list(first.iter_rows(values_only=True))

    assert rows[0][0] == "LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM"
    assert rows[3][:5] == (
        "TT",
        "Tên đơn vị",
        "Tổng số sáng kiến/đơn vị",
        "Giai đoạn 1 (Sáng kiến từ 01/09/2021-31/05/2022)",
        "Giai đoạn 2 (Sáng kiến từ 01/06/2022-01/09/2023)",
    )
    assert rows[4][:8] == (
        1,
        "Khối xã, thị trấn",
        2,
        1,
        1,
        "Số sáng kiến mỗi đơn vị",
        "Khối xã, phường, thị trấn",
        None,
    )
    assert rows[8][:8] == (
        5,
        "CĐ Công ty TNHH điện Stanley Việt Nam",
        700,
        400,
        300,
        "Số sáng kiến của đơn vị",
        STANLEY,
        None,
    )
    assert rows[-1][:5] == (None, "Tổng cộng", 1524, 862, 662)
    kids = list(second.iter_rows(values_only=True))
    assert kids[0] == (
        "Mã đơn vị",
        "Tên đơn vị",
        "Khối",
        "Số đoàn viên",
        "Giai đoạn 1",
        "Giai đoạn 2",
        "Tổng số",
        "Tỷ lệ đoàn viên tham gia (%)",
        "Theo dòng của bảng phân bổ",
    )
    assert len(kids) == 1 + 29
    assert kids[1] == (
        STANLEY,
        "Công đoàn Công ty TNHH điện Stanley Việt Nam",
        "Khối doanh nghiệp",
        0,
        400,
        300,
        700,
        None,
        "CĐ Công ty TNHH điện Stanley Việt Nam",
    )
    assert (kids[8][0], kids[8][4:7], kids[8][8]) == (YEN_VIEN, (1, 1, 2), "Khối xã, thị trấn")


def test_export_writes_every_text_as_text_never_a_formula(program, gialam, admin):
    allocation_replace(
        actor=admin,
        program=program,
        parent=gialam,
        rows=[
            AllocationInput(
                label='=HYPERLINK("http://x","bấm")',
                unit=unit(STANLEY),
                kind=TargetKind.ABSOLUTE,
                total=Decimal(7),
            )
        ],
    )

    sheet = load_workbook(io.BytesIO(allocation_xlsx(program, gialam))).worksheets[0]

    label = sheet.cell(row=5, column=2)
    assert (label.value, label.data_type) == ('=HYPERLINK("http://x","bấm")', "s")
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
