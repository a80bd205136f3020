"""Demo targets: member counts for Gia Lâm's real unions (the national file leaves them at 0),
the federation's allocation to its direct units, Hà Nội's to Gia Lâm, and Gia Lâm's own table as
seed 004 printed it (LĐLĐ huyện Gia Lâm, 25/3/2022)."""

from decimal import Decimal

from sangkien.orgs.models import Unit
from sangkien.orgs.services import refresh_member_totals
from sangkien.programs.models import Program
from sangkien.targets.enums import TargetKind
from sangkien.targets.models import Allocation

GIA_LAM_MEMBERS = {
    "T01-D018-C001": 2600,  # Stanley
    "T01-D018-C002": 2100,  # Lixil
    "T01-D018-C003": 180,
    "T01-D018-C004": 120,
    "T01-D018-C005": 60,
    "T01-D018-C006": 55,
    "T01-D018-C007": 240,
}
COMMUNE_MEMBERS = 25

# Seed 004: (label, unit code or None, block of the group, kind, total, phase 1, phase 2)
GIA_LAM_TABLE = [
    ("Khối xã, thị trấn", None, "commune", TargetKind.PER_UNIT, 2, 1, 1),
    ("Khối HCSN", None, "administrative", TargetKind.PER_UNIT, 2, 1, 1),
    ("Khối trường học", None, "school", TargetKind.PER_MEMBER, 1, None, None),
    ("152 CĐCS khối doanh nghiệp", None, "enterprise", TargetKind.PER_UNIT, 2, 1, 1),
    ("CĐ Công ty TNHH điện Stanley Việt Nam", "T01-D018-C001", "", "absolute", 700, 400, 300),
    ("CĐ Công ty TNHH Lixil Việt Nam", "T01-D018-C002", "", "absolute", 700, 400, 300),
    ("CĐ Công ty TNHH SX, DV, TM sản phẩm da Ladodda", "T01-D018-C003", "", "absolute", 30, 15, 15),
    ("CĐ Công ty CP Hãng sơn Đông Á", "T01-D018-C004", "", "absolute", 20, 10, 10),
    ("CĐ Công ty CP Bewin & Coating Việt Nam", "T01-D018-C005", "", "absolute", 10, 5, 5),
    ("CĐ Công ty CP Bewin & Coating Sài Gòn", "T01-D018-C006", "", "absolute", 10, 5, 5),
    ("CĐ Công ty CP Môi trường đô thị Gia Lâm", "T01-D018-C007", "", "absolute", 10, 5, 5),
]


def _row(program, parent, position, label, unit, block, kind, total, p1, p2, percent=None):
    phase_values = {"1": p1, "2": p2} if p1 is not None else {}
    lookup = {"unit": unit} if unit is not None else {"unit": None, "block": block}
    Allocation.objects.update_or_create(
        program=program,
        parent=parent,
        **lookup,
        defaults={
            "position": position,
            "label": label,
            "block": block if unit is None else "",
            "kind": kind,
            "total": Decimal(str(total)) if total is not None else None,
            "phase_values": phase_values,
            "participation_percent": percent,
        },
    )


def create_demo_targets(program: Program) -> int:
    units = {u.code: u for u in Unit.objects.filter(code__in=["TLD", "T01", "T01-D018"])}
    if len(units) < 3:
        return 0
    for unit in Unit.objects.filter(code__startswith="T01-D018-C", member_count=0):
        unit.member_count = GIA_LAM_MEMBERS.get(unit.code, COMMUNE_MEMBERS)
        unit.save(update_fields=["member_count", "updated_at"])
    refresh_member_totals()
    _row(
        program,
        units["TLD"],
        0,
        "Các LĐLĐ tỉnh, thành phố, công đoàn ngành và tương đương (theo số đoàn viên)",
        None,
        "",
        TargetKind.PER_MEMBER,
        None,
        "0.025",
        "0.06",
        Decimal(10),
    )
    _row(
        program,
        units["T01"],
        0,
        "LĐLĐ huyện Gia Lâm",
        units["T01-D018"],
        "",
        "absolute",
        5342,
        2771,
        2571,
    )
    codes = {code for _l, code, *_rest in GIA_LAM_TABLE if code}
    by_code = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    for position, (label, code, block, kind, total, p1, p2) in enumerate(GIA_LAM_TABLE, start=1):
        if code and code not in by_code:
            continue
        _row(
            program,
            units["T01-D018"],
            position,
            label,
            by_code.get(code),
            block,
            kind,
            total,
            p1,
            p2,
        )
    return Allocation.objects.filter(program=program).count()
