"""The recognition page of the office (/office/ghi-nhan/): national administrators only; the
result with its figures, the exports, and the decision recorded in one step."""

import io

import pytest
from django.utils.http import urlencode
from openpyxl import load_workbook

from sangkien.awards.models import Award
from sangkien.common.models import AuditEntry
from sangkien.orgs.models import Cluster, ClusterMembership, Unit
from tests.targets.recognition_helpers import IN_Q1, PROGRAM, give_target

pytestmark = pytest.mark.django_db

PAGE = "/office/ghi-nhan/"
Q1 = {"program": PROGRAM, "period": "2022-Q1"}
P1 = {"program": PROGRAM, "period": "p1"}


def _url(params: dict, base: str = PAGE) -> str:
    return f"{base}?{urlencode(params)}"


def _state():
    return Award.objects.count(), AuditEntry.objects.count()


@pytest.fixture
def program(programs):
    return programs[PROGRAM]


@pytest.fixture
def quantri(national, make_officer, client_for):
    return client_for(make_officer("quantri", "TLD", "national_admin"))


@pytest.fixture
def own_clusters(national, program, submit_many):
    """Replace the federation's clusters by `count` clusters of three provinces each; in each,
    the first province leads with 3 initiatives in 2022-Q1 against a target of 1 (2 × 83/144)."""

    def make(count: int) -> list[Cluster]:
        ClusterMembership.objects.all().delete()
        Cluster.objects.all().delete()
        provinces = list(Unit.objects.filter(level=1, code__startswith="T").order_by("code"))
        made = []
        for i in range(count):
            cluster = Cluster.objects.create(
                code=f"CUM-{i}", name=f"Cụm thi đua số {i}", organiser=national["TLD"]
            )
            members = provinces[3 * i : 3 * i + 3]
            for unit in members:
                ClusterMembership.objects.create(cluster=cluster, unit=unit)
            give_target(program, national["TLD"], members[0], phase1=2)
            submit_many(members[0], 3, at=IN_Q1, program=program)
            submit_many(members[1], 1, at=IN_Q1, program=program)
            made.append(cluster)
        return made

    return make


@pytest.fixture
def decision():
    def make(**overrides) -> dict:
        data = {
            "decision_number": "15/QĐ-TLĐ",
            "decision_date": "20/04/2022",
            "signer_title": "TM. ĐOÀN CHỦ TỊCH\r\nCHỦ TỊCH",
            "signer_name": "Nguyễn Đình Khang",
            "place": "Hà Nội",
        }
        data.update(overrides)
        return data

    return make


def _expected(client, params) -> str:
    """The fingerprint the page puts in its form, as a browser would send it back."""
    html = client.get(_url(params)).content.decode()
    marker = 'name="expected" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_page_shows_each_cluster_with_its_figures_and_reason(quantri, own_clusters):
    own_clusters(2)

    response = quantri.get(_url(Q1))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h3 id="cluster-CUM-0">Cụm thi đua số 0</h3>' in html
    assert "Được ghi nhận: Liên đoàn Lao động thành phố Hà Nội." in html
    assert "Dẫn đầu cụm với 3 sáng kiến, cao hơn chỉ tiêu quý (1)." in html
    assert "Ít sáng kiến hơn đơn vị dẫn đầu cụm (1 so với 3)." in html
    assert "2 đơn vị được ghi nhận" in html
    assert 'href="/office/ghi-nhan/xuat.xlsx?program=01-trieu-sang-kien&amp;period=2022-Q1"' in html
    assert "Ghi khen thưởng cho 2 đơn vị" in html


def test_page_offers_the_quarters_of_the_programme_and_phase_1(quantri, national, program):
    html = quantri.get(_url({"program": PROGRAM})).content.decode()

    assert '<option value="2022-Q1">Quý I/2022</option>' in html
    assert '<option value="2023-Q3">Quý III/2023</option>' in html
    assert '<option value="p1">Sơ kết giai đoạn 1 (khen thưởng sơ kết đợt 01)</option>' in html
    assert "2023-Q4" not in html


