"""The programme page: its window in words with a countdown, the counter, the buttons, the QR code."""

import struct
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.http import QueryDict
from django.test import Client

from sangkien.initiatives.enums import Channel, Status
from sangkien.initiatives.forms import Submission
from sangkien.initiatives.services import initiative_submit, initiative_withdraw, transition
from sangkien.programs import windows
from sangkien.public.views import form_url, remaining, rules_blocks, window_status
from sangkien.targets import services as numbers

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO = "/chuong-trinh/demo-01-trieu-sang-kien/"


def _submit(program, data: dict):
    query = QueryDict(mutable=True)
    for name, value in data.items():
        query[name] = value
    submission = Submission(program, query)
    assert submission.is_valid(), submission.errors_by_path()
    initiative, _created = initiative_submit(
        program=program, data=submission.to_input(), channel=Channel.WEB, send_receipt=False
    )
    return initiative


def test_remaining_shows_the_two_largest_units_rounded_down():
    at = datetime(2023, 8, 1, 12, 0, tzinfo=VN)

    assert remaining(at + timedelta(days=3, hours=5, minutes=59), at) == "3 ngày 5 giờ"
    assert remaining(at + timedelta(hours=5, minutes=12, seconds=59), at) == "5 giờ 12 phút"
    assert remaining(at + timedelta(minutes=12, seconds=30), at) == "12 phút 30 giây"
    assert remaining(at + timedelta(seconds=30, microseconds=900), at) == "30 giây"
    assert remaining(at - timedelta(seconds=5), at) == "0 giây"


def test_window_status_open_counts_down_to_the_deadline(programs):
    program = programs["01-trieu-sang-kien"]
    now = datetime(2023, 8, 29, 18, 30, tzinfo=VN)

    status = window_status(program, now)

    assert status.state == "open"
    assert status.until == datetime(2023, 9, 2, 0, 0, tzinfo=VN)
    assert status.text == "Còn 3 ngày 5 giờ để nộp (hạn cuối trước 24h00 01/09/2023)"
    assert "<span data-left>3 ngày 5 giờ</span>" in status.message
    assert status.ended == "Đã kết thúc nhận sáng kiến"


def test_window_status_at_the_end_of_a_phase_counts_down_to_the_phase_deadline(programs):
    program = programs["01-trieu-sang-kien"]

    status = window_status(program, datetime(2022, 5, 31, 23, 0, tzinfo=VN))

    assert status.text == "Còn 1 giờ 0 phút để nộp (hạn cuối trước 24h00 31/05/2022)"
    assert status.ended == (
        "Đã hết hạn nộp của giai đoạn này. Tải lại trang để xem lần mở tiếp theo."
    )


def test_window_status_between_phases_counts_down_to_the_next_opening(programs):
    program = programs["01-trieu-sang-kien"]

    status = window_status(program, datetime(2022, 6, 1, 5, 0, tzinfo=VN))

    assert status.state == "soon"
    assert status.until == datetime(2022, 6, 1, 7, 0, tzinfo=VN)
    assert status.text == "Mở nhận sáng kiến sau 2 giờ 0 phút (từ 07:00 01/06/2022)"


def test_window_status_after_the_deadline_is_closed(programs):
    program = programs["01-trieu-sang-kien"]

    status = window_status(program, datetime(2023, 9, 2, 0, 0, tzinfo=VN))

    assert (status.state, status.until, status.text) == (
        "closed",
        None,
        "Đã kết thúc nhận sáng kiến",
    )


def test_programme_page_when_open_shows_countdown_and_buttons(open_program):
    closes = windows.closing_at(open_program, datetime.now(tz=VN))

    html = Client().get(DEMO).content.decode()

    assert f'data-closes="{closes.isoformat()}"' in html
    assert 'data-f-dh="%(days)s ngày %(hours)s giờ"' in html
    assert "Còn <span data-left>30 ngày" in html
    assert (
        f"để nộp (hạn cuối trước 24h00 {(closes.astimezone(VN) - timedelta(days=1)):%d/%m/%Y})"
        in html
    )
    assert '<a class="button big" href="/chuong-trinh/demo-01-trieu-sang-kien/nop/"' in html
    assert "Nộp sáng kiến</a>" in html
    assert '<a class="button big secondary" href="/tra-cuu/">Tra cứu sáng kiến</a>' in html
    assert '<script src="/static/js/countdown.js" defer></script>' in html


def test_programme_page_when_closed_says_when_it_closed_and_offers_no_form(programs):
    html = Client().get("/chuong-trinh/01-trieu-sang-kien/").content.decode()

    assert "<strong>Đã kết thúc nhận sáng kiến</strong>" in html
    assert (
        "Chương trình đã hết thời gian nhận sáng kiến (hạn cuối: trước 24h00 01/09/2023)." in html
    )
    assert "/nop/" not in html
    assert "Nộp sáng kiến</a>" not in html
    assert "data-countdown" not in html
    assert "countdown.js" not in html
    assert "Tra cứu sáng kiến</a>" in html


