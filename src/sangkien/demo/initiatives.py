"""Demo initiatives in the demonstration programme, through the same validation and service as
the form (so demo data never breaks a rule); re-running adds nothing (idempotency keys)."""

from datetime import timedelta

from django.http import QueryDict
from django.utils import timezone

from sangkien.common.timewindows import vn_date
from sangkien.initiatives.enums import Channel
from sangkien.initiatives.forms import Submission, new_form_token
from sangkien.initiatives.models import Initiative
from sangkien.initiatives.services import initiative_submit
from sangkien.orgs.models import Unit
from sangkien.programs.queries import options_of

DEMO_PHONE = "0912 345 678"
TITLES = [
    "Cải tiến đồ gá hàn giúp giảm thời gian lắp ráp",
    "Số hoá sổ theo dõi ca kíp bằng mã QR",
    "Tái sử dụng nước làm mát máy ép nhựa",
    "Tổ chức bữa ăn ca tiết kiệm cho công nhân",
    "Phần mềm nhắc lịch bảo dưỡng thiết bị",
    "Giải pháp giảm tiếng ồn khu vực dập",
    "Quy trình tiếp nhận đơn thư của công đoàn trên điện thoại",
    "Khẩu trang kháng khuẩn tự may cho tổ sản xuất",
]
FIRST_NAMES = ["Lan", "Bình", "Cúc", "Dũng", "Hoa", "Hùng", "Mai", "Nam", "Oanh", "Phúc"]


def _data(program, unit: Unit, index: int, submitted_on) -> QueryDict:
    applied = max(program.eligible_from, submitted_on - timedelta(days=1 + index % 20))
    kinds = [o.code for o in options_of(program, "kind") if o.code not in program.research_kinds]
    groups = [o.code for o in options_of(program, "target_group")]
    data = QueryDict(mutable=True)
    data.update(
        {
            "form_token": new_form_token(),
            "author_full_name": f"Nguyễn Thị {FIRST_NAMES[index % len(FIRST_NAMES)]}",
            "author_phone": DEMO_PHONE if index == 0 else f"09{index:08d}",
            "author_id_number": f"0011900{index:05d}",
            "unit": unit.code,
            "block": "doanh-nghiep" if unit.block == "enterprise" else "khoi-co-quan",
            "target_group": groups[index % len(groups)],
            "kind": kinds[index % len(kinds)],
            "title": TITLES[index % len(TITLES)],
            "description": "Mô tả minh hoạ: " + TITLES[index % len(TITLES)].lower() + ".",
            "first_applied_on": applied.isoformat(),
            "recognized_by": "council" if index % 3 else "head",
            "recognition_number": f"{index + 1}/QĐ-HĐSK",
            "recognition_date": applied.isoformat(),
            "benefit_vnd": str((index % 7 + 1) * 10_000_000),
            "not_ip_protected": "on",
            "lawful": "on",
            "consent": "on",
            "coauthors-TOTAL_FORMS": "0",
            "coauthors-INITIAL_FORMS": "0",
        }
    )
    return data


def _submitted_at(program, index: int):
    """Spread over the days the programme has been open, more of them lately (a daily curve)."""
    now = timezone.now()
    opened = program.submission_opens_at + timedelta(hours=1)
    span = max((now - opened).days, 0)
    back = (index * 7919) % (span + 1) if span else 0
    back = back * back // (span or 1)  # squared: most initiatives in the last days
    return max(opened, now - timedelta(days=back, minutes=index))


def create_demo_initiatives(program, *, count: int = 80) -> list[Initiative]:
    """`count` initiatives spread over Gia Lâm's real unions and the demo grassroots unions, and
    over the days since the programme opened."""
    units = list(Unit.objects.filter(level=3, code__startswith="T01-D018-C")[:7])
    units += list(Unit.objects.filter(level=3, is_demo=True).order_by("code")[:30])
    made = []
    for index in range(count if units else 0):
        key = f"demo:{program.code}:{index}"
        existing = Initiative.objects.filter(idempotency_key=key).first()
        if existing is not None:
            made.append(existing)
            continue
        at = _submitted_at(program, index)
        form = Submission(program, _data(program, units[index % len(units)], index, vn_date(at)))
        if not form.is_valid():
            raise ValueError(form.errors_by_path())
        initiative, _created = initiative_submit(
            program=program,
            data=form.to_input(),
            channel=Channel.WEB,
            idempotency_key=key,
            send_receipt=False,
            at=at,
        )
        made.append(initiative)
    return made
