"""Rankings for the honour board: ties, per 1,000 members, phases and quarters, clusters, the
evening bulletin, the leaders of each period, and which units a period ranks."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from sangkien.common.timewindows import vn_at, vn_date
from sangkien.orgs.models import Cluster, ClusterMembership, Unit
from sangkien.orgs.services import unit_create, units_merge
from sangkien.targets import services as numbers
from sangkien.targets.enums import Tree
from sangkien.targets.rankings import (
    RankingError,
    bulletin,
    cluster_members,
    direct_units,
    leaders,
    parse_order,
    parse_period,
    periods_of,
    ranking,
)
from sangkien.targets.services import quarter_of
from tests.targets import rankings_fixtures

workplace = rankings_fixtures.workplace


def members(**counts: int) -> None:
    for code, n in counts.items():
        Unit.objects.filter(code=code).update(member_count=n)


def codes(rows) -> list[tuple[int, str, int]]:
    return [(row.rank, row.unit.code, row.count) for row in rows]


def phase_start(program, number: int):
    phase = program.phases.get(number=number)
    return phase.submission_opens_at


@pytest.mark.django_db
def test_ranking_ties_share_a_rank_and_the_next_rank_skips(workplace, submit_many, open_program):
    submit_many(workplace("T01"), 3)
    submit_many(workplace("T02"), 3)
    submit_many(workplace("T04"), 1)

    rows = ranking(open_program, direct_units())

    assert codes(rows[:3]) == [(1, "T01", 3), (1, "T02", 3), (3, "T04", 1)]
    assert len(rows) == 83
    assert {(row.rank, row.count) for row in rows[3:]} == {(4, 0)}


@pytest.mark.django_db
def test_per_thousand_orders_differently_from_count(workplace, submit_many, open_program):
    submit_many(workplace("T01"), 3)
    submit_many(workplace("T02"), 2)
    submit_many(workplace("T04"), 1)
    members(T01=3000, T02=1000, T04=500)
    units = list(Unit.objects.filter(code__in=["T01", "T02", "T04", "T06"]))

    by_count = ranking(open_program, units)
    by_members = ranking(open_program, units, by="per_thousand")

    assert codes(by_count) == [(1, "T01", 3), (2, "T02", 2), (3, "T04", 1), (4, "T06", 0)]
    assert [(r.rank, r.unit.code, r.per_thousand) for r in by_members] == [
        (1, "T02", Decimal("2.00")),
        (1, "T04", Decimal("2.00")),
        (3, "T01", Decimal("1.00")),
        (4, "T06", None),  # no members: no figure, last
    ]
    assert by_members[0].participants == 2
    assert by_members[0].participation_rate == Decimal("0.20")
    assert by_members[0].members == 1000


@pytest.mark.django_db
def test_phase_and_quarter_periods_count_only_their_initiatives(
    workplace, submit_many, open_program
):
    first = phase_start(open_program, 1) + timedelta(days=1)
    second = phase_start(open_program, 2) + timedelta(days=2)  # in the future: phase 2
    submit_many(workplace("T01"), 2, at=first)
    submit_many(workplace("T01"), 1, at=second)
    submit_many(workplace("T02"), 2, at=second)
    units = list(Unit.objects.filter(code__in=["T01", "T02"]))

    whole = ranking(open_program, units)
    phase_1 = ranking(open_program, units, period="p1")
    phase_2 = ranking(open_program, units, period="p2")
    quarters = {
        period.key: codes(ranking(open_program, units, period=period.key))
        for period in periods_of(open_program)
        if period.quarter
    }

    assert codes(whole) == [(1, "T01", 3), (2, "T02", 2)]
    assert codes(phase_1) == [(1, "T01", 2), (2, "T02", 0)]
    assert codes(phase_2) == [(1, "T02", 2), (2, "T01", 1)]
    assert [row.participants for row in phase_2] == [2, 1]
    expected = {
        "T01": Counter([quarter_of(vn_date(first))] * 2 + [quarter_of(vn_date(second))]),
        "T02": Counter([quarter_of(vn_date(second))] * 2),
    }
    for key, rows in quarters.items():
        assert sorted((code, n) for _rank, code, n in rows) == [
            ("T01", expected["T01"][key]),
            ("T02", expected["T02"][key]),
        ], key
    last_quarter = ranking(open_program, units, period=list(quarters)[-1])
    assert [row.participants for row in last_quarter] == [None, None]  # people: per phase only


@pytest.mark.django_db
def test_period_targets_come_from_the_allocation(workplace, submit_many, open_program):
    from sangkien.targets.models import Allocation

    federation = Unit.objects.get(code="TLD")
    Allocation.objects.create(
        program=open_program,
        parent=federation,
        label="Hà Nội",
        unit=Unit.objects.get(code="T01"),
        kind="absolute",
        phase_values={"1": 400, "2": 600},
    )
    units = [Unit.objects.get(code="T01")]

    assert ranking(open_program, units)[0].target == 1000
    assert ranking(open_program, units, period="p2")[0].target == 600


@pytest.mark.django_db
def test_bad_periods_and_orders_are_refused_in_vietnamese(open_program):
    name = open_program.short_name
    cases = {
        "p9": f"Chương trình “{name}” không có giai đoạn 9.",
        "2019-Q1": f"Quý 1/2019 nằm ngoài thời gian nộp sáng kiến của chương trình “{name}”.",
        "hôm qua": (
            "Kỳ “hôm qua” không hợp lệ: để trống (cả chương trình), ghi p và số giai đoạn "
            "(ví dụ p1) hoặc năm-Q và số quý (ví dụ 2026-Q4)."
        ),
    }
    for raw, message in cases.items():
        with pytest.raises(RankingError) as refused:
            parse_period(open_program, raw)
        assert refused.value.message == message
    with pytest.raises(RankingError) as refused:
        parse_order("best")
    assert refused.value.message == (
        "Cách xếp hạng “best” không hợp lệ: count (theo số sáng kiến) hoặc per_thousand "
        "(theo số sáng kiến trên 1.000 đoàn viên)."
    )
    assert parse_period(open_program, "P2").key == "p2"
    assert parse_period(open_program, "2").key == "p2"
    assert parse_period(open_program, None).key == ""


@pytest.mark.django_db
def test_cluster_ranking_takes_the_members_of_the_day(workplace, submit_many, open_program):
    delta = Cluster.objects.get(code="CUM-DBSH")  # loaded with the national tree
    submit_many(workplace("T22"), 2)
    submit_many(workplace("T01"), 1)
    submit_many(workplace("T02"), 5)  # another cluster
    today = timezone.localdate()
    mine = Cluster.objects.create(code="CUM-THU", name="Cụm thử", organiser=delta.organiser)
    ClusterMembership.objects.create(cluster=mine, unit=Unit.objects.get(code="T01"))
    ClusterMembership.objects.create(
        cluster=mine, unit=Unit.objects.get(code="T02"), valid_to=today - timedelta(days=1)
    )

    rows = ranking(open_program, cluster_members(delta))

    assert len(rows) == 11
    assert codes(rows[:2]) == [(1, "T22", 2), (2, "T01", 1)]
    assert "T02" not in {row.unit.code for row in rows}
    assert [u.code for u in cluster_members(mine)] == ["T01"]
    assert [u.code for u in cluster_members(mine, since=today - timedelta(days=3))] == [
        "T01",
        "T02",
    ]


@pytest.mark.django_db
def test_bulletin_counts_only_the_day(workplace, submit_many, open_program):
    now = timezone.now()
    submit_many(workplace("T01"), 2, at=now - timedelta(days=1))
    submit_many(workplace("T01"), 3)
    submit_many(workplace("T02"), 1)

    news = bulletin(open_program)

    assert news.day == timezone.localdate()
    assert news.total == 4
    assert [(unit.code, n) for unit, n in news.active] == [("T01", 3), ("T02", 1)]
    assert news.quiet == 81
    assert bulletin(open_program, timezone.localdate() - timedelta(days=1)).total == 2


@pytest.mark.django_db
def test_leaders_of_each_period_so_far_list_every_tie(workplace, submit_many, open_program):
    first = phase_start(open_program, 1) + timedelta(days=1)
    submit_many(workplace("T01"), 2, at=first)
    submit_many(workplace("T02"), 2, at=first)
    submit_many(workplace("T04"), 1, at=phase_start(open_program, 2) + timedelta(days=1))

    found = {item.period.key: [r.unit.code for r in item.ranks] for item in leaders(open_program)}
    later = phase_start(open_program, 2) + timedelta(days=5)
    then = {
        item.period.key: [r.unit.code for r in item.ranks]
        for item in leaders(open_program, today=vn_date(later))
    }

    today = timezone.localdate()
    begun = [p for p in periods_of(open_program) if p.key and p.first <= today]
    assert list(found) == [p.key for p in begun]  # phase 2 has not begun
    assert found["p1"] == ["T01", "T02"]
    assert found[quarter_of(vn_date(first))] == ["T01", "T02"]
    assert then["p2"] == ["T04"]


@pytest.mark.django_db
def test_a_merger_inside_the_programme_keeps_each_units_own_figures(
    national, workplace, submit_many, open_program
):
    """The decision on trees: on the tree of submission the old provinces keep what was submitted
    under them and the new one has what came after; on today's tree the new one carries all."""
    today = timezone.localdate()
    before = vn_at(today - timedelta(days=3), 9)
    submit_many(workplace("T02"), 2, at=before)
    submit_many(workplace("T04"), 1, at=before)
    new = unit_create(
        code="T99",
        name="Liên đoàn Lao động tỉnh mới",
        level=1,
        kind="province_federation",
        block="administrative",
        parent=national["TLD"],
        effective_on=today,
    )
    units_merge(
        units=[Unit.objects.get(code="T02"), Unit.objects.get(code="T04")],
        into=new,
        effective_on=today,
    )
    numbers.tree_changed()
    submit_many(workplace("T02"), 1)  # its grassroots union now hangs under T99

    opened = parse_period(open_program, None).first
    historical = ranking(open_program, direct_units(today, since=opened), with_targets=False)
    today_tree = ranking(open_program, direct_units(today), which=Tree.TODAY, with_targets=False)

    assert codes(historical[:3]) == [(1, "T02", 2), (2, "T04", 1), (2, "T99", 1)]
    assert codes(today_tree[:1]) == [(1, "T99", 4)]
    assert {"T02", "T04"} & {row.unit.code for row in today_tree} == set()


@pytest.mark.django_db
def test_ranking_reads_the_figures_in_one_query_and_the_targets_in_two(
    workplace, submit_many, open_program, django_assert_num_queries
):
    submit_many(workplace("T01"), 1)
    units = direct_units()
    program = type(open_program).objects.prefetch_related("phases").get(pk=open_program.pk)

    with django_assert_num_queries(3):
        ranking(program, units, period="p1")
    with django_assert_num_queries(1):
        ranking(program, units, period="p1", with_targets=False)
