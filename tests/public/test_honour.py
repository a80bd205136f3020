"""Vinh danh: the public honour board shows the rankings, the clusters, today's bulletin and the
leaders, without personal data; nonsense parameters are told, never an error page."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sangkien.orgs.models import Unit
from tests.targets import conftest as numbers_fixtures
from tests.targets import rankings_fixtures

submit_many = numbers_fixtures.submit_many
workplace = rankings_fixtures.workplace
small_tree = rankings_fixtures.small_tree

URL = "/vinh-danh/"


def text(response) -> str:
    """The page's visible text, one space between words."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(body.split())


def section_html(response, anchor: str) -> str:
    html = response.content.decode()
    start = html.index(f'<section id="{anchor}"')
    return html[start : html.index("</section>", start)]


def section(response, anchor: str) -> str:
    """The visible text of one <section id=anchor>."""
    return " ".join(re.sub(r"<[^>]+>", " ", section_html(response, anchor)).split())


@pytest.mark.django_db
def test_honour_board_ranks_units_nationally_and_in_their_cluster(
    workplace, submit_many, open_program
):
    submit_many(workplace("T01"), 3)
    submit_many(workplace("T22"), 3)
    submit_many(workplace("T02"), 1)
    Unit.objects.filter(code="T01").update(member_count=2000)

    response = Client().get(URL, {"program": open_program.code})

    assert response.status_code == 200
    national = section(response, "toan-quoc")
    assert (
        "1 Liên đoàn Lao động thành phố Hà Nội 3 1,50 0,15 % "
        "1 Liên đoàn Lao động tỉnh Quảng Ninh 3 — — "
        "3 Liên đoàn Lao động tỉnh Hà Giang 1 — —"
    ) in national
    clusters = section(response, "cum-khoi")
    assert "Cụm thi đua các tỉnh, thành phố Đồng bằng sông Hồng" in clusters
    assert (
        "1 Liên đoàn Lao động thành phố Hà Nội 3 1,50 0,15 % "
        "1 Liên đoàn Lao động tỉnh Quảng Ninh 3 — — 3 "
    ) in clusters
    assert "1 Liên đoàn Lao động tỉnh Hà Giang 1 — —" in clusters  # first of its own cluster


@pytest.mark.django_db
def test_honour_board_orders_by_members_when_asked(workplace, submit_many, open_program):
    submit_many(workplace("T01"), 3)
    submit_many(workplace("T02"), 1)
    Unit.objects.filter(code="T01").update(member_count=3000)
    Unit.objects.filter(code="T02").update(member_count=500)

    response = Client().get(URL, {"program": open_program.code, "by": "per_thousand"})

    national = section(response, "toan-quoc")
    assert (
        "1 Liên đoàn Lao động tỉnh Hà Giang 1 2,00 0,20 % "
        "2 Liên đoàn Lao động thành phố Hà Nội 3 1,00 0,10 %"
    ) in national
    assert '<option value="per_thousand" selected>' in response.content.decode()


@pytest.mark.django_db
def test_today_counts_only_the_days_initiatives(workplace, submit_many, open_program):
    submit_many(workplace("T01"), 2, at=timezone.now() - timedelta(days=2))
    submit_many(workplace("T01"), 1)
    submit_many(workplace("T02"), 2)

    response = Client().get(URL, {"program": open_program.code})

    today = timezone.localdate().strftime("%d/%m/%Y")
    assert section(response, "hom-nay") == (
        f"Hôm nay Ngày {today}, toàn quốc có thêm 3 sáng kiến. "
        "Sáng kiến mới trong ngày theo đơn vị Đơn vị Sáng kiến mới "
        "Liên đoàn Lao động tỉnh Hà Giang 2 Liên đoàn Lao động thành phố Hà Nội 1 "
        "81 đơn vị chưa có sáng kiến mới trong ngày."
    )


@pytest.mark.django_db
def test_leaders_of_each_period_are_listed_with_ties(workplace, submit_many, open_program):
    submit_many(workplace("T01"), 2)
    submit_many(workplace("T02"), 2)

    response = Client().get(URL, {"program": open_program.code})

    leaders = section(response, "dan-dau")
    assert (
        "Giai đoạn 1 Liên đoàn Lao động thành phố Hà Nội; Liên đoàn Lao động tỉnh Hà Giang 2"
    ) in leaders
    assert "Giai đoạn 2" not in leaders  # not begun


@pytest.mark.django_db
def test_honour_board_shows_no_personal_data(workplace, submit_many, open_program):
    made = submit_many(workplace("T01"), 2)

    response = Client().get(URL, {"program": open_program.code})

    page = response.content.decode()
    for initiative in made:
        for author in initiative.authors.all():
            assert author.full_name not in page
        assert initiative.title not in page
        assert initiative.receipt not in page
    assert "09000000" not in page


