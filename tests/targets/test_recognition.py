"""Recognition from the rules (seed 003 §V.1): the quarterly rule on a dataset built to test its
edges, the phase-1 candidates, the exports, and recording the result as awards in one step."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from sangkien.awards.enums import AwardKind
from sangkien.awards.models import Award
from sangkien.awards.recognition import recognition_record, result_fingerprint
from sangkien.awards.services import AwardRefused
from sangkien.common.models import AuditEntry
from sangkien.initiatives.enums import Status
from sangkien.initiatives.services import transition
from sangkien.orgs.models import Cluster, ClusterMembership, Unit
from sangkien.orgs.services import unit_create, unit_dissolve
from sangkien.targets import services as numbers
from sangkien.targets.allocation import targets_for
from sangkien.targets.recognition import (
    phase_candidates,
    quarterly,
    recipients,
    recognition_csv,
    recognition_xlsx,
)
from tests.targets.recognition_helpers import (
    FIRST_MINUTES_OF_Q2,
    IN_PHASE_2,
    IN_Q1,
    IN_Q2,
    LAST_HALF_HOUR_OF_Q1,
    PROGRAM,
    by_code,
    give_target,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(programs):
    return programs[PROGRAM]


@pytest.fixture
def quarter_data(national, program, submit_many):
    """2022-Q1 in the federation's clusters (orgs/data/clusters.csv), one edge per cluster.

    Quarter targets by hand, phase-1 value × 83/144 rounded half up: 10 → 6 (5.76), 4 → 2 (2.31),
    6 → 3 (3.46), 12 → 7 (6.92), 20 → 12 (11.53), 2 → 1 (1.15).
    """
    tld = national["TLD"]

    def target(code, **phases):
        give_target(program, tld, national[code], **phases)

    def submit(code, n, at):
        return submit_many(national[code], n, at=at, program=program)

    # Tây Nguyên: a clear winner (7 > 6). T64 has 3 in the quarter and 5 just after it (would lead
    # with 8 if April counted); T68 left the cluster before the quarter (its 9 do not compete).
    target("T62", phase1=10, phase2=20)
    target("T64", phase1=2)
    submit("T62", 6, IN_Q1)
    submit("T62", 1, LAST_HALF_HOUR_OF_Q1)
    submit("T64", 3, IN_Q1)
    submit("T64", 5, FIRST_MINUTES_OF_Q2)
    submit("T68", 9, IN_Q1)
    ClusterMembership.objects.filter(cluster__code="CUM-TN", unit__code="T68").update(
        valid_to=date(2022, 1, 1)
    )
    # Đông Nam Bộ: two tied leaders (5 each), both above their own targets (2 and 3).
    target("T70", phase1=4)
    target("T72", phase1=6)
    submit("T70", 5, IN_Q1)
    submit("T72", 5, IN_Q1)
    submit("T74", 1, IN_Q1)
    # Đồng bằng sông Hồng: a tie where each leader is judged on its own target: T01 (5, target 7)
    # is not above it, T22 (5, target 2) is.
    target("T01", phase1=12)
    target("T22", phase1=4)
    submit("T01", 5, IN_Q1)
    submit("T22", 5, IN_Q1)
    # Bắc Trung Bộ: the leader T38 (6) is below its target (12) while the second, T40 (4), is above
    # its own (1): the rule names the one with the most, so nobody.
    target("T38", phase1=20)
    target("T40", phase1=2)
    submit("T38", 6, IN_Q1)
    submit("T40", 4, IN_Q1)
    # Trung du miền núi phía Bắc: the leader T02 (3) has no target at all: nobody.
    target("T04", phase1=2)
    submit("T02", 3, IN_Q1)
    submit("T04", 1, IN_Q1)
    # Ngành Trung ương: N02 submitted 4 but one was withdrawn and one found not eligible (2 count),
    # N03's 2 were found eligible (they count): N01 leads with 3 > 1.
    target("N01", phase1=2)
    submit("N01", 3, IN_Q1)
    n02 = submit("N02", 4, IN_Q1)
    transition(n02[0], Status.WITHDRAWN)
    transition(n02[1], Status.NOT_ELIGIBLE)
    for initiative in submit("N03", 2, IN_Q1):
        transition(initiative, Status.ELIGIBLE)
    # Tập đoàn, Tổng công ty: the leader N12 has exactly its target (2), not more: nobody.
    target("N12", phase1=4)
    submit("N12", 2, IN_Q1)
    numbers.fold()
    # A cluster of the federation with no member, and a province's own cluster (not the
    # federation's rule, so not in the result).
    Cluster.objects.create(code="CUM-MOI", name="Cụm thi đua mới thành lập", organiser=tld)
    hanoi = Cluster.objects.create(
        code="HN-CUM1", name="Cụm 1 của Hà Nội", organiser=national["T01"]
    )
    ClusterMembership.objects.create(cluster=hanoi, unit=national["T01-D004"])
    return program


def _results(program, key="2022-Q1") -> dict:
    return {result.cluster.code: result for result in quarterly(program, key)}


def test_quarterly_clear_winner_above_its_target(quarter_data):
    tn = _results(quarter_data)["CUM-TN"]
    rows = by_code(tn)

    assert [(r.unit.code, r.count, r.target, r.rank) for r in tn.rows[:2]] == [
        ("T62", 7, 6, 1),
        ("T64", 3, 1, 2),
    ]
    assert [r.unit.code for r in tn.winners] == ["T62"]
    assert rows["T62"].reason == "Dẫn đầu cụm với 7 sáng kiến, cao hơn chỉ tiêu quý (6)."
    assert rows["T64"].reason == "Ít sáng kiến hơn đơn vị dẫn đầu cụm (3 so với 7)."
    assert not rows["T64"].recognised  # above its own target, but not the one with the most
    assert "T68" not in rows  # left the cluster before the quarter
    assert tn.reason == "Được ghi nhận: Liên đoàn Lao động tỉnh Kon Tum."


def test_quarterly_two_tied_leaders_above_their_targets_are_both_recognised(quarter_data):
    dnb = _results(quarter_data)["CUM-DNB"]
    rows = by_code(dnb)

    assert [r.unit.code for r in dnb.winners] == ["T70", "T72"]
    assert (rows["T70"].rank, rows["T72"].rank, rows["T74"].rank) == (1, 1, 3)
    assert rows["T70"].reason == "Đồng dẫn đầu cụm với 5 sáng kiến, cao hơn chỉ tiêu quý (2)."
    assert rows["T72"].reason == "Đồng dẫn đầu cụm với 5 sáng kiến, cao hơn chỉ tiêu quý (3)."


def test_quarterly_tied_leaders_are_each_judged_on_their_own_target(quarter_data):
    dbsh = _results(quarter_data)["CUM-DBSH"]
    rows = by_code(dbsh)

    assert [r.unit.code for r in dbsh.winners] == ["T22"]
    assert (rows["T01"].count, rows["T01"].target, rows["T01"].leader) == (5, 7, True)
    assert rows["T01"].reason == (
        "Đồng dẫn đầu cụm với 5 sáng kiến nhưng không cao hơn chỉ tiêu quý (7)."
    )
    assert dbsh.reason == (
        "Được ghi nhận: Liên đoàn Lao động tỉnh Quảng Ninh. Không ghi nhận: Liên đoàn Lao động "
        "thành phố Hà Nội — Đồng dẫn đầu cụm với 5 sáng kiến nhưng không cao hơn chỉ tiêu quý (7)."
    )


def test_quarterly_leader_below_its_target_means_nobody_even_if_the_second_is_above(quarter_data):
    btb = _results(quarter_data)["CUM-BTBDHMT"]
    rows = by_code(btb)

    assert btb.winners == []
    assert (rows["T40"].count, rows["T40"].target, rows["T40"].recognised) == (4, 1, False)
    assert btb.reason == (
        "Không ghi nhận đơn vị nào: Liên đoàn Lao động tỉnh Thanh Hóa — Dẫn đầu cụm với 6 sáng "
        "kiến nhưng không cao hơn chỉ tiêu quý (12)."
    )


def test_quarterly_leader_exactly_at_its_target_is_not_above_it(quarter_data):
    corporations = _results(quarter_data)["KHOI-TD-TCT"]

    assert (corporations.rows[0].unit.code, corporations.rows[0].count) == ("N12", 2)
    assert corporations.rows[0].target == 2
    assert corporations.winners == []


def test_quarterly_leader_without_a_target_means_nobody(quarter_data):
    north = _results(quarter_data)["CUM-TDMNPB"]

    assert north.winners == []
    assert (north.rows[0].unit.code, north.rows[0].target) == ("T02", None)
    assert north.reason == (
        "Không ghi nhận đơn vị nào: Liên đoàn Lao động tỉnh Hà Giang — Dẫn đầu cụm với 3 sáng kiến "
        "nhưng chưa được giao chỉ tiêu cho quý này nên không có chỉ tiêu để so sánh."
    )


def test_quarterly_counts_only_counted_initiatives(quarter_data):
    sectors = _results(quarter_data)["KHOI-NGANH-TW"]
    rows = by_code(sectors)

    assert [(r.unit.code, r.count) for r in sectors.rows[:3]] == [
        ("N01", 3),
        ("N02", 2),
        ("N03", 2),
    ]
    assert [r.unit.code for r in sectors.winners] == ["N01"]
    assert (rows["N02"].rank, rows["N03"].rank) == (2, 2)


def test_quarterly_clusters_without_initiatives_or_members_have_nobody(quarter_data):
    results = _results(quarter_data)

    assert results["CUM-DBSCL"].winners == []
    assert results["CUM-DBSCL"].reason == (
        "Không đơn vị nào trong cụm có sáng kiến được tính trong quý."
    )
    assert results["CUM-MOI"].rows == []
    assert results["CUM-MOI"].reason == (
        "Cụm không có đơn vị thành viên trong quý nên không có đơn vị được ghi nhận."
    )
    assert "HN-CUM1" not in results  # a province's cluster is not the federation's rule


def test_quarterly_winners_over_every_cluster(quarter_data):
    winners = [recipient.unit.code for recipient in recipients(quarterly(quarter_data, "2022-Q1"))]

    assert winners == ["T22", "T70", "T72", "T62", "N01"]


def test_quarterly_next_quarter_counts_april_and_prorates_both_phases(quarter_data):
    tn = by_code(_results(quarter_data, "2022-Q2")["CUM-TN"])

    # T64: 5 in April, target 2 × 61/144 = 0.85 → 1. T62: 10 × 61/144 + 20 × 30/458 = 5.55 → 6.
    assert (tn["T64"].count, tn["T64"].target, tn["T64"].recognised) == (5, 1, True)
    assert (tn["T62"].count, tn["T62"].target) == (0, 6)


def test_quarterly_unit_that_ended_in_the_quarter_keeps_its_target(
    quarter_data, national, submit_many
):
    """Dissolved on 15/03/2022, it is judged on the allocation it had: 3 > 1 (2 × 83/144)."""
    gone = unit_create(
        code="T99",
        name="Liên đoàn Lao động tỉnh Thử nghiệm",
        level=1,
        kind="province_federation",
        block="administrative",
        parent=national["TLD"],
        effective_on=date(2021, 1, 1),
    )
    ClusterMembership.objects.create(cluster=Cluster.objects.get(code="CUM-DBSCL"), unit=gone)
    give_target(quarter_data, national["TLD"], gone, phase1=2)
    submit_many(gone, 3, at=IN_Q1, program=quarter_data)
    unit_dissolve(unit=gone, effective_on=date(2022, 3, 15))
    phases = list(quarter_data.phases.all())

    row = by_code(_results(quarter_data)["CUM-DBSCL"])["T99"]

    assert (row.count, row.target, row.recognised) == (3, 1, True)
    # On a day the unit is not in the tree no table names it: no target (not the programme's).
    assert targets_for(quarter_data, [gone], phases, on=date(2022, 3, 31))[gone.pk].total is None


def test_quarterly_reads_in_a_constant_number_of_queries(quarter_data, django_assert_num_queries):
    with django_assert_num_queries(6):
        results = quarterly(quarter_data, "2022-Q1")

    assert len(results) == 9


def test_quarterly_refuses_a_malformed_quarter(program):
    with pytest.raises(ValueError):
        quarterly(program, "2022-Q5")


# Phase 1 -----------------------------------------------------------------------------------


@pytest.fixture
def phase_data(national, program, submit_many):
    """Phase 1 (08/01–31/05/2022) with a programme rate of 10 % and 4 leaders awarded."""
    program.leaders_awarded = 4
    program.save(update_fields=["leaders_awarded"])

    def submit(code, n, at=IN_Q1, **fields):
        return submit_many(national[code], n, at=at, program=program, **fields)

    members = {"T62": 40, "T64": 10, "T70": 100, "T72": 20, "T01": 40, "T22": 1000, "N01": 100}
    for code, count in members.items():
        Unit.objects.filter(code=code).update(member_count=count)
    # T62: 8 initiatives by 5 people (one wrote 4): 5 / 40 = 12.5 % ≥ 10 %.
    submit("T62", 4, phone="0900000001")
    submit("T62", 4, at=IN_Q2)
    submit("T64", 2)
    submit("T70", 6)  # 6 / 100 = 6 % < 10 %: the leader of Đông Nam Bộ falls short
    submit("T72", 5)  # 25 %, but not the leader
    submit("T01", 5)  # 12.5 %: Hà Nội and Hải Dương tie with 5; only Hà Nội reaches the rate
    submit("T22", 5)  # 0.5 %
    submit("T38", 3)  # no member count: no rate
    submit("T02", 4, at=IN_PHASE_2)  # phase 2: not in phase 1
    submit("N01", 10)  # exactly 10 %: reached
    return program


def test_phase_leaders_nationwide_are_the_first_places_with_ties_at_the_last(phase_data):
    result = phase_candidates(phase_data, 1)

    assert [(r.unit.code, r.count, r.rank) for r in result.leaders] == [
        ("N01", 10, 1),
        ("T62", 8, 2),
        ("T70", 6, 3),
        ("T01", 5, 4),
        ("T22", 5, 4),
        ("T72", 5, 4),
    ]
    assert result.leaders[1].reason == (
        "Hạng 2 toàn quốc với 8 sáng kiến trong giai đoạn, trong 4 vị trí dẫn đầu được đề nghị "
        "khen thưởng."
    )
    assert result.leaders[3].reason.startswith("Đồng hạng 4 toàn quốc với 5 sáng kiến")


def test_phase_cluster_leader_must_reach_the_participation_rate(phase_data):
    clusters = {c.cluster.code: c for c in phase_candidates(phase_data, 1).clusters}
    tn = by_code(clusters["CUM-TN"])

    assert (tn["T62"].count, tn["T62"].participants, tn["T62"].members) == (8, 5, 40)
    assert tn["T62"].rate == Decimal("12.50")
    assert tn["T62"].reason == (
        "Dẫn đầu cụm với 8 sáng kiến và đạt tỷ lệ tham gia 12,5% (5 người / 40 đoàn viên; quy "
        "định 10%)."
    )
    assert [r.unit.code for r in clusters["CUM-TN"].winners] == ["T62"]
    assert clusters["CUM-DNB"].winners == []
    assert clusters["CUM-DNB"].reason == (
        "Không ghi nhận đơn vị nào: Liên đoàn Lao động tỉnh Bình Phước — Dẫn đầu cụm với 6 sáng "
        "kiến "
        "nhưng tỷ lệ tham gia 6% (6 người / 100 đoàn viên) chưa đạt quy định 10%."
    )
    assert [r.unit.code for r in clusters["CUM-DBSH"].winners] == ["T01"]
    assert clusters["CUM-BTBDHMT"].reason == (
        "Không ghi nhận đơn vị nào: Liên đoàn Lao động tỉnh Thanh Hóa — Dẫn đầu cụm với 3 sáng "
        "kiến nhưng đơn vị chưa có số đoàn viên nên không tính được tỷ lệ tham gia."
    )
    assert clusters["CUM-TDMNPB"].winners == []  # T02's initiatives are of phase 2
    assert [r.unit.code for r in clusters["KHOI-NGANH-TW"].winners] == ["N01"]  # exactly 10 %


def test_phase_without_a_programme_rate_recognises_no_cluster_leader(phase_data):
    phase_data.participation_target_percent = None
    phase_data.save(update_fields=["participation_target_percent"])

    result = phase_candidates(phase_data, 1)

    assert all(not cluster.winners for cluster in result.clusters)
    assert by_code(next(c for c in result.clusters if c.cluster.code == "CUM-TN"))[
        "T62"
    ].reason == (
        "Dẫn đầu cụm với 8 sáng kiến nhưng chương trình chưa quy định tỷ lệ đoàn viên tham gia "
        "tối thiểu."
    )
    assert len(result.leaders) == 6  # the nationwide leaders need no rate


def test_phase_recipients_award_a_unit_once_with_both_reasons(phase_data):
    found = {r.unit.code: r for r in recipients(phase_candidates(phase_data, 1))}

    assert sorted(found) == ["N01", "T01", "T22", "T62", "T70", "T72"]
    assert found["T62"].citation == (
        "Dẫn đầu toàn quốc về số sáng kiến tham gia Chương trình “01 triệu sáng kiến” trong Giai "
        "đoạn 1: xếp hạng 2 với 8 sáng kiến. Có số sáng kiến tham gia Chương trình “01 triệu sáng "
        "kiến” nhiều nhất Cụm thi đua các tỉnh Tây Nguyên trong Giai đoạn 1 (8 sáng kiến), đạt tỷ "
        "lệ đoàn viên tham gia 12,5% (5 người / 40 đoàn viên; quy định 10%)."
    )


def test_phase_reads_in_a_constant_number_of_queries(phase_data, django_assert_num_queries):
    with django_assert_num_queries(5):
        phase_candidates(phase_data, 1)


# Exports ------------------------------------------------------------------------------------


def test_quarterly_xlsx_has_the_figures_as_numbers_and_texts_as_strings(quarter_data):
    sheet = load_workbook(
        io.BytesIO(recognition_xlsx(quarter_data, quarterly(quarter_data, "2022-Q1")))
    ).active
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0][0] == (
        "Ghi nhận hàng quý Quý I/2022 — 01 triệu sáng kiến – nỗ lực vượt khó, sáng tạo, quyết "
        "tâm chiến thắng đại dịch Covid-19"
    )
    assert rows[2] == (
        "Cụm, khối thi đua",
        "Hạng",
        "Mã đơn vị",
        "Đơn vị",
        "Số sáng kiến trong quý",
        "Chỉ tiêu quý",
        "Kết quả",
        "Lý do",
    )
    t62 = next(row for row in rows if row[2] == "T62")
    assert t62[:7] == (
        "Cụm thi đua các tỉnh Tây Nguyên",
        1,
        "T62",
        "Liên đoàn Lao động tỉnh Kon Tum",
        7,
        6,
        "Được ghi nhận",
    )
    assert all(
        cell.data_type == "s"
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    )


def test_quarterly_xlsx_keeps_a_formula_like_name_as_text(quarter_data):
    Unit.objects.filter(code="T62").update(name='=HYPERLINK("http://x")')

    sheet = load_workbook(
        io.BytesIO(recognition_xlsx(quarter_data, quarterly(quarter_data, "2022-Q1")))
    ).active
    cell = next(row[3] for row in sheet.iter_rows() if row[2].value == "T62")

    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


def test_phase_csv_is_utf8_with_bom_and_the_justifying_figures(phase_data):
    content = recognition_csv(phase_data, phase_candidates(phase_data, 1))

    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Danh sách",
        "Hạng",
        "Mã đơn vị",
        "Đơn vị",
        "Số sáng kiến trong giai đoạn",
        "Số người tham gia",
        "Số đoàn viên",
        "Tỷ lệ tham gia (%)",
        "Tỷ lệ quy định (%)",
        "Kết quả",
        "Lý do",
    ]
    assert rows[1][:10] == [
        "Dẫn đầu toàn quốc",
        "1",
        "N01",
        Unit.objects.get(code="N01").name,
        "10",
        "10",
        "100",
        "10.00",
        "10.00",
        "Đề nghị khen thưởng",
    ]
    dnb_leader = next(row for row in rows if row[0].endswith("Đông Nam Bộ") and row[2] == "T70")
    assert dnb_leader[4:10] == ["6", "6", "100", "6.00", "10.00", "Không"]


# Recording ----------------------------------------------------------------------------------


@pytest.fixture
def quantri(national, make_officer):
    return make_officer("quantri", "TLD", "national_admin")


def _decision(**overrides) -> dict:
    values = {
        "decision_number": "15/QĐ-TLĐ",
        "decision_date": date(2022, 4, 20),
        "signer_title": "TM. ĐOÀN CHỦ TỊCH\nCHỦ TỊCH",
        "signer_name": "Nguyễn Đình Khang",
        "place": "Hà Nội",
    }
    values.update(overrides)
    return values


def _state():
    return Award.objects.count(), AuditEntry.objects.count()


def test_record_quarterly_creates_one_award_per_recognised_unit(quarter_data, quantri, national):
    result = quarterly(quarter_data, "2022-Q1")

    awards = recognition_record(
        actor=quantri,
        program=quarter_data,
        result=result,
        granting_unit=national["TLD"],
        **_decision(),
    )

    assert [a.recipient_unit.code for a in awards] == ["T22", "T70", "T72", "T62", "N01"]
    stored = Award.objects.get(recipient_unit__code="T62")
    assert (stored.kind, stored.period, stored.phase, stored.granting_unit.code) == (
        AwardKind.QUARTERLY,
        "Quý I/2022",
        None,
        "TLD",
    )
    assert (stored.decision_number, stored.decision_date, stored.place) == (
        "15/QĐ-TLĐ",
        date(2022, 4, 20),
        "Hà Nội",
    )
    assert stored.citation == (
        "Có số sáng kiến tham gia Chương trình “01 triệu sáng kiến” nhiều nhất Cụm thi đua các "
        "tỉnh Tây Nguyên trong Quý I/2022 (7 sáng kiến), cao hơn chỉ tiêu quý của đơn vị (6 sáng "
        "kiến)."
    )
    assert AuditEntry.objects.filter(action="award.record", actor=quantri).count() == 5
    summary = AuditEntry.objects.get(action="award.recognition_record")
    assert summary.data == {
        "kind": "quarterly",
        "period": "Quý I/2022",
        "granting_unit": "TLD",
        "decision_number": "15/QĐ-TLĐ",
        "recipients": ["T22", "T70", "T72", "T62", "N01"],
    }


def test_record_phase_awards_with_the_phase(phase_data, quantri, national):
    result = phase_candidates(phase_data, 1)

    awards = recognition_record(
        actor=quantri,
        program=phase_data,
        result=result,
        granting_unit=national["TLD"],
        **_decision(),
    )

    assert len(awards) == 6
    assert {(a.kind, a.period, a.phase.number) for a in awards} == {
        (AwardKind.PHASE, "Giai đoạn 1", 1)
    }


def test_record_twice_with_the_same_number_creates_nothing_more(quarter_data, quantri, national):
    result = quarterly(quarter_data, "2022-Q1")
    arguments = {"actor": quantri, "program": quarter_data, "granting_unit": national["TLD"]}
    recognition_record(result=result, **arguments, **_decision())
    before = _state()

    with pytest.raises(AwardRefused) as refused:
        recognition_record(result=result, **arguments, **_decision(decision_number=" 15/QĐ-TLĐ "))

    assert refused.value.field == "decision_number"
    assert refused.value.message == (
        "Quyết định số 15/QĐ-TLĐ đã được ghi cho Công đoàn Giáo dục Việt Nam, Liên đoàn Lao "
        "động tỉnh Quảng Ninh, Liên đoàn Lao động tỉnh Kon Tum, Liên đoàn Lao động tỉnh Bình "
        "Phước, Liên đoàn Lao động tỉnh Tây Ninh; không ghi lại lần nữa. Nếu đây là một quyết "
        "định khác, hãy nhập đúng số của quyết định đó."
    )
    assert _state() == before


def test_record_is_all_or_nothing(quarter_data, quantri, national):
    """Decided by Quảng Ninh: its own award passes, Bình Phước's (outside it) is refused: none."""
    before = _state()

    with pytest.raises(AwardRefused) as refused:
        recognition_record(
            actor=quantri,
            program=quarter_data,
            result=quarterly(quarter_data, "2022-Q1"),
            granting_unit=national["T22"],
            **_decision(),
        )

    assert refused.value.message == (
        "Đơn vị Liên đoàn Lao động tỉnh Bình Phước không thuộc phạm vi của Liên đoàn Lao động tỉnh "
        "Quảng Ninh."
    )
    assert _state() == before


