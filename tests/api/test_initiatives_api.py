"""/api/v1/initiatives: submitting on behalf through the API follows the form's rules; the lookup."""

import json
import unicodedata
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sangkien.accounts.services import officer_create, token_issue
from sangkien.common.personal import keyed_hash
from sangkien.initiatives.enums import Channel, Status
from sangkien.initiatives.models import Author, Initiative, StatusChange
from sangkien.initiatives.services import initiative_withdraw
from sangkien.orgs.queries import today
from tests.conftest import PASSWORD, STANLEY

URL = "/api/v1/initiatives"
NOT_FOUND = {"detail": "Không tìm thấy sáng kiến với mã biên nhận và số điện thoại này."}
LEAD_ID = "001190012345"
COAUTHOR_PHONE, COAUTHOR_ID = "0987654321", "079085000111"


def api_body(program, **overrides) -> dict:
    """A body that passes every check: Nguyễn Thị Lan of Stanley (Gia Lâm), sole author."""
    applied = max(program.eligible_from, today() - timedelta(days=10)).isoformat()
    body = {
        "program": program.code,
        "unit": STANLEY,
        "author": {
            "full_name": "Nguyễn Thị Lan",
            "phone": "0912 345 678",
            "id_number": LEAD_ID,
            "share": None,
        },
        "coauthors": [],
        "block": "doanh-nghiep",
        "target_group": "cong-nhan-doanh-nghiep",
        "kind": "giai-phap-ky-thuat",
        "title": "Cải tiến đồ gá hàn giúp giảm thời gian lắp ráp",
        "description": "Thay đồ gá cũ bằng đồ gá định vị nhanh, giảm 20% thời gian lắp ráp.",
        "first_applied_on": applied,
        "recognized_by": "council",
        "recognition_number": "15/QĐ-HĐSK",
        "recognition_date": applied,
        "benefit_vnd": 150000000,
        "benefit_text": "",
        "drive_link": "https://drive.google.com/file/d/abc/view",
        "not_ip_protected": True,
        "lawful": True,
        "consent": True,
    }
    body.update(overrides)
    return body


def coauthor(share, **overrides) -> dict:
    person = {
        "full_name": "Trần Văn Minh",
        "phone": COAUTHOR_PHONE,
        "id_number": COAUTHOR_ID,
        "share": share,
    }
    person.update(overrides)
    return person


@pytest.fixture
def gialam(national, make_officer):
    return make_officer("gialam", "T01-D018")


@pytest.fixture
def token(gialam):
    _token, plain = token_issue(officer=gialam, name="Hệ thống LĐLĐ Gia Lâm")
    return plain


