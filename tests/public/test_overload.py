"""Overload and retries on the public form: the site's admission limit answers 503 with
Retry-After and the form as typed; a retry of a stored form finds its receipt whatever refuses it;
the programme's rules may be kept per process."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

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

    # No query at all: no session, programme, unit or form validation, and whether this form is
    # already stored is one cache read.
    with django_assert_num_queries(0):
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
    national, open_program, form_data, settings, django_capture_on_commit_callbacks
):
    data = form_data(open_program)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):  # the mark is set after the commit
        stored = client.post(_url(open_program), data)
    settings.ADMISSION_LIMITS = {"submit": 1}
    Client().post(_url(open_program), form_data(open_program, title="Một bài khác"))

    retried = client.post(_url(open_program), data)

    assert retried.status_code == 302
    assert retried["Location"] == stored["Location"]
    assert Initiative.objects.filter(idempotency_key=f"web:{data['form_token']}").count() == 1


def test_retry_of_a_stored_form_is_refused_without_its_mark_and_answered_once_admitted(
    national, open_program, form_data, settings, django_capture_on_commit_callbacks
):
    # The worker died between the commit and the mark, or the cache lost it: the retry waits its
    # turn like any other, and then gets the same receipt. Later, never lost or doubled.
    data = form_data(open_program)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        stored = client.post(_url(open_program), data)
    cache.delete(f"admission:stored:web:{data['form_token']}")
    settings.ADMISSION_LIMITS = {"submit": 1}
    Client().post(_url(open_program), form_data(open_program, title="Một bài khác"))

    refused = client.post(_url(open_program), data)
    settings.ADMISSION_LIMITS = {"submit": 0}
    admitted = client.post(_url(open_program), data)

    assert refused.status_code == 503
    assert admitted.status_code == 302
    assert admitted["Location"] == stored["Location"]
    assert Initiative.objects.filter(idempotency_key=f"web:{data['form_token']}").count() == 1


def test_admission_only_resolves_paths_of_the_public_form():
    from sangkien.public.admission import SUBMIT_SUFFIX

    assert reverse("public:submit", args=["ten-chuong-trinh"]).endswith(SUBMIT_SUFFIX)


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


def test_admission_asks_a_waiting_crowd_to_come_back_at_its_turn(
    national, open_program, form_data, settings, monkeypatch
):
    # One admitted and one refused every second: the second is never far over the limit, but
    # the refused people add up. Forty of them, at one admitted a second, need about forty
    # seconds: the fortieth is told to come back then, not in 5-10 s like the first.
    settings.ADMISSION_LIMITS = {"submit": 1}
    settings.ADMISSION_RETRY_AFTER = 4
    waits = []
    for second in range(40):
        monkeypatch.setattr(admission, "clock", lambda s=second: 1_800_000_000.5 + s)
        admitted = Client().post(_url(open_program), form_data(open_program, title=f"Bài {second}"))
        refused = Client().post(_url(open_program), form_data(open_program, title=f"Chờ {second}"))
        assert admitted.status_code != 503  # (the per-address limit may answer it 429)
        assert refused.status_code == 503
        waits.append(int(refused["Retry-After"]))

    assert 4 <= waits[0] <= 8
    assert 26 <= waits[-1] <= 54  # about 40 s on average (40 / 1.5 to twice that)


def test_the_same_form_refused_again_is_one_person_waiting(
    national, open_program, form_data, settings, monkeypatch
):
    # The same form refused forty times over forty seconds (a member pressing again and again):
    # one person waiting, so the wait stays the usual one.
    settings.ADMISSION_LIMITS = {"submit": 1}
    settings.ADMISSION_RETRY_AFTER = 4
    data = form_data(open_program, title="Bấm mãi")
    client = Client()
    waits = []
    for second in range(40):
        monkeypatch.setattr(admission, "clock", lambda s=second: 1_800_000_000.5 + s)
        Client().post(_url(open_program), form_data(open_program, title=f"Bài {second}"))
        refused = client.post(_url(open_program), data)
        assert refused.status_code == 503
        waits.append(int(refused["Retry-After"]))

    assert all(4 <= wait <= 8 for wait in waits)
