"""/api/v1/: units, programmes, tokens, and the OpenAPI document."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from sangkien.accounts.models import ApiToken
from sangkien.orgs.models import Unit
from sangkien.orgs.services import unit_create
from tests.conftest import PASSWORD


def get(client: Client, url: str, **headers):
    response = client.get(url, headers=headers)
    return response.status_code, response.json() if response.content else None


def test_units_of_the_federation_are_the_83_direct_units(national):
    status, body = get(Client(), "/api/v1/units?parent=TLD")

    assert status == 200
    assert len(body) == 83
    kinds = [unit["kind"] for unit in body]
    assert (
        kinds.count("province_federation"),
        kinds.count("sector_union"),
        kinds.count("corporation_union"),
    ) == (63, 19, 1)
    hanoi = next(unit for unit in body if unit["code"] == "T01")
    assert hanoi == {
        "code": "T01",
        "name": "Liên đoàn Lao động thành phố Hà Nội",
        "level": 1,
        "kind": "province_federation",
        "block": "administrative",
        "member_count": 0,
        "parent": "TLD",
    }


def test_units_without_parent_are_the_roots(national):
    status, body = get(Client(), "/api/v1/units")

    assert status == 200
    assert [unit["code"] for unit in body] == ["TLD"]
    assert body[0]["parent"] is None


def test_units_of_an_unknown_parent_answer_404_in_vietnamese(national):
    status, body = get(Client(), "/api/v1/units?parent=KHONGCO")

    assert status == 404
    assert body == {"detail": "Không có đơn vị mã KHONGCO."}


def test_units_on_a_past_date_show_the_tree_of_that_date(national):
    federation = national["TLD"]
    unit_create(
        code="T99",
        name="Liên đoàn Lao động tỉnh Mới",
        level=1,
        kind="province_federation",
        block="administrative",
        parent=federation,
        effective_on=timezone.localdate(),
    )

    _, today = get(Client(), "/api/v1/units?parent=TLD")
    _, before = get(Client(), "/api/v1/units?parent=TLD&on=2022-01-01")

    assert len(today) == 84
    assert len(before) == 83


@pytest.mark.parametrize("n_children", [1, 3])
def test_units_query_count_does_not_grow_with_children(
    national, django_assert_num_queries, add_grassroots, n_children
):
    add_grassroots("T01-D004", n_children)

    with django_assert_num_queries(2):
        response = Client().get("/api/v1/units?parent=T01-D004")

    assert len(response.json()) == n_children


def test_one_unit_comes_with_its_ancestors(national):
    status, body = get(Client(), "/api/v1/units/T01-D018-C001")

    assert status == 200
    assert body["name"] == "Công đoàn Công ty TNHH điện Stanley Việt Nam"
    assert body["parent"] == "T01-D018"
    assert [a["code"] for a in body["ancestors"]] == ["TLD", "T01", "T01-D018"]
    assert [a["parent"] for a in body["ancestors"]] == [None, "TLD", "T01"]
    assert body["successors"] == []


def test_unknown_unit_answers_404(national):
    assert get(Client(), "/api/v1/units/KHONGCO")[0] == 404


def test_programs_list_rules_with_codes_and_vietnam_time(programs):
    status, body = get(Client(), "/api/v1/programs")

    assert status == 200
    million = next(p for p in body if p["code"] == "01-trieu-sang-kien")
    assert million["is_open"] is False
    assert million["submission_opens_at"] == "2022-01-08T07:00:00+07:00"
    assert million["submission_closes_at"] == "2023-09-02T00:00:00+07:00"
    assert million["description_max_chars"] == 2000
    assert [p["target"] for p in million["phases"]] == [300000, 700000]
    assert million["phases"][1]["submission_opens_at"] == "2022-06-01T07:00:00+07:00"
    assert len(million["kinds"]) == 7
    assert million["kinds"][0] == {"code": "giai-phap-ky-thuat", "name": "Giải pháp kỹ thuật"}
    assert len(million["target_groups"]) == 5
    assert million["blocks"] == [
        {"code": "doanh-nghiep", "name": "Doanh nghiệp"},
        {"code": "khoi-co-quan", "name": "Khối cơ quan"},
    ]
    thousand = next(p for p in body if p["code"] == "75-nghin-sang-kien")
    assert thousand["quotas"] == [{"phase": None, "child_level": 2, "max_per_unit": 2}]


def test_programs_query_count_is_constant(programs, django_assert_num_queries):
    with django_assert_num_queries(4):
        Client().get("/api/v1/programs")


def test_openapi_document_lists_the_endpoints():
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/v1/units",
        "/api/v1/units/{code}",
        "/api/v1/programs",
        "/api/v1/auth/token",
    } <= set(paths)


def _token(client: Client, username: str) -> str:
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()["token"]


def test_token_is_issued_for_the_right_password_and_used_as_bearer(national, make_officer):
    make_officer("gialam", "T01-D018", "unit_admin")
    client = Client()
    token = _token(client, "gialam")

    status, body = get(client, "/api/v1/auth/me", Authorization=f"Bearer {token}")

    assert status == 200
    assert body == {
        "username": "gialam",
        "full_name": "Gialam",
        "roles": [{"unit": "T01-D018", "kind": "unit_admin"}],
    }
    assert ApiToken.objects.get().key_hash != token  # only the hash is stored


def test_token_refused_for_a_wrong_password(national, make_officer):
    make_officer("gialam", "T01-D018")

    response = Client().post(
        "/api/v1/auth/token",
        json.dumps({"username": "gialam", "password": "sai"}),
        content_type="application/json",
    )

    assert response.status_code == 401
    assert response.json() == {"detail": "Tên đăng nhập hoặc mật khẩu không đúng."}
    assert ApiToken.objects.count() == 0


def test_revoked_token_no_longer_works(national, make_officer):
    make_officer("gialam", "T01-D018")
    client = Client()
    token = _token(client, "gialam")

    revoked = client.delete("/api/v1/auth/token", headers={"Authorization": f"Bearer {token}"})
    after = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})

    assert revoked.status_code == 204
    assert after.status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer sk_khongphaima", "Basic Z2lhbGFtOng="])
def test_endpoints_with_auth_refuse_missing_or_bad_tokens(national, header):
    headers = {"Authorization": header} if header else {}
    assert Client().get("/api/v1/auth/me", headers=headers).status_code == 401


def test_token_of_a_deactivated_officer_stops_working(national, make_officer):
    officer = make_officer("gialam", "T01-D018")
    client = Client()
    token = _token(client, "gialam")
    officer.is_active = False
    officer.save()

    assert (
        client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    assert Unit.objects.filter(code="T01-D018").exists()