def post(token: str | None, body, *, key: str | None = None, raw: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if key is not None:
        headers["Idempotency-Key"] = key
    return Client().post(
        URL,
        data=raw if raw is not None else json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


def lookup(receipt: str, phone: str, client: Client | None = None):
    return (client or Client()).get(f"{URL}/{receipt}", {"phone": phone})


# --- submitting ---------------------------------------------------------------------------------


def test_submit_records_the_initiative_on_behalf_through_the_api(open_program, gialam, token):
    response = post(token, api_body(open_program))

    assert response.status_code == 201
    initiative = Initiative.objects.get()
    assert response.json() == {
        "receipt": initiative.receipt_display,
        "status": "submitted",
        "url": f"/api/v1/initiatives/{initiative.receipt_display}",
    }
    assert response["Location"] == f"/api/v1/initiatives/{initiative.receipt_display}"
    assert initiative.channel == Channel.API
    assert initiative.submitted_by == gialam
    assert initiative.unit.code == STANLEY
    assert initiative.program == open_program
    assert initiative.benefit_vnd == 150000000
    assert initiative.drive_link == "https://drive.google.com/file/d/abc/view"
    assert initiative.idempotency_key is None
    assert len(initiative.request_hash) == 64
    lead = Author.objects.get()
    assert (lead.position, lead.full_name, lead.share, lead.is_credited) == (
        0,
        "Nguyễn Thị Lan",
        100,
        True,
    )
    assert LEAD_ID not in lead.id_cipher
    assert "0912345678" not in lead.phone_cipher
    assert lead.id_number() == LEAD_ID
    assert (lead.id_kind, lead.id_masked) == ("cccd", "•••••••••345")
    assert list(StatusChange.objects.values_list("to_status", "actor")) == [
        (Status.SUBMITTED, gialam.pk)
    ]


def test_submit_credits_the_coauthor_with_the_highest_share(open_program, token):
    body = api_body(open_program, coauthors=[coauthor(60)])
    body["author"]["share"] = 40

    response = post(token, body)

    assert response.status_code == 201
    authors = list(Author.objects.order_by("position"))
    assert [(a.full_name, a.share, a.is_credited) for a in authors] == [
        ("Nguyễn Thị Lan", 40, False),
        ("Trần Văn Minh", 60, True),
    ]
    assert COAUTHOR_ID not in authors[1].id_cipher
    assert authors[1].id_number() == COAUTHOR_ID


def test_submit_refuses_shares_that_do_not_add_up_to_100(open_program, token):
    body = api_body(open_program, coauthors=[coauthor("50")])
    body["author"]["share"] = 40

    response = post(token, body)

    assert response.status_code == 422
    assert response.json() == {
        "errors": {
            "author.share": ["Tổng tỷ lệ đóng góp của các tác giả phải bằng 100% (hiện là 90%)."]
        }
    }
    assert Initiative.objects.count() == 0


def test_submit_refuses_a_description_of_2001_characters(open_program, token):
    response = post(token, api_body(open_program, description="a" * 2001))

    assert response.status_code == 422
    assert response.json() == {
        "errors": {
            "description": [
                "Phần mô tả dài 2001 ký tự, vượt quá giới hạn 2000 ký tự của chương trình. "
                "Vui lòng rút gọn 1 ký tự."
            ]
        }
    }
    assert Initiative.objects.count() == 0


def test_submit_counts_a_decomposed_description_as_a_person_sees_it(open_program, token):
    decomposed = unicodedata.normalize("NFD", "ế") * 2000
    assert len(decomposed) == 6000

    response = post(token, api_body(open_program, description=decomposed))

    assert response.status_code == 201
    assert Initiative.objects.get().description == "ế" * 2000


def test_submit_refuses_a_cccd_of_11_digits(open_program, token):
    body = api_body(open_program)
    body["author"]["id_number"] = "00119001234"

    response = post(token, body)

    assert response.status_code == 422
    assert response.json() == {
        "errors": {"author.id_number": ["Số CCCD gồm 12 chữ số hoặc số CMND gồm 9 chữ số."]}
    }
    assert Initiative.objects.count() == 0


def test_submit_normalises_a_phone_number_with_84_and_spaces(open_program, token):
    body = api_body(open_program)
    body["author"]["phone"] = "+84 912 345 678"

    response = post(token, body)

    assert response.status_code == 201
    lead = Author.objects.get()
    assert lead.phone() == "0912345678"
    assert lead.phone_hash == keyed_hash("0912345678")
    assert lead.phone_masked == "•••••••678"


def test_submit_reports_the_coauthor_errors_by_their_position(open_program, token):
    body = api_body(open_program, coauthors=[coauthor(60, phone="0123")])
    body["author"]["share"] = 40

    response = post(token, body)

    assert response.status_code == 422
    assert response.json() == {
        "errors": {
            "coauthors.0.phone": [
                "Số điện thoại di động không hợp lệ: cần 10 chữ số, ví dụ 0912 345 678."
            ]
        }
    }


def test_submit_refuses_a_unit_outside_the_officers_subtree(national, open_program, make_officer):
    longbien = make_officer("longbien", "T01-D004")
    _token, plain = token_issue(officer=longbien)

    response = post(plain, api_body(open_program))

    assert response.status_code == 422
    assert response.json() == {"errors": {"unit": ["Đơn vị này nằm ngoài phạm vi bạn phụ trách."]}}
    assert Initiative.objects.count() == 0


def test_submit_refuses_a_unit_above_the_grassroots(open_program, token):
    response = post(token, api_body(open_program, unit="T01-D018"))

    assert response.status_code == 422
    assert response.json() == {
        "errors": {
            "unit": [
                "Hãy chọn đến công đoàn cơ sở nơi bạn công tác (đang chọn Liên đoàn Lao động "
                "huyện Gia Lâm)."
            ]
        }
    }


def test_submit_answers_403_to_an_officer_without_a_role(national, open_program):
    officer = officer_create(username="khongvaitro", password=PASSWORD)
    _token, plain = token_issue(officer=officer)

    response = post(plain, api_body(open_program))

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Tài khoản chưa được giao vai trò ở đơn vị nào nên không thể nộp hộ."
    }
    assert Initiative.objects.count() == 0


@pytest.mark.parametrize("plain", [None, "sk_khongphaima"])
def test_submit_answers_401_without_a_valid_token(national, open_program, plain):
    response = post(plain, api_body(open_program))

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Cần mã truy cập hợp lệ: gửi header Authorization: Bearer <mã>."
    }
    assert Initiative.objects.count() == 0