@pytest.mark.django_db
def test_honour_board_is_cacheable_for_a_minute(open_program):
    response = Client().get(URL)

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"program": "khong-co"}, "Không có chương trình mã “khong-co”."),
        (
            {"period": "p7"},
            "Chương trình “Minh hoạ 01 triệu sáng kiến” không có giai đoạn 7.",
        ),
        (
            {"period": "1999-Q3"},
            "Quý 3/1999 nằm ngoài thời gian nộp sáng kiến của chương trình “Minh hoạ 01 triệu "
            "sáng kiến”.",
        ),
        (
            {"period": "<script>"},
            "Kỳ “&lt;script&gt;” không hợp lệ: để trống (cả chương trình), ghi p và số giai đoạn "
            "(ví dụ p1) hoặc năm-Q và số quý (ví dụ 2026-Q4).",
        ),
        (
            {"by": "x" * 500},
            "Cách xếp hạng “" + "x" * 40 + "” không hợp lệ: count (theo số sáng kiến) hoặc "
            "per_thousand (theo số sáng kiến trên 1.000 đoàn viên).",
        ),
    ],
)
def test_nonsense_parameters_are_told_in_vietnamese(open_program, params, message):
    response = Client().get(URL, params)

    assert response.status_code == 200
    assert message in text(response)
    assert "Xếp hạng toàn quốc" in text(response)  # and the board with its defaults


@pytest.mark.django_db
def test_without_programmes_the_page_says_so(db):
    response = Client().get(URL, {"period": "p1", "by": "nonsense"})

    assert response.status_code == 200
    assert "Chưa có chương trình nào." in text(response)


@pytest.mark.django_db
def test_a_quarter_shows_its_counts_without_participation(workplace, submit_many, open_program):
    submit_many(workplace("T01"), 2)
    quarter = f"{timezone.localdate().year}-Q{(timezone.localdate().month - 1) // 3 + 1}"

    response = Client().get(URL, {"program": open_program.code, "period": quarter})

    national = section(response, "toan-quoc")
    assert "1 Liên đoàn Lao động thành phố Hà Nội 2 —" in national
    assert "Tỷ lệ đoàn viên tham gia" not in national


@pytest.mark.django_db
def test_home_links_to_the_honour_board(programs):
    response = Client().get("/")

    assert f'href="{URL}"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("k", [1, 3])
def test_honour_board_query_count_is_constant(
    small_tree, open_program, submit_many, django_assert_num_queries, k
):
    for union in small_tree(k):
        submit_many(union, 1)
    client = Client()

    # programmes 2, level-1 placements 1, clusters 1, figures 1, targets 2, today 1, as of 1
    with django_assert_num_queries(9):
        response = client.get(URL, {"program": open_program.code, "period": "p1"})

    assert response.status_code == 200
    # each unit: the national table, its cluster, today, the leaders of phase 1 and of the quarter
    assert text(response).count("Liên đoàn Lao động tỉnh thử") == 5 * k


@pytest.mark.django_db
def test_the_board_is_kept_a_minute_for_the_same_question(
    small_tree, open_program, submit_many, django_assert_num_queries
):
    union = small_tree(1)[0]
    submit_many(union, 1)
    client = Client()
    first = client.get(URL, {"program": open_program.code})
    submit_many(union, 1)

    with django_assert_num_queries(2):  # the programmes only
        again = client.get(URL, {"program": open_program.code})
    other = client.get(URL, {"program": open_program.code, "by": "per_thousand"})

    assert section(again, "toan-quoc") == section(first, "toan-quoc")
    assert "1 Liên đoàn Lao động tỉnh thử 1 1 " in section(first, "toan-quoc")
    assert "1 Liên đoàn Lao động tỉnh thử 1 2 " in section(other, "toan-quoc")


@pytest.mark.django_db
def test_a_closed_programme_has_no_bulletin_but_every_periods_leaders(national, programs):
    response = Client().get(URL, {"program": "01-trieu-sang-kien", "period": "p2"})

    assert response.status_code == 200
    assert section(response, "hom-nay") == "Hôm nay Hôm nay chương trình không nhận sáng kiến."
    leaders = section(response, "dan-dau")
    assert "Giai đoạn 1 Chưa có sáng kiến Giai đoạn 2 Chưa có sáng kiến Quý 1/2022" in leaders
    assert '<option value="p2" selected>' in response.content.decode()
    assert len(re.findall(r"<tr", section_html(response, "toan-quoc"))) == 1 + 83
