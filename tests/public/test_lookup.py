"""Tra cứu: receipt and phone → the initiative with masked personal data; withdraw by its submitter."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.test import Client

from sangkien.initiatives.enums import Channel, Status
from sangkien.initiatives.forms import Submission
from sangkien.initiatives.models import Initiative, StatusChange
from sangkien.initiatives.services import initiative_submit, transition

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOT_FOUND = "Không tìm thấy sáng kiến với mã biên nhận và số điện thoại này."
PHONE = "0912 345 678"


def _submit(program, data: dict, *, actor=None, at=None):
    query = QueryDict(mutable=True)
    for name, value in data.items():
        query[name] = value
    submission = Submission(program, query)
    assert submission.is_valid(), submission.errors_by_path()
    initiative, _created = initiative_submit(
        program=program,
        data=submission.to_input(),
        actor=actor,
        channel=Channel.OFFICE if actor else Channel.WEB,
        at=at,
        send_receipt=False,
    )
    return initiative


def _coauthors(*rows) -> dict:
    data = {"coauthors-TOTAL_FORMS": str(len(rows)), "author_share": str(100 - 10 * len(rows))}
    for index, (name, phone, id_number) in enumerate(rows):
        data.update(
            {
                f"coauthors-{index}-full_name": name,
                f"coauthors-{index}-phone": phone,
                f"coauthors-{index}-id_number": id_number,
                f"coauthors-{index}-share": "10",
            }
        )
    return data


@pytest.fixture
def initiative(national, open_program, form_data):
    return _submit(open_program, form_data(open_program))


def _looked_up(initiative) -> Client:
    client = Client()
    response = client.post("/tra-cuu/", {"receipt": initiative.receipt_display, "phone": PHONE})
    assert response.status_code == 302
    return client


def _state(initiative):
    initiative.refresh_from_db()
    return initiative.status, StatusChange.objects.filter(initiative=initiative).count()


def test_lookup_form_has_labels_and_hints(db):
    html = Client().get("/tra-cuu/").content.decode()

    assert '<label for="id_receipt">Mã biên nhận</label>' in html
    assert '<label for="id_phone">Số điện thoại</label>' in html
    assert 'aria-describedby="id_receipt_helptext"' in html
    assert 'inputmode="tel"' in html


def test_lookup_with_receipt_and_phone_redirects_to_the_initiative(initiative):
    client = Client()

    response = client.post(
        "/tra-cuu/", {"receipt": initiative.receipt_display.lower(), "phone": "+84 912 345 678"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/{initiative.receipt}/"
    assert client.get(response["Location"]).status_code == 200


def test_lookup_detail_shows_the_initiative_with_masked_personal_data(initiative):
    html = _looked_up(initiative).get(f"/tra-cuu/{initiative.receipt}/").content.decode()

    assert f'<p class="receipt-code">{initiative.receipt_display}</p>' in html
    assert "Cải tiến đồ gá hàn giúp giảm thời gian lắp ráp" in html
    assert "[Minh hoạ] 01 triệu sáng kiến" in html
    assert '<strong class="status status-submitted">Đã nộp, chờ xác minh</strong>' in html
    assert "Công đoàn Công ty TNHH điện Stanley Việt Nam" in html
    assert "Nguyễn Thị Lan" in html
    assert "•••••••678" in html
    assert "•••••••••345" in html
    assert "0912345678" not in html
    assert "0912 345 678" not in html
    assert "001190012345" not in html
    assert "được ghi nhận" in html
    assert "Cán bộ công đoàn nộp hộ" not in html
    assert f'<a class="button" href="/sua/{initiative.receipt}/">Sửa sáng kiến</a>' in html
    assert f'href="/tra-cuu/{initiative.receipt}/rut/">Rút sáng kiến</a>' in html


def test_lookup_detail_shows_history_with_dates_and_messages(initiative):
    transition(
        initiative,
        Status.NEEDS_INFO,
        reason_code="missing_benefit",
        message="Bổ sung bảng tính giá trị làm lợi.",
        at=datetime(2026, 1, 5, 9, 30, tzinfo=VN),
    )

    html = _looked_up(initiative).get(f"/tra-cuu/{initiative.receipt}/").content.decode()

    assert (
        '<li><span class="when">09:30 05/01/2026</span> — <strong>Cần bổ sung thông tin</strong>'
        '<br><span class="reason">Bổ sung bảng tính giá trị làm lợi.</span></li>'
    ) in html
    assert html.count("Đã nộp, chờ xác minh</strong>") == 1  # in the history only


def test_lookup_detail_of_an_initiative_submitted_on_behalf_does_not_name_the_officer(
    national, open_program, form_data, make_officer
):
    officer = make_officer("gialam", "T01-D018")
    officer.full_name = "Trần Văn Bình"
    officer.save()
    initiative = _submit(open_program, form_data(open_program), actor=officer)

    html = _looked_up(initiative).get(f"/tra-cuu/{initiative.receipt}/").content.decode()

    assert '<span class="badge">Cán bộ công đoàn nộp hộ</span>' in html
    assert "Trần Văn Bình" not in html


@pytest.mark.parametrize(
    ("receipt", "phone"),
    [("{receipt}", "0987 654 321"), ("ABCD-EFGH", PHONE), ("khong co", PHONE), ("{receipt}", "")],
)
def test_lookup_wrong_receipt_or_phone_answers_the_same_and_keeps_values(
    initiative, receipt, phone
):
    typed = receipt.format(receipt=initiative.receipt_display)
    client = Client()

    response = client.post("/tra-cuu/", {"receipt": typed, "phone": phone})

    html = response.content.decode()
    assert response.status_code == 200
    if phone:
        assert f'<li><a href="#id_receipt">{NOT_FOUND}</a></li>' in html
        assert f'value="{phone}"' in html
    else:
        assert '<li><a href="#id_phone">Nhập số điện thoại.</a></li>' in html
    assert f'value="{typed}"' in html
    assert client.get(f"/tra-cuu/{initiative.receipt}/").status_code == 302


def test_lookup_wrong_phone_and_wrong_receipt_pages_are_identical(initiative):
    wrong_phone = Client().post(
        "/tra-cuu/", {"receipt": initiative.receipt_display, "phone": "0987654321"}
    )
    wrong_receipt = Client().post("/tra-cuu/", {"receipt": "ABCD-EFGH", "phone": "0987654321"})

    def summary(response):
        html = response.content.decode()
        return html[html.index('<div class="error-summary"') : html.index("</div>")]

    assert summary(wrong_phone) == summary(wrong_receipt)


def test_lookup_per_address_limit_answers_429_and_keeps_values(initiative, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "lookup_ip": (2, 600)}
    client = Client()
    for _attempt in range(2):
        client.post("/tra-cuu/", {"receipt": "ABCD-EFGH", "phone": PHONE})

    response = client.post("/tra-cuu/", {"receipt": initiative.receipt_display, "phone": PHONE})

    html = response.content.decode()
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 600
    assert "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau" in html
    assert f'value="{initiative.receipt_display}"' in html
    assert f'value="{PHONE}"' in html
    assert client.get(f"/tra-cuu/{initiative.receipt}/").status_code == 302


def test_lookup_per_receipt_limit_holds_across_addresses(initiative, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "lookup_receipt": (2, 600)}
    for address in ("10.0.0.1", "10.0.0.2"):
        Client(REMOTE_ADDR=address).post(
            "/tra-cuu/", {"receipt": initiative.receipt, "phone": "0987654321"}
        )

    response = Client(REMOTE_ADDR="10.0.0.3").post(
        "/tra-cuu/", {"receipt": initiative.receipt_display.lower(), "phone": PHONE}
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1


def test_lookup_detail_without_proof_redirects_to_the_form(initiative):
    response = Client().get(f"/tra-cuu/{initiative.receipt}/")

    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/?ma={initiative.receipt}"
    form = Client().get(response["Location"]).content.decode()
    assert f'value="{initiative.receipt}"' in form


def test_withdraw_asks_for_confirmation_first(initiative):
    client = _looked_up(initiative)

    html = client.get(f"/tra-cuu/{initiative.receipt}/rut/").content.decode()

    assert "Bạn chắc chắn muốn rút?" in html
    assert f'<form method="post" action="/tra-cuu/{initiative.receipt}/rut/">' in html
    assert _state(initiative) == (Status.SUBMITTED, 1)


def test_withdraw_changes_status_writes_history_and_shows_it(initiative):
    client = _looked_up(initiative)

    response = client.post(f"/tra-cuu/{initiative.receipt}/rut/")

    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/{initiative.receipt}/"
    assert _state(initiative) == (Status.WITHDRAWN, 2)
    last = StatusChange.objects.filter(initiative=initiative).last()
    assert (last.from_status, last.to_status, last.message) == (
        Status.SUBMITTED,
        Status.WITHDRAWN,
        "Người nộp rút sáng kiến.",
    )
    html = client.get(response["Location"]).content.decode()
    assert '<li class="success">Đã rút sáng kiến.</li>' in html
    assert '<strong class="status status-withdrawn">Đã rút</strong>' in html
    assert '<br><span class="reason">Người nộp rút sáng kiến.</span>' in html
    assert "Sáng kiến đang ở trạng thái &quot;Đã rút&quot; nên không thể sửa hoặc rút nữa." in html
    assert "Sửa sáng kiến</a>" not in html


def test_withdraw_without_proof_changes_nothing(initiative):
    response = Client().post(f"/tra-cuu/{initiative.receipt}/rut/")

    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/?ma={initiative.receipt}"
    assert _state(initiative) == (Status.SUBMITTED, 1)


def test_withdraw_after_the_programme_closed_is_refused(national, programs, form_data):
    program = programs["01-trieu-sang-kien"]
    initiative = _submit(
        program,
        form_data(program, first_applied_on="15/03/2023", recognition_date="20/03/2023"),
        at=datetime(2023, 5, 2, 10, 0, tzinfo=VN),
    )
    client = _looked_up(initiative)
    closed = "Chương trình đã hết thời gian nhận sáng kiến (hạn cuối: trước 24h00 01/09/2023)."

    response = client.post(f"/tra-cuu/{initiative.receipt}/rut/")

    assert response.status_code == 302
    assert _state(initiative) == (Status.SUBMITTED, 1)
    html = client.get(response["Location"]).content.decode()
    assert f'<li class="error">{closed}</li>' in html
    assert f"<p>{closed}</p>" in html
    assert "Sửa sáng kiến</a>" not in html
    assert "Rút sáng kiến</a>" not in html


def test_withdraw_confirmation_of_a_locked_initiative_says_why(initiative):
    client = _looked_up(initiative)
    transition(initiative, Status.ELIGIBLE)

    response = client.get(f"/tra-cuu/{initiative.receipt}/rut/")

    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    reason = "Sáng kiến đang ở trạng thái &quot;Hợp lệ&quot; nên không thể sửa hoặc rút nữa."
    assert f'<li class="error">{reason}</li>' in html
    assert Initiative.objects.get(pk=initiative.pk).status == Status.ELIGIBLE


@pytest.mark.parametrize("coauthors", [0, 2])
def test_lookup_detail_query_count_is_constant(
    national, open_program, form_data, django_assert_num_queries, coauthors
):
    rows = [("Trần Văn An", "0987 654 321", "001090054321"), ("Lê Thị Hoa", "", "")][:coauthors]
    data = form_data(open_program, **(_coauthors(*rows) if rows else {}))
    initiative = _submit(open_program, data)
    client = _looked_up(initiative)

    # session, initiative (+programme, unit, officer, consent), authors, attachments, history,
    # phases, nominations, complaints
    with django_assert_num_queries(8):
        response = client.get(f"/tra-cuu/{initiative.receipt}/")

    assert response.content.decode().count('<tr><th scope="row">') == 1 + coauthors