def test_submit_answers_409_when_the_programme_is_closed(programs, token):
    closed = programs["01-trieu-sang-kien"]

    response = post(token, api_body(closed))

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Chương trình đã hết thời gian nhận sáng kiến (hạn cuối: trước 24h00 01/09/2023)."
    }
    assert Initiative.objects.count() == 0


def test_submit_answers_404_for_an_unknown_programme(open_program, token):
    body = api_body(open_program)
    body["program"] = "khong-co"

    response = post(token, body)

    assert response.status_code == 404
    assert response.json() == {"detail": "Không có chương trình mã khong-co."}


def test_submit_without_a_programme_answers_422(open_program, token):
    body = api_body(open_program)
    del body["program"]

    response = post(token, body)

    assert response.status_code == 422
    assert response.json() == {"errors": {"program": ["Vui lòng điền mục này."]}}


def test_submit_lists_every_missing_field_in_vietnamese(open_program, token):
    response = post(token, {"program": open_program.code})

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["title"] == ["Vui lòng điền mục này."]
    assert errors["author.phone"] == ["Vui lòng điền mục này."]
    assert errors["unit"] == ["Chọn công đoàn cơ sở nơi bạn công tác."]
    assert errors["recognized_by"] == [
        "Sáng kiến phải được Hội đồng sáng kiến hoặc thủ trưởng đơn vị công nhận mới được tham "
        "gia; chọn cấp đã công nhận."
    ]
    assert errors["consent"] == [
        "Cần đồng ý cho xử lý dữ liệu cá nhân để nộp sáng kiến; nếu không đồng ý, bạn có thể nhờ "
        "công đoàn cơ sở hướng dẫn."
    ]
    assert errors["lawful"] == [
        "Cần cam kết nội dung sáng kiến không trái với pháp luật, trật tự công cộng và đạo đức xã "
        "hội."
    ]
    assert Initiative.objects.count() == 0


def test_submit_answers_wrong_json_types_per_field_in_vietnamese(open_program, token):
    body = api_body(
        open_program,
        title=5,
        consent="yes",
        benefit_vnd=1.5,
        benefit_text="Giảm thao tác thừa cho công nhân.",
        coauthors=["Trần Văn Minh"],
        email=["lan@example.com"],
    )
    body["author"]["share"] = {"value": 100}

    response = post(token, body)

    assert response.status_code == 422
    assert response.json() == {
        "errors": {
            "title": ["Giá trị phải là chuỗi ký tự."],
            "consent": ["Giá trị phải là true hoặc false."],
            "benefit_vnd": ["Giá trị làm lợi là một số tiền bằng đồng, ví dụ 10.000.000."],
            "coauthors.0": ["Giá trị phải là một đối tượng JSON."],
            "email": ["Giá trị phải là chuỗi ký tự."],
            "author.share": ["Giá trị phải là một số."],
        }
    }
    assert Initiative.objects.count() == 0


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{khong phai json", "Nội dung gửi lên không phải JSON hợp lệ."),
        ("", "Nội dung gửi lên phải là một đối tượng JSON với các mục của sáng kiến."),
        ('["tieu de"]', "Nội dung gửi lên phải là một đối tượng JSON với các mục của sáng kiến."),
    ],
)
def test_submit_answers_a_body_that_is_not_a_json_object_with_422(
    open_program, token, raw, message
):
    response = post(token, None, raw=raw)

    assert response.status_code == 422
    assert response.json() == {"errors": {"non_field": [message]}}
    assert Initiative.objects.count() == 0


