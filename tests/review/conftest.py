"""Fixtures of review: the chain Stanley (CĐCS) → Gia Lâm (district) → Hà Nội (province) → the
federation, an officer at each level, initiatives of Stanley, and the notifications sent."""

from datetime import date

import pytest

from sangkien.review.services import Letter
from tests.fakes import RecordingSender
from tests.initiatives.helpers import submit

LEAD_PHONE = "0912345678"


@pytest.fixture
def outbox(settings):
    settings.NOTIFY_BACKENDS = ["tests.fakes.RecordingSender"]
    RecordingSender.sent.clear()
    yield RecordingSender.sent
    RecordingSender.sent.clear()


@pytest.fixture
def officers(national, make_officer):
    """One reviewer at each level of Stanley's chain."""
    return {
        "stanley": make_officer("stanley", "T01-D018-C001"),
        "gialam": make_officer("gialam", "T01-D018", "unit_admin"),
        "hanoi": make_officer("hanoi", "T01", "unit_admin"),
        "tld": make_officer("tld", "TLD", "national_admin"),
        "longbien": make_officer("longbien", "T01-D004", "unit_admin"),
    }


@pytest.fixture
def make_initiative(national, open_program, form_data):
    counter = {"n": 0}

    def make(title: str = "", **overrides):
        counter["n"] += 1
        title = title or f"Cải tiến dây chuyền số {counter['n']} giảm hao phí nguyên liệu"
        description = overrides.pop(
            "description",
            f"Giải pháp {counter['n']}: thay đổi trình tự công đoạn {counter['n'] * 7} "
            f"và bổ sung cảm biến đo {counter['n'] * 3} điểm trên băng tải.",
        )
        data = form_data(open_program, title=title, description=description, **overrides)
        return submit(open_program, data, send_receipt=False)

    return make


@pytest.fixture
def phase1(open_program):
    return open_program.phases.get(number=1)


def letter(number: str = "12/TTr-CĐCS") -> Letter:
    return Letter(
        number=number,
        dated_on=date(2026, 11, 20),
        signer_title="TM. BAN CHẤP HÀNH\nCHỦ TỊCH",
        signer_name="Nguyễn Văn Hùng",
        place="Gia Lâm",
    )
