"""Initiatives made fast for the numbers (straight through initiatives.services, then folded)."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from sangkien.initiatives.services import AuthorInput, SubmissionInput, initiative_submit
from sangkien.orgs.models import Unit
from sangkien.targets import services as numbers


@pytest.fixture
def submit_many(open_program):
    """submit_many(unit, n, at=None, phone_from=None, **fields) → initiatives,
    folded.

    Each initiative has one author with its own phone (phone_from + i) unless `phone` is given;
    `at` is the instant of submission (default: now; the unit must exist then)."""
    counter = {"n": 0}

    def make(
        unit: Unit, n: int, at: datetime | None = None, phone_from: int | None = None, **fields
    ):
        program = fields.pop("program", open_program)
        made = []
        today = timezone.localdate()
        for i in range(n):
            counter["n"] += 1
            number = counter["n"]
            own = phone_from + i if phone_from is not None else number
            phone = fields.get("phone") or f"09{own:08d}"
            data = SubmissionInput(
                unit=unit,
                block=fields.get("block", "doanh-nghiep"),
                target_group=fields.get("target_group", "cong-nhan-doanh-nghiep"),
                kind=fields.get("kind", "giai-phap-ky-thuat"),
                title=f"Sáng kiến số {number} của {unit.code}",
                description=f"Mô tả sáng kiến số {number}.",
                first_applied_on=today - timedelta(days=20),
                recognized_by="council",
                recognition_number=f"{number}/QĐ",
                recognition_date=today - timedelta(days=20),
                benefit_vnd=fields.get("benefit_vnd", 1_000_000),
                benefit_text="",
                drive_link="",
                not_ip_protected=True,
                lawful=True,
                authors=[
                    AuthorInput(full_name=f"Người số {number}", phone=phone, share=Decimal(100))
                ],
            )
            initiative, _ = initiative_submit(program=program, data=data, at=at, send_receipt=False)
            made.append(initiative)
        numbers.fold()
        return made

    return make