def test_submit_refuses_more_than_10_coauthors(open_program, token):
    body = api_body(open_program, coauthors=[coauthor(5, id_number="") for _ in range(11)])

    response = post(token, body)

    assert response.status_code == 422
    assert response.json()["errors"]["coauthors"] == ["Tối đa 10 đồng tác giả (đã gửi 11)."]
    assert Initiative.objects.count() == 0


def test_submit_is_limited_per_phone_number(open_program, token, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "submit_phone": (1, 3600)}
    first = post(token, api_body(open_program))

    second = post(token, api_body(open_program, title="Một sáng kiến khác"))

    assert first.status_code == 201
    assert second.status_code == 429
    assert 1 <= int(second["Retry-After"]) <= 3600
    assert second.json() == {
        "detail": "Số điện thoại của tác giả đã nộp quá nhiều sáng kiến trong thời gian ngắn; "
        f"vui lòng thử lại sau {-(-int(second['Retry-After']) // 60)} phút."
    }
    assert Initiative.objects.count() == 1


# --- Idempotency-Key ------------------------------------------------------------------------------


def test_retry_with_the_same_key_answers_the_same_receipt_and_creates_nothing(
    open_program, gialam, token
):
    first = post(token, api_body(open_program), key="lan-2026-001")

    retry = post(token, api_body(open_program), key="lan-2026-001")

    assert first.status_code == 201
    assert retry.status_code == 200
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert "Idempotent-Replayed" not in first
    initiative = Initiative.objects.get()
    assert initiative.idempotency_key == f"api:{gialam.pk}:lan-2026-001"
    assert StatusChange.objects.count() == 1


def test_retry_with_the_same_key_is_answered_even_after_the_deadline(open_program, token):
    first = post(token, api_body(open_program), key="truoc-han")
    open_program.submission_closes_at = timezone.now() - timedelta(seconds=1)
    open_program.save()
    assert post(token, api_body(open_program), key="sau-han").status_code == 409

    retry = post(token, api_body(open_program), key="truoc-han")

    assert retry.status_code == 200
    assert retry.json()["receipt"] == first.json()["receipt"]


def test_same_key_with_another_body_is_refused(open_program, token):
    first = post(token, api_body(open_program), key="lan-2026-001")
    receipt = first.json()["receipt"]

    other = post(token, api_body(open_program, title="Một sáng kiến khác"), key="lan-2026-001")

    assert other.status_code == 422
    assert other.json() == {
        "errors": {
            "Idempotency-Key": [
                "Khoá Idempotency-Key này đã được dùng khi nộp sáng kiến mã biên nhận "
                f"{receipt} với nội dung khác; mỗi sáng kiến mới cần một khoá mới."
            ]
        }
    }
    assert list(Initiative.objects.values_list("title", flat=True)) == [
        "Cải tiến đồ gá hàn giúp giảm thời gian lắp ráp"
    ]


def test_same_body_with_keys_in_another_order_is_the_same_request(open_program, token):
    body = api_body(open_program)
    first = post(token, body, key="k1")

    retry = post(token, None, key="k1", raw=json.dumps(dict(reversed(body.items())), indent=2))

    assert retry.status_code == 200
    assert retry.json()["receipt"] == first.json()["receipt"]
    assert Initiative.objects.count() == 1


