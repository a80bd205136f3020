"""Both programmes of the seeds load with their exact dates and numbers; the demo one is open."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from sangkien.common.timewindows import VN_TZ
from sangkien.programs import windows
from sangkien.programs.models import ForwardingQuota, Program, ProgramOption
from sangkien.programs.services import DEMO_CODE, load_demo_program, load_seed_programs


@pytest.mark.django_db
def test_one_million_programme_has_the_rules_of_the_national_guidance(programs):
    program = programs["01-trieu-sang-kien"]
    phases = list(program.phases.order_by("number"))

    assert program.submission_opens_at == datetime(2022, 1, 8, 7, 0, tzinfo=VN_TZ)
    assert program.submission_closes_at == datetime(2023, 9, 2, 0, 0, tzinfo=VN_TZ)
    assert (program.eligible_from, program.eligible_to) == (date(2021, 9, 1), date(2023, 9, 1))
    assert program.description_max_chars == 2000
    assert program.participation_target_percent == Decimal("10.00")
    assert [(p.number, p.target) for p in phases] == [(1, 300_000), (2, 700_000)]
    assert (phases[0].eligible_from, phases[0].eligible_to) == (date(2021, 9, 1), date(2022, 5, 31))
    assert phases[1].submission_opens_at == datetime(2022, 6, 1, 7, 0, tzinfo=VN_TZ)


@pytest.mark.django_db
def test_one_million_programme_lists_seven_kinds_and_five_target_groups(programs):
    program = programs["01-trieu-sang-kien"]
    options = ProgramOption.objects.filter(program=program)

    assert options.filter(list="kind").count() == 7
    assert options.filter(list="target_group").count() == 5
    assert list(options.filter(list="block").values_list("name", flat=True)) == [
        "Doanh nghiệp",
        "Khối cơ quan",
    ]
    assert (
        options.get(list="kind", code="de-tai-nghien-cuu-khoa-hoc").name
        == "Đề tài nghiên cứu khoa học"
    )


@pytest.mark.django_db
def test_seventy_five_thousand_has_1000_characters_and_a_quota_of_two_per_district(programs):
    program = programs["75-nghin-sang-kien"]

    assert program.description_max_chars == 1000
    assert program.submission_opens_at == datetime(2021, 3, 10, 0, 0, tzinfo=VN_TZ)
    assert program.submission_closes_at == datetime(2021, 4, 21, 0, 0, tzinfo=VN_TZ)
    assert program.dossier_deadline == datetime(2021, 4, 10, 0, 0, tzinfo=VN_TZ)
    assert program.min_per_grassroots == 1
    quota = ForwardingQuota.objects.get(program=program)
    assert (quota.child_level, quota.max_per_unit, quota.phase) == (2, 2, None)


@pytest.mark.django_db
def test_loading_again_keeps_what_administrators_edited(programs):
    Program.objects.filter(code="75-nghin-sang-kien").update(description_max_chars=1200)

    load_seed_programs()

    assert Program.objects.get(code="75-nghin-sang-kien").description_max_chars == 1200
    assert Program.objects.count() == 2


@pytest.mark.django_db
def test_demo_programme_is_open_today_with_the_rules_of_one_million():
    today = timezone.localdate()

    program = load_demo_program(today)

    assert program.code == DEMO_CODE
    assert windows.is_open(program, timezone.now()) is True
    assert program.description_max_chars == 2000
    assert program.options.filter(list="kind").count() == 7


@pytest.mark.django_db
def test_demo_programme_reload_moves_windows_and_keeps_phase_rows():
    first = load_demo_program(date(2026, 1, 1))
    phase_ids = sorted(first.phases.values_list("pk", flat=True))

    again = load_demo_program(date(2026, 3, 1))

    assert sorted(again.phases.values_list("pk", flat=True)) == phase_ids
    assert again.phases.get(number=1).submission_opens_at == datetime(
        2026, 1, 30, 7, 0, tzinfo=VN_TZ
    )
    assert again.submission_opens_at - first.submission_opens_at == timedelta(days=59)
