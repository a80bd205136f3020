"""The public home page lists the programmes and whether each is open."""

from django.test import Client
from django.utils import timezone

from sangkien.programs.services import load_demo_program


def test_home_lists_programmes_with_their_state_in_vietnamese(programs):
    load_demo_program(timezone.localdate())

    html = Client().get("/").content.decode()

    assert '<html lang="vi">' in html
    assert "01 triệu sáng kiến – nỗ lực vượt khó" in html
    assert "75 nghìn sáng kiến, vượt khó, phát triển" in html
    assert html.count("Đang mở nhận sáng kiến") == 1
    assert "Cổng đã đóng lúc 24h00 01/09/2023." in html
    assert "Thời gian nộp: từ 07:00 08/01/2022 đến trước 24h00 01/09/2023" in html
    assert "Chỉ tiêu: 1.000.000 sáng kiến" in html


def test_home_query_count_is_constant(programs, django_assert_num_queries):
    with django_assert_num_queries(4):
        Client().get("/")


def test_programme_page_shows_phases_and_rules(programs):
    html = Client().get("/chuong-trinh/01-trieu-sang-kien/").content.decode()

    assert "từ 07:00 01/06/2022 đến trước 24h00 01/09/2023" in html
    assert "01/09/2021 – 31/05/2022" in html
    assert "Phần mô tả tối đa 2.000 ký tự." in html
    assert "Đề tài nghiên cứu khoa học" in html


def test_unknown_programme_answers_404(programs):
    assert Client().get("/chuong-trinh/khong-co/").status_code == 404


def test_english_is_available(programs):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert '<html lang="en">' in client.get("/").content.decode()


def test_browser_language_does_not_switch_the_portal_to_english(programs):
    html = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/").content.decode()

    assert '<html lang="vi">' in html
