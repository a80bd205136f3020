"""The one function that decides whether a programme is open, to the second, on any server clock."""

from datetime import UTC, date, datetime, timedelta

import pytest

from sangkien.common.timewindows import VN_TZ, vn_at, vn_before_midnight
from sangkien.programs import windows

ONE_SECOND = timedelta(seconds=1)


def test_vn_at_is_seven_oclock_vietnam_time():
    assert vn_at(date(2022, 1, 8), 7) == datetime(2022, 1, 8, 0, 0, tzinfo=UTC)


def test_before_midnight_is_first_instant_of_next_day():
    assert vn_before_midnight(date(2023, 9, 1)) == datetime(2023, 9, 2, 0, 0, tzinfo=VN_TZ)
    assert vn_before_midnight(date(2023, 9, 1)) == datetime(2023, 9, 1, 17, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_one_million_opens_at_seven_on_8_january_2022(programs):
    program = programs["01-trieu-sang-kien"]
    opening = datetime(2022, 1, 8, 7, 0, tzinfo=VN_TZ)

    assert windows.is_open(program, opening - ONE_SECOND) is False
    assert windows.is_open(program, opening) is True
    assert windows.phase_open_at(program, opening).number == 1


@pytest.mark.django_db
def test_one_million_closes_before_midnight_of_1_september_2023(programs):
    program = programs["01-trieu-sang-kien"]
    last_second = datetime(2023, 9, 1, 23, 59, 59, tzinfo=VN_TZ)

    assert windows.is_open(program, last_second) is True
    assert windows.phase_open_at(program, last_second).number == 2
    assert windows.is_open(program, last_second + ONE_SECOND) is False


@pytest.mark.django_db
def test_window_edges_hold_when_the_server_clock_is_utc(programs):
    # given instants expressed on a UTC clock (what a production server reports)
    program = programs["01-trieu-sang-kien"]
    closing_utc = datetime(2023, 9, 1, 17, 0, 0, tzinfo=UTC)

    assert windows.is_open(program, closing_utc - ONE_SECOND) is True
    assert windows.is_open(program, closing_utc) is False
    assert windows.is_open(program, datetime(2022, 1, 8, 0, 0, 0, tzinfo=UTC)) is True
    assert windows.is_open(program, datetime(2022, 1, 7, 23, 59, 59, tzinfo=UTC)) is False


@pytest.mark.django_db
def test_phase_one_closes_before_midnight_31_may_and_phase_two_opens_at_seven(programs):
    program = programs["01-trieu-sang-kien"]
    phase_one_end = datetime(2022, 6, 1, 0, 0, tzinfo=VN_TZ)
    phase_two_start = datetime(2022, 6, 1, 7, 0, tzinfo=VN_TZ)

    assert windows.phase_open_at(program, phase_one_end - ONE_SECOND).number == 1
    assert windows.phase_open_at(program, phase_one_end) is None
    assert windows.is_open(program, phase_one_end) is False
    assert windows.is_open(program, phase_two_start - ONE_SECOND) is False
    assert windows.phase_open_at(program, phase_two_start).number == 2
    assert windows.next_opening(program, phase_one_end) == phase_two_start


@pytest.mark.django_db
def test_phase_for_application_date_follows_eligibility_periods(programs):
    program = programs["01-trieu-sang-kien"]

    assert windows.phase_for_date(program, date(2021, 8, 31)) is None
    assert windows.phase_for_date(program, date(2021, 9, 1)).number == 1
    assert windows.phase_for_date(program, date(2022, 5, 31)).number == 1
    assert windows.phase_for_date(program, date(2022, 6, 1)).number == 2
    assert windows.phase_for_date(program, date(2023, 9, 1)).number == 2
    assert windows.phase_for_date(program, date(2023, 9, 2)) is None


@pytest.mark.django_db
def test_seventy_five_thousand_closes_after_24h_on_20_april_2021(programs):
    program = programs["75-nghin-sang-kien"]
    closing = datetime(2021, 4, 21, 0, 0, tzinfo=VN_TZ)

    assert windows.is_open(program, datetime(2021, 3, 10, 0, 0, tzinfo=VN_TZ)) is True
    assert windows.is_open(program, closing - ONE_SECOND) is True
    assert windows.is_open(program, closing) is False
    assert windows.closing_at(program, closing - ONE_SECOND) == closing


def test_naive_instants_are_refused():
    from sangkien.common.timewindows import Window

    window = Window(vn_at(date(2022, 1, 8), 7), vn_before_midnight(date(2023, 9, 1)))
    with pytest.raises(ValueError):
        window.contains(datetime(2022, 6, 1, 12, 0))
