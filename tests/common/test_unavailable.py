"""A lost database connection answers 503 with Retry-After and the typed form, never a 500 page."""

import pytest
from django.db import OperationalError
from django.test import Client

from sangkien.initiatives.models import Initiative
from sangkien.public import submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet(settings):
    settings.CAPTCHA_MODE = "off"
    settings.UNAVAILABLE_RETRY_AFTER = 7


def _url(program):
    return f"/chuong-trinh/{program.code}/nop/"


def _lost(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_submission_while_the_database_restarts_keeps_every_field(
    national, open_program, form_data, monkeypatch
):
    monkeypatch.setattr(submit, "initiative_submit", _lost)
    data = form_data(open_program, title="Băng tải <tự động> & an toàn")

    response = Client().post(_url(open_program), data)

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "7"
    assert "cơ sở dữ liệu đang tạm gián đoạn" in page
    assert 'name="title" value="Băng tải &lt;tự động&gt; &amp; an toàn"' in page
    assert f'name="form_token" value="{data["form_token"]}"' in page
    assert f'action="{_url(open_program)}"' in page
    assert Initiative.objects.count() == 0


def test_resending_the_kept_page_stores_once(national, open_program, form_data, monkeypatch):
    data = form_data(open_program)
    client = Client()
    with monkeypatch.context() as patched:
        patched.setattr(submit, "initiative_submit", _lost)
        assert client.post(_url(open_program), data).status_code == 503

    first = client.post(_url(open_program), data)
    again = client.post(_url(open_program), data)

    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Initiative.objects.count() == 1


def test_a_get_while_the_database_is_away_is_503_without_a_form(national, monkeypatch):
    from sangkien.public import views

    monkeypatch.setattr(views, "published_programs", _lost)

    response = Client().get("/")

    assert response.status_code == 503
    assert "<form" not in response.content.decode()


def test_a_faulty_query_is_not_mistaken_for_an_outage(national, open_program, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("no such column: initiatives_initiative.nothing")

    monkeypatch.setattr(submit, "initiative_submit", broken)
    client = Client(raise_request_exception=False)

    data = {"title": "x"}
    response = client.post(_url(open_program), data)

    assert response.status_code == 422  # invalid form: nothing reached the database
    with pytest.raises(OperationalError):
        from tests.conftest import valid_form_data

        Client().post(_url(open_program), valid_form_data(open_program))
