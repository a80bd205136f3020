"""Overload and retries on the public form: the site's admission limit answers 503 with
Retry-After and the form as typed; a retry of a stored form finds its receipt whatever refuses it;
the programme's rules may be kept per process."""

import pytest
from django.test import Client

from sangkien.common import admission
from sangkien.initiatives.models import Initiative
from sangkien.programs import queries
from sangkien.programs.models import Phase
from sangkien.programs.queries import published_program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet(settings, monkeypatch):
    settings.CAPTCHA_MODE = "off"
    monkeypatch.setattr(admission, "clock", lambda: 1_800_000_000.5)
    queries._recent.clear()  # each test's database has its own programme rows
    yield
    queries._recent.clear()


def _url(program):
    return f"/chuong-trinh/{program.code}/nop/"


def test_admission_limit_answers_503_with_retry_after_and_keeps_the_form(
    national, open_program, form_data, settings
):
    settings.ADMISSION_LIMITS = {"submit": 1}
    settings.ADMISSION_RETRY_AFTER = 4
    first = Client().post(_url(open_program), form_data(open_program))

    refused = Client().post(
        _url(open_program), form_data(open_program, title="Máy ép cải tiến lần hai")
    )

    page = refused.content.decode()
    assert first.status_code == 302
    assert refused.status_code == 503
    assert 4 <= int(refused["Retry-After"]) <= 8
    assert "Hệ thống đang nhận rất nhiều sáng kiến cùng lúc" in page
    assert 'value="Máy ép cải tiến lần hai"' in page
    assert 'value="Nguyễn Thị Lan"' in page
    assert Initiative.objects.count() == 1


def test_admission_asks_for_a_longer_wait_the_further_over_the_limit(
    national, open_program, form_data, settings, monkeypatch, caplog
):
    from sangkien.common import admission

    settings.ADMISSION_LIMITS = {"submit": 1}
    settings.ADMISSION_RETRY_AFTER = 4
    monkeypatch.setattr(admission, "clock", lambda: 1_000_000.5)  # all in one second
    answers = [
        Client().post(_url(open_program), form_data(open_program, title=f"Máy ép số {n}"))
        for n in range(10)
    ]

    waits = [int(answer["Retry-After"]) for answer in answers[1:]]
    assert [answer.status_code for answer in answers] == [302] + [503] * 9
    assert 4 <= waits[0] <= 8  # twice the limit: the usual wait
    assert 20 <= waits[-1] <= 40  # ten times the limit: five times longer
    assert f"khoảng {waits[-1]} giây" in answers[-1].content.decode()
    # A refusal is not logged as a server error (the access log has its line).
    assert not [r for r in caplog.records if r.name == "django.request"]
    assert Initiative.objects.count() == 1


def test_admission_refusal_is_answered_before_the_session_and_the_form(
    national, open_program, form_data, settings, django_assert_num_queries
):
    settings.ADMISSION_LIMITS = {"submit": 1}
    Client().post(_url(open_program), form_data(open_program))
    data = form_data(open_program, title="Bài thứ hai lúc cao điểm")
    client = Client()

    # One query: is this form already stored? No session, programme, unit or form validation.
    with django_assert_num_queries(1):
        refused = client.post(_url(open_program), data)

    page = refused.content.decode()
    assert refused.status_code == 503
    assert "sessionid" not in refused.cookies
    assert f'action="{_url(open_program)}"' in page
    assert f'name="form_token" value="{data["form_token"]}"' in page
    assert "Gửi sáng kiến</button>" in page
    assert Initiative.objects.count() == 1


def test_admission_limit_leaves_unit_searches_and_other_pages_alone(
    national, open_program, form_data, settings
):
    settings.ADMISSION_LIMITS = {"submit": 1}
    Client().post(_url(open_program), form_data(open_program))

    search = Client().post(
        _url(open_program), {**form_data(open_program), "action": "unit_search", "unit_q": "x"}
    )
    lookup = Client().post("/tra-cuu/", {"receipt": "ABCD1234", "phone": "0912345678"})

    assert search.status_code == 200
    assert lookup.status_code != 503


def test_retry_of_a_stored_form_gets_its_receipt_even_when_busy(
    national, open_program, form_data, settings
):
    data = form_data(open_program)
    client = Client()
    stored = client.post(_url(open_program), data)
    settings.ADMISSION_LIMITS = {"submit": 1}
    Client().post(_url(open_program), form_data(open_program, title="Một bài khác"))

    retried = client.post(_url(open_program), data)

    assert retried.status_code == 302
    assert retried["Location"] == stored["Location"]
    assert Initiative.objects.filter(idempotency_key=f"web:{data['form_token']}").count() == 1


def test_retry_of_a_stored_form_gets_its_receipt_when_rate_limited(
    national, open_program, form_data, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "submit_ip": (1, 600)}
    data = form_data(open_program)
    client = Client()
    stored = client.post(_url(open_program), data)

    retried = client.post(_url(open_program), data)

    assert retried.status_code == 302
    assert retried["Location"] == stored["Location"]
    assert Initiative.objects.count() == 1


def test_resubmitted_token_with_changed_text_answers_the_first_receipt(
    national, open_program, form_data
):
    data = form_data(open_program)
    client = Client()
    stored = client.post(_url(open_program), data)

    again = client.post(_url(open_program), {**data, "title": "Sửa tên rồi bấm lại"})

    assert again["Location"] == stored["Location"]
    assert Initiative.objects.get().title == data["title"]


def test_a_valid_submission_asks_no_lookup_of_its_key(
    national, open_program, form_data, django_assert_num_queries, settings
):
    settings.PROGRAM_CACHE_SECONDS = 30
    client = Client()
    client.post(_url(open_program), form_data(open_program))  # session and programme read
    data = form_data(open_program, author_phone="0987654321")

    with django_assert_num_queries(15) as captured:
        response = client.post(_url(open_program), data)

    assert response.status_code == 302
    lookups = [q["sql"] for q in captured if "idempotency_key" in q["sql"] and "SELECT" in q["sql"]]
    assert lookups == []


def test_programme_rules_are_kept_per_process_only_when_asked(open_program, settings):
    settings.PROGRAM_CACHE_SECONDS = 0
    first = published_program(open_program.code)
    Phase.objects.filter(program=open_program).update(name="Đổi tên")
    assert published_program(open_program.code) is not first

    settings.PROGRAM_CACHE_SECONDS = 30
    kept = published_program(open_program.code)
    Phase.objects.filter(program=open_program).update(name="Đổi lần nữa")

    assert published_program(open_program.code) is kept
    assert published_program("khong-co") is None