def test_page_phase_shows_the_leaders_nationwide_and_per_cluster(quantri, own_clusters):
    own_clusters(1)
    Unit.objects.filter(code="T01").update(member_count=20)

    html = quantri.get(_url(P1)).content.decode()

    assert "Dẫn đầu toàn quốc trên cổng (10 vị trí dẫn đầu theo thể lệ chương trình)" in html
    assert "Hạng 1 toàn quốc với 3 sáng kiến trong giai đoạn" in html
    assert (
        "Dẫn đầu cụm với 3 sáng kiến và đạt tỷ lệ tham gia 15% (3 người / 20 đoàn viên; quy định "
        "10%)."
    ) in html
    assert "Tỷ lệ đoàn viên tham gia theo quy định: 10%." in html


@pytest.mark.parametrize(
    ("unit", "kind"),
    [("TLD", "reviewer"), ("TLD", "unit_admin"), ("T01", "unit_admin"), ("T01-D018", "reviewer")],
)
def test_page_answers_404_to_anyone_but_national_admins(
    national, own_clusters, make_officer, client_for, decision, unit, kind
):
    own_clusters(1)
    client = client_for(make_officer("khac", unit, kind))
    before = _state()

    assert client.get(_url(Q1)).status_code == 404
    assert client.get(_url(Q1, "/office/ghi-nhan/xuat.xlsx")).status_code == 404
    assert client.post(_url(Q1), decision()).status_code == 404
    assert _state() == before


def test_page_asks_a_visitor_to_sign_in(client, national):
    response = client.get(_url(Q1))

    assert response.status_code == 302
    assert response["Location"].startswith("/office/dang-nhap/")


def test_page_unknown_period_or_programme_message_next_to_the_field(quantri, national, program):
    response = quantri.get(_url({"program": PROGRAM, "period": "2030-Q1"}))
    html = response.content.decode()

    assert response.status_code == 422
    assert '<p class="error" id="id_period-error">Chọn một kỳ trong danh sách.</p>' in html

    response = quantri.get(_url({"program": "khong-co", "period": "2022-Q1"}))

    assert response.status_code == 422
    assert (
        '<p class="error" id="id_program-error">Chọn một chương trình trong danh sách.</p>'
    ) in response.content.decode()


def test_record_in_one_step_then_the_awards_list(quantri, own_clusters, decision, program):
    own_clusters(2)

    response = quantri.post(_url(Q1), decision(expected=_expected(quantri, Q1)))

    assert response.status_code == 302
    assert response["Location"] == f"/office/khen-thuong/?program={program.pk}&kind=quarterly"
    assert sorted(Award.objects.values_list("recipient_unit__code", "kind", "period")) == [
        ("T01", "quarterly", "Quý I/2022"),
        ("T06", "quarterly", "Quý I/2022"),
    ]
    listing = quantri.get(response["Location"]).content.decode()
    assert "Đã ghi 2 khen thưởng theo quyết định số 15/QĐ-TLĐ." in listing


def test_record_a_bad_date_shows_the_message_keeps_the_values_and_records_nothing(
    quantri, own_clusters, decision
):
    own_clusters(1)
    before = _state()

    response = quantri.post(
        _url(Q1), decision(decision_date="31/02/2022", expected=_expected(quantri, Q1))
    )
    html = response.content.decode()

    assert response.status_code == 422
    assert (
        '<p class="error" id="id_decision_date-error">Ngày quyết định viết theo dạng dd/mm/yyyy, '
        "ví dụ 15/03/2022.</p>"
    ) in html
    assert 'value="15/QĐ-TLĐ"' in html
    assert 'value="31/02/2022"' in html
    assert _state() == before