def test_programme_page_before_opening_counts_down_to_the_opening(programs):
    program = programs["75-nghin-sang-kien"]
    program.submission_opens_at = datetime.now(tz=VN) + timedelta(days=2, hours=3, minutes=30)
    program.submission_closes_at = program.submission_opens_at + timedelta(days=40)
    program.save()
    program.phases.all().delete()

    html = Client().get("/chuong-trinh/75-nghin-sang-kien/").content.decode()

    assert "Mở nhận sáng kiến sau <span data-left>2 ngày 3 giờ</span>" in html
    assert "data-opens=" in html
    assert "Chương trình chưa mở nhận sáng kiến. Cổng nộp mở lúc" in html
    assert "Nộp sáng kiến</a>" not in html


def test_programme_page_explains_what_counts_and_what_is_checked(open_program):
    html = Client().get(DEMO).content.decode()

    assert "<p>Không được tham gia:</p>" in html
    assert "<li>sáng kiến đang được bảo hộ quyền sở hữu trí tuệ.</li>" in html
    assert "Biểu mẫu tự kiểm tra khi bạn nộp" in html
    assert "Tệp đính kèm: tối đa 5 tệp, mỗi tệp tối đa 10 MB (JPEG, PNG, PDF, DOCX)" in html


def test_rules_blocks_turn_dashes_into_lists():
    text = (
        "Được tham gia khi:\n- mới;\n- được công nhận.\n\nKhông được tham gia:\n- trái pháp luật."
    )

    assert rules_blocks(text) == [
        ("p", "Được tham gia khi:"),
        ("ul", ["mới;", "được công nhận."]),
        ("p", "Không được tham gia:"),
        ("ul", ["trái pháp luật."]),
    ]


def test_counter_counts_initiatives_not_withdrawn_nor_ineligible(national, open_program, form_data):
    first = _submit(open_program, form_data(open_program))
    second = _submit(
        open_program, form_data(open_program, title="Sáng kiến thứ hai về an toàn lao động")
    )
    _submit(open_program, form_data(open_program, title="Sáng kiến thứ ba về tiết kiệm điện"))
    initiative_withdraw(initiative=first)
    transition(second, Status.NOT_ELIGIBLE, reason_code="other", message="Không đạt.")
    numbers.fold()

    html = Client().get(DEMO).content.decode()

    assert '<p class="national-count"><strong>1</strong> sáng kiến đã gửi</p>' in html


def test_counter_follows_the_maintained_numbers(national, open_program, form_data):
    before = Client().get(DEMO).content.decode()
    _submit(open_program, form_data(open_program))
    numbers.fold()

    after = Client().get(DEMO).content.decode()

    assert "<strong>0</strong> sáng kiến đã gửi" in before
    assert "<strong>1</strong> sáng kiến đã gửi" in after


def test_form_url_is_absolute_from_site_url(open_program, settings):
    settings.SITE_URL = "https://sangkien.congdoan.vn"

    assert form_url(open_program) == (
        "https://sangkien.congdoan.vn/chuong-trinh/demo-01-trieu-sang-kien/nop/"
    )


def test_programme_page_shows_the_qr_code_inline_with_downloads(open_program, settings):
    settings.SITE_URL = "https://sangkien.congdoan.vn"

    html = Client().get(DEMO).content.decode()

    assert '<div class="qr-code"><svg viewBox=' in html
    assert "<title>Mã QR mở biểu mẫu nộp sáng kiến</title>" in html
    assert "https://sangkien.congdoan.vn/chuong-trinh/demo-01-trieu-sang-kien/nop/" in html
    assert 'href="/chuong-trinh/demo-01-trieu-sang-kien/qr.png" download' in html
    assert 'href="/chuong-trinh/demo-01-trieu-sang-kien/qr.svg" download' in html
    assert "<img" not in html


def test_qr_png_is_a_poster_sized_attachment(open_program):
    response = Client().get(DEMO + "qr.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        'attachment; filename="sangkien-demo-01-trieu-sang-kien.png"'
    )
    assert "max-age=86400" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", response.content[16:24])
    assert width == height
    assert width >= 800
    assert width % 20 == 0


def test_qr_svg_is_an_attachment(open_program):
    response = Client().get(DEMO + "qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == (
        'attachment; filename="sangkien-demo-01-trieu-sang-kien.svg"'
    )
    assert "max-age=86400" in response["Cache-Control"]
    assert "<svg" in response.content.decode()


def test_qr_of_unknown_programme_or_format_answers_404(open_program):
    assert Client().get("/chuong-trinh/khong-co/qr.png").status_code == 404
    assert Client().get(DEMO + "qr.gif").status_code == 404


def test_unpublished_programme_answers_404_page_and_qr(open_program):
    open_program.is_published = False
    open_program.save(update_fields=["is_published"])

    assert Client().get(DEMO).status_code == 404
    assert Client().get(DEMO + "qr.png").status_code == 404
    assert Client().get(DEMO + "qr.svg").status_code == 404


def test_programme_page_query_count_is_constant(
    national, open_program, form_data, django_assert_num_queries
):
    # programme, phases, options, quotas, the counter (the federation's maintained tally)
    with django_assert_num_queries(5):
        Client().get(DEMO)
    _submit(open_program, form_data(open_program))
    _submit(open_program, form_data(open_program, title="Sáng kiến thứ hai về an toàn lao động"))
    numbers.fold()

    with django_assert_num_queries(5):
        Client().get(DEMO)