def test_two_posts_in_a_row_with_one_key_make_one_initiative(open_program, token):
    answers = [post(token, api_body(open_program), key="double-click") for _ in range(2)]

    assert [a.status_code for a in answers] == [201, 200]
    assert answers[0].json()["receipt"] == answers[1].json()["receipt"]
    assert Initiative.objects.count() == 1
    assert Author.objects.count() == 1


def test_one_key_used_by_two_officers_makes_two_initiatives(open_program, token, make_officer):
    other = make_officer("gialam2", "T01-D018")
    _token, other_plain = token_issue(officer=other)

    mine = post(token, api_body(open_program), key="001")
    theirs = post(other_plain, api_body(open_program, title="Sáng kiến khác"), key="001")

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["receipt"] != theirs.json()["receipt"]
    assert Initiative.objects.count() == 2


def test_a_key_longer_than_200_characters_is_refused(open_program, token):
    response = post(token, api_body(open_program), key="k" * 201)

    assert response.status_code == 422
    assert response.json() == {
        "errors": {"Idempotency-Key": ["Khoá Idempotency-Key dài tối đa 200 ký tự."]}
    }
    assert Initiative.objects.count() == 0


def test_a_key_of_200_characters_fits_the_column_and_protects_retries(open_program, gialam, token):
    first = post(token, api_body(open_program), key="k" * 200)

    retry = post(token, api_body(open_program), key="k" * 200)

    assert (first.status_code, retry.status_code) == (201, 200)
    stored = Initiative.objects.get().idempotency_key
    assert stored.startswith(f"api:{gialam.pk}:sha256:")
    assert len(stored) <= 200


# --- lookup ---------------------------------------------------------------------------------------


@pytest.fixture
def submitted(open_program, token):
    body = api_body(open_program, coauthors=[coauthor(30)])
    body["author"]["share"] = 70
    response = post(token, body)
    assert response.status_code == 201
    return Initiative.objects.get()


@pytest.mark.parametrize("phone", ["0912 345 678", "0912345678", "+84912345678", COAUTHOR_PHONE])
def test_lookup_answers_status_and_masked_authors_for_the_right_phone(submitted, phone):
    response = lookup(submitted.receipt_display, phone)

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "receipt": submitted.receipt_display,
        "program": "demo-01-trieu-sang-kien",
        "status": {"code": "submitted", "label": "Đã nộp, chờ xác minh"},
        "title": "Cải tiến đồ gá hàn giúp giảm thời gian lắp ráp",
        "unit": {"code": STANLEY, "name": "Công đoàn Công ty TNHH điện Stanley Việt Nam"},
        "submitted_at": body["submitted_at"],
        "on_behalf": True,
        "authors": [
            {
                "full_name": "Nguyễn Thị Lan",
                "phone": "•••••••678",
                "id_number": "•••••••••345",
                "share": 70.0,
                "credited": True,
            },
            {
                "full_name": "Trần Văn Minh",
                "phone": "•••••••321",
                "id_number": "•••••••••111",
                "share": 30.0,
                "credited": False,
            },
        ],
        "history": [
            {
                "at": body["history"][0]["at"],
                "from": None,
                "to": "submitted",
                "to_label": "Đã nộp, chờ xác minh",
                "reason_code": "",
                "message": "",
            }
        ],
    }
    assert body["submitted_at"].endswith("+07:00")
    assert body["history"][0]["at"] == body["submitted_at"]


def test_lookup_never_shows_phone_or_id_numbers_in_clear(submitted):
    text = lookup(submitted.receipt_display, "0912 345 678").content.decode()

    for secret in ["0912345678", "912 345 678", LEAD_ID, COAUTHOR_PHONE, COAUTHOR_ID]:
        assert secret not in text


