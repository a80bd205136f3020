"""Submitting, editing, withdrawing: idempotency, personal data at rest, credit, history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sangkien.common.models import AuditEntry
from sangkien.initiatives.enums import Channel, Status
from sangkien.initiatives.models import Author, Initiative, StatusChange
from sangkien.initiatives.receipts import ALPHABET, parse_receipt
from sangkien.initiatives.services import (
    SubmissionRefused,
    initiative_edit,
    initiative_submit,
    initiative_withdraw,
    transition,
)
from tests.initiatives.helpers import submission, submit

pytestmark = pytest.mark.django_db


def test_submit_stores_one_initiative_with_history_and_audit(national, open_program, form_data):
    initiative = submit(open_program, form_data(open_program), idempotency_key="web:abc")

    assert Initiative.objects.count() == 1
    assert initiative.status == Status.SUBMITTED
    assert initiative.channel == Channel.WEB
    assert initiative.phase.number == 1
    assert initiative.unit.code == "T01-D018-C001"
    assert initiative.unit_path == national["T01-D018-C001"].placements.get().path
    assert list(initiative.history.values_list("from_status", "to_status")) == [("", "submitted")]
    assert AuditEntry.objects.filter(action="initiative.submit").count() == 1


def test_receipt_reads_well_over_the_phone(national, open_program, form_data):
    initiative = submit(open_program, form_data(open_program))

    assert len(initiative.receipt) == 8
    assert set(initiative.receipt) <= set(ALPHABET)
    assert not set("01OI") & set(ALPHABET)
    assert parse_receipt(initiative.receipt_display.lower()) == initiative.receipt
    assert parse_receipt(" " + initiative.receipt[:4] + " " + initiative.receipt[4:]) == (
        initiative.receipt
    )
    assert parse_receipt("ABCD-EFG0") is None


def test_same_idempotency_key_answers_the_first(national, open_program, form_data):
    data = submission(open_program, form_data(open_program))
    assert data.is_valid()

    first, created_first = initiative_submit(
        program=open_program, data=data.to_input(), idempotency_key="web:k1"
    )
    again, created_again = initiative_submit(
        program=open_program, data=data.to_input(), idempotency_key="web:k1"
    )

    assert (created_first, created_again) == (True, False)
    assert again.pk == first.pk
    assert Initiative.objects.count() == 1
    assert StatusChange.objects.count() == 1


def test_retry_after_the_deadline_still_finds_the_acknowledged_one(
    national, open_program, form_data
):
    data = submission(open_program, form_data(open_program))
    assert data.is_valid()
    first, _ = initiative_submit(program=open_program, data=data.to_input(), idempotency_key="k")

    again, created = initiative_submit(
        program=open_program,
        data=data.to_input(),
        idempotency_key="k",
        at=open_program.submission_closes_at + timedelta(seconds=1),
    )

    assert (again.pk, created) == (first.pk, False)


def test_closed_programme_refuses_at_the_second(national, open_program, form_data):
    data = submission(open_program, form_data(open_program))
    assert data.is_valid()
    closes = open_program.submission_closes_at

    with pytest.raises(SubmissionRefused) as refused:
        initiative_submit(program=open_program, data=data.to_input(), at=closes)

    last_day = timezone.localtime(closes - timedelta(days=1)).strftime("%d/%m/%Y")
    assert refused.value.message == (
        f"Chương trình đã hết thời gian nhận sáng kiến (hạn cuối: trước 24h00 {last_day})."
    )
    assert Initiative.objects.count() == 0
    _initiative, created = initiative_submit(
        program=open_program, data=data.to_input(), at=closes - timedelta(seconds=1)
    )
    assert created


def test_personal_data_encrypted_at_rest_and_masked(national, open_program, form_data):
    initiative = submit(open_program, form_data(open_program))

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM initiatives_author")
        raw = repr(cursor.fetchall())
    assert "001190012345" not in raw
    assert "0912345678" not in raw
    lead = initiative.lead
    assert lead.id_number() == "001190012345"
    assert lead.phone() == "0912345678"
    assert lead.id_masked == "•••••••••345"
    assert lead.phone_masked == "•••••••678"
    assert lead.id_kind == "cccd"


def test_keyed_hash_finds_the_same_number(national, open_program, form_data):
    submit(open_program, form_data(open_program))
    submit(open_program, form_data(open_program, author_phone="+84 912 345 678"))

    hashes = set(Author.objects.values_list("phone_hash", flat=True))
    assert len(hashes) == 1
    assert len(next(iter(hashes))) == 64


def test_credited_to_the_highest_share(national, open_program, form_data):
    data = form_data(
        open_program,
        author_share="40",
        **{
            "coauthors-TOTAL_FORMS": "2",
            "coauthors-0-full_name": "Trần Văn Bình",
            "coauthors-0-share": "45",
            "coauthors-1-full_name": "Lê Thị Cúc",
            "coauthors-1-share": "15",
            "coauthors-1-phone": "",
            "coauthors-1-id_number": "",
        },
    )

    initiative = submit(open_program, data)

    assert [(a.full_name, a.is_credited) for a in initiative.authors.all()] == [
        ("Nguyễn Thị Lan", False),
        ("Trần Văn Bình", True),
        ("Lê Thị Cúc", False),
    ]


def test_equal_shares_credit_the_lead(national, open_program, form_data):
    data = form_data(
        open_program,
        author_share="50",
        **{"coauthors-0-full_name": "Trần Văn Bình", "coauthors-0-share": "50"},
    )

    initiative = submit(open_program, data)

    assert initiative.credited.full_name == "Nguyễn Thị Lan"


def test_research_topic_credited_to_its_lead(national, open_program, form_data):
    data = form_data(
        open_program,
        kind="de-tai-nghien-cuu-khoa-hoc",
        recognized_by="head",
        author_share="20",
        **{"coauthors-0-full_name": "Trần Văn Bình", "coauthors-0-share": "80"},
    )

    initiative = submit(open_program, data)

    assert initiative.credited.full_name == "Nguyễn Thị Lan"


def test_edit_keeps_the_stored_id_when_left_empty(national, open_program, form_data):
    initiative = submit(open_program, form_data(open_program))
    edited = submission(
        open_program,
        form_data(open_program, title="Tên mới", author_id_number=""),
        editing=initiative,
    )
    assert edited.is_valid(), edited.errors_by_path()

    initiative_edit(initiative=initiative, data=edited.to_input())

    initiative.refresh_from_db()
    assert initiative.title == "Tên mới"
    assert initiative.lead.id_number() == "001190012345"
    assert AuditEntry.objects.filter(action="initiative.edit").count() == 1


def test_withdraw_writes_history_and_then_nothing_more_changes(national, open_program, form_data):
    initiative = submit(open_program, form_data(open_program))

    initiative_withdraw(initiative=initiative)

    initiative.refresh_from_db()
    assert initiative.status == Status.WITHDRAWN
    assert list(initiative.history.values_list("to_status", "message")) == [
        ("submitted", ""),
        ("withdrawn", "Người nộp rút sáng kiến."),
    ]
    with pytest.raises(SubmissionRefused) as refused:
        initiative_withdraw(initiative=initiative)
    assert refused.value.message == (
        'Sáng kiến đang ở trạng thái "Đã rút" nên không thể sửa hoặc rút nữa.'
    )
    assert initiative.history.count() == 2


def test_edit_after_the_window_closed_refused(national, open_program, form_data):
    initiative = submit(open_program, form_data(open_program))
    edited = submission(open_program, form_data(open_program, title="Muộn"), editing=initiative)
    assert edited.is_valid()

    with pytest.raises(SubmissionRefused):
        initiative_edit(
            initiative=initiative,
            data=edited.to_input(),
            at=open_program.submission_closes_at,
        )

    initiative.refresh_from_db()
    assert initiative.title != "Muộn"


def test_needs_info_edited_goes_back_to_submitted(national, open_program, form_data):
    initiative = submit(open_program, form_data(open_program))
    transition(initiative, Status.NEEDS_INFO, message="Bổ sung văn bản công nhận.")
    edited = submission(open_program, form_data(open_program), editing=initiative)
    assert edited.is_valid()

    initiative_edit(initiative=initiative, data=edited.to_input())

    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED
    assert list(initiative.history.values_list("to_status", flat=True)) == [
        "submitted",
        "needs_info",
        "submitted",
    ]


def test_transition_refuses_an_impossible_step(national, open_program, form_data):
    initiative = submit(open_program, form_data(open_program))
    initiative_withdraw(initiative=initiative)

    with pytest.raises(SubmissionRefused):
        transition(initiative, Status.ELIGIBLE)

    assert Initiative.objects.get().status == Status.WITHDRAWN