def test_record_a_future_date_is_refused_next_to_the_field(quantri, own_clusters, decision):
    own_clusters(1)
    before = _state()

    response = quantri.post(
        _url(Q1), decision(decision_date="01/01/2999", expected=_expected(quantri, Q1))
    )

    assert response.status_code == 422
    assert (
        '<p class="error" id="id_decision_date-error">Ngày quyết định không thể sau hôm nay.</p>'
    ) in response.content.decode()
    assert _state() == before


def test_record_a_double_submit_records_once(quantri, own_clusters, decision):
    own_clusters(2)
    data = decision(expected=_expected(quantri, Q1))
    quantri.post(_url(Q1), data)
    before = _state()

    response = quantri.post(_url(Q1), data)

    assert response.status_code == 422
    assert (
        '<p class="error" id="id_decision_number-error">Quyết định số 15/QĐ-TLĐ đã được ghi cho '
        "Liên đoàn Lao động thành phố Hà Nội, Liên đoàn Lao động tỉnh Bắc Kạn; không ghi lại "
        "lần nữa. Nếu đây là một quyết định khác, hãy nhập đúng số của quyết định đó.</p>"
    ) in response.content.decode()
    assert _state() == before
    assert Award.objects.count() == 2


def test_record_after_the_numbers_changed_asks_to_look_again(
    quantri, own_clusters, decision, national, program, submit_many
):
    own_clusters(1)
    shown = _expected(quantri, Q1)
    submit_many(national["T02"], 5, at=IN_Q1, program=program)  # Hà Giang now leads, no target
    before = _state()

    response = quantri.post(_url(Q1), decision(expected=shown))
    html = response.content.decode()

    assert response.status_code == 422
    assert "Kết quả đã thay đổi từ lúc trang được mở (có số liệu mới)." in html
    assert '<input type="hidden" name="expected" id="id_expected">' in html  # now: nobody
    assert _state() == before


def test_record_without_a_period_is_refused(quantri, national, decision):
    before = _state()

    response = quantri.post(PAGE, decision())

    assert response.status_code == 422
    assert "Chọn chương trình và kỳ xét trước khi ghi khen thưởng." in response.content.decode()
    assert _state() == before


def test_exports_download_the_result(quantri, own_clusters):
    own_clusters(1)

    xlsx = quantri.get(_url(Q1, "/office/ghi-nhan/xuat.xlsx"))
    csv = quantri.get(_url(Q1, "/office/ghi-nhan/xuat.csv"))

    assert xlsx["Content-Disposition"] == (
        'attachment; filename="ghi-nhan-01-trieu-sang-kien-2022-Q1.xlsx"'
    )
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[3][:7] == (
        "Cụm thi đua số 0",
        1,
        "T01",
        "Liên đoàn Lao động thành phố Hà Nội",
        3,
        1,
        "Được ghi nhận",
    )
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv.content.startswith('\ufeff"Cụm, khối thi đua",Hạng,Mã đơn vị,Đơn vị'.encode())


def test_export_without_a_valid_period_goes_back_to_the_page(quantri, national, program):
    response = quantri.get(
        _url({"program": PROGRAM, "period": "2030-Q1"}, "/office/ghi-nhan/xuat.csv")
    )

    assert response.status_code == 302
    assert response["Location"] == _url({"program": PROGRAM, "period": "2030-Q1"})
    assert quantri.get("/office/ghi-nhan/xuat.pdf").status_code == 404


@pytest.mark.parametrize("params", [Q1, P1])
@pytest.mark.parametrize("count", [1, 3])
def test_page_queries_do_not_grow_with_clusters(
    quantri, own_clusters, django_assert_num_queries, params, count
):
    own_clusters(count)
    Award.objects.all().delete()

    # Session, officer, roles and their scope (4); programmes; then the result: phases, clusters,
    # memberships, counts and the two of the targets (quarter) or level-1 units and figures
    # (phase); the numbers' date; decisions already recorded for the period.
    with django_assert_num_queries(13 if params is Q1 else 12):
        response = quantri.get(_url(params))

    assert response.status_code == 200
    assert response.content.decode().count('<section class="cluster') == count + (params is P1)