def test_lookup_accepts_the_receipt_as_a_person_types_it(submitted):
    typed = f"{submitted.receipt[:4].lower()} {submitted.receipt[4:].lower()}"

    response = Client().get(f"{URL}/{typed}", {"phone": "0912345678"})

    assert response.status_code == 200
    assert response.json()["receipt"] == submitted.receipt_display


@pytest.mark.parametrize("phone", ["0912 345 679", "", "khong-phai-so"])
def test_lookup_with_a_wrong_phone_answers_404_like_an_unknown_receipt(submitted, phone):
    wrong_phone = lookup(submitted.receipt_display, phone)
    unknown = lookup("ZZZZ-ZZZZ", "0912 345 678")

    assert (wrong_phone.status_code, unknown.status_code) == (404, 404)
    assert wrong_phone.json() == unknown.json() == NOT_FOUND


def test_lookup_shows_the_withdrawal_in_the_history(submitted):
    initiative_withdraw(initiative=submitted)

    body = lookup(submitted.receipt_display, "0912345678").json()

    assert body["status"] == {"code": "withdrawn", "label": "Đã rút"}
    assert [
        (step["from"], step["to"], step["to_label"], step["message"]) for step in body["history"]
    ] == [
        (None, "submitted", "Đã nộp, chờ xác minh", ""),
        ("submitted", "withdrawn", "Đã rút", "Người nộp rút sáng kiến."),
    ]


def test_lookup_is_limited_per_address(submitted, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "lookup_ip": (2, 600)}
    client = Client()

    answers = [lookup(submitted.receipt_display, "0912345678", client) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    retry_after = int(answers[2]["Retry-After"])
    assert 1 <= retry_after <= 600
    assert answers[2].json() == {
        "detail": "Bạn đã tra cứu quá nhiều lần; vui lòng thử lại sau "
        f"{-(-retry_after // 60)} phút."
    }


def test_lookup_is_limited_per_receipt_whatever_the_address(submitted, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "lookup_receipt": (2, 600)}
    clients = [Client(REMOTE_ADDR=f"10.0.0.{n}") for n in range(3)]

    answers = [lookup(submitted.receipt_display, "0912 345 679", c) for c in clients]
    other = lookup("ZZZZ-ZZZZ", "0912345678", clients[2])

    assert [a.status_code for a in answers] == [404, 404, 429]
    assert answers[2]["Retry-After"]
    assert (
        answers[2]
        .json()["detail"]
        .startswith("Mã biên nhận này đã được tra cứu quá nhiều lần; vui lòng thử lại sau ")
    )
    assert other.status_code == 404


@pytest.mark.parametrize("n_coauthors", [1, 3])
def test_lookup_query_count_does_not_grow_with_authors(
    open_program, token, django_assert_num_queries, n_coauthors
):
    shares = [25] * n_coauthors
    people = [
        coauthor(share, phone="", id_number=f"07908500011{n}") for n, share in enumerate(shares)
    ]
    body = api_body(open_program, coauthors=people)
    body["author"]["share"] = 100 - sum(shares)
    receipt = post(token, body).json()["receipt"]

    # The receipt-and-phone check reading the initiative with its programme and unit, then its
    # authors and its history.
    with django_assert_num_queries(3):
        response = lookup(receipt, "0912345678")

    assert len(response.json()["authors"]) == n_coauthors + 1


def test_openapi_documents_the_initiative_endpoints():
    document = Client().get("/api/v1/openapi.json").json()

    submit = document["paths"]["/api/v1/initiatives"]["post"]
    schema = submit["requestBody"]["content"]["application/json"]["schema"]
    assert set(schema["properties"]) >= {"program", "unit", "author", "coauthors", "consent"}
    assert set(schema["properties"]["author"]["properties"]) == {
        "full_name",
        "phone",
        "id_number",
        "share",
    }
    assert set(submit["responses"]) == {"200", "201", "403", "404", "409", "422", "429"}
    lookup_op = document["paths"]["/api/v1/initiatives/{receipt}"]["get"]
    assert [p["name"] for p in lookup_op["parameters"]] == ["receipt", "phone"]
