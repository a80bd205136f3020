"""Fixtures of awards: officers of Hà Nội, Gia Lâm and Long Biên, an initiative of Stanley (under
Gia Lâm) with a co-author, the arguments of a decision, and the notifications sent."""

from datetime import timedelta

import pytest

from sangkien.awards.enums import AwardKind
from sangkien.awards.services import award_record
from sangkien.orgs.queries import today
from tests.fakes import RecordingSender
from tests.initiatives.helpers import submit

LEAD_PHONE = "0912345678"
COAUTHOR_PHONE = "0987654321"


@pytest.fixture
def outbox(settings):
    settings.NOTIFY_BACKENDS = ["tests.fakes.RecordingSender"]
    RecordingSender.sent.clear()
    yield RecordingSender.sent
    RecordingSender.sent.clear()


@pytest.fixture
def gialam(national, make_officer):
    return make_officer("gialam", "T01-D018")


@pytest.fixture
def hanoi(national, make_officer):
    return make_officer("hanoi", "T01", "unit_admin")


@pytest.fixture
def longbien(national, make_officer):
    return make_officer("longbien", "T01-D004", "unit_admin")


@pytest.fixture
def make_initiative(national, open_program, form_data):
    """An initiative of Stanley; `coauthor` adds Trần Văn Bình (20 %)."""

    def make(
        title: str = "Cải tiến đồ gá hàn giúp giảm thời gian lắp ráp", *, coauthor=True, **extra
    ):
        data = form_data(open_program, title=title, **extra)
        if coauthor:
            data.update(
                {
                    "author_share": "80",
                    "coauthors-0-full_name": "Trần Văn Bình",
                    "coauthors-0-phone": COAUTHOR_PHONE,
                    "coauthors-0-id_number": "001090054321",
                    "coauthors-0-share": "20",
                }
            )
        return submit(open_program, data, send_receipt=False)

    return make


@pytest.fixture
def initiative(make_initiative):
    return make_initiative()


@pytest.fixture
def decision(national, open_program):
    """The arguments of Gia Lâm's decision for an initiative; override what a test needs."""

    def make(**overrides) -> dict:
        values = {
            "program": open_program,
            "phase": None,
            "kind": AwardKind.COMMENDATION,
            "granting_unit": national["T01-D018"],
            "decision_number": "125/QĐ-LĐLĐ",
            "decision_date": today() - timedelta(days=3),
            "citation": "Đã có sáng kiến tiêu biểu trong chương trình.",
            "signer_title": "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH",
            "signer_name": "Nguyễn Văn Hùng",
            "place": "Gia Lâm",
        }
        values.update(overrides)
        return values

    return make


@pytest.fixture
def award_for(decision):
    """Record a decision with the service, as `actor`."""

    def make(actor, **overrides):
        return award_record(actor=actor, **decision(**overrides))

    return make