def test_record_refuses_a_future_date_next_to_the_field(quarter_data, quantri, national):
    before = _state()

    with pytest.raises(AwardRefused) as refused:
        recognition_record(
            actor=quantri,
            program=quarter_data,
            result=quarterly(quarter_data, "2022-Q1"),
            granting_unit=national["TLD"],
            **_decision(decision_date=date(2999, 1, 1)),
        )

    assert (refused.value.field, refused.value.message) == (
        "decision_date",
        "Ngày quyết định không thể sau hôm nay.",
    )
    assert _state() == before


def test_record_refuses_a_result_that_changed_since_it_was_shown(
    quarter_data, quantri, national, submit_many
):
    shown = result_fingerprint(quarterly(quarter_data, "2022-Q1"))
    submit_many(national["T64"], 5, at=IN_Q1, program=quarter_data)  # T64 now leads Tây Nguyên
    before = _state()

    with pytest.raises(AwardRefused) as refused:
        recognition_record(
            actor=quantri,
            program=quarter_data,
            result=quarterly(quarter_data, "2022-Q1"),
            granting_unit=national["TLD"],
            expected=shown,
            **_decision(),
        )

    assert refused.value.field is None
    assert refused.value.message.startswith("Kết quả đã thay đổi từ lúc trang được mở")
    assert _state() == before


def test_record_refuses_a_period_without_recognised_units(program, quantri, national):
    with pytest.raises(AwardRefused) as refused:
        recognition_record(
            actor=quantri,
            program=program,
            result=quarterly(program, "2022-Q1"),
            granting_unit=national["TLD"],
            **_decision(),
        )

    assert refused.value.message == (
        "Kỳ này không có đơn vị nào được ghi nhận nên không có gì để ghi."
    )
    assert Award.objects.count() == 0
