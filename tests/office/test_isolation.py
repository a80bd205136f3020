"""Every office URL and API endpoint, asked by an officer of another subtree: 404, nothing changed.

The walk enumerates the URL configuration, so a new route that is not classified here fails the
suite until someone decides how it is scoped.
"""

import json

import pytest
from django.test import Client
from django.urls import get_resolver

from sangkien.accounts.models import ApiToken
from sangkien.accounts.services import token_issue
from sangkien.common.models import AuditEntry
from sangkien.orgs.models import Unit, UnitPlacement
from tests.conftest import PASSWORD

# Office routes that name a unit: asked about Gia Lâm's subtree by Long Biên's officer → 404.
UNIT_ROUTES = {
    "unit": "/office/don-vi/{code}/",
    "unit_export": "/office/don-vi/{code}/xuat.xlsx",
    "unit_import": "/office/don-vi/{code}/nhap/",
    "unit_restructure": "/office/don-vi/{code}/to-chuc-lai/",
    "forward": "/office/de-cu/{code}/",
    "quotas": "/office/de-cu/{code}/so-luong/",
    "dashboard": "/office/thong-ke/{code}/",
    "dashboard_file": "/office/thong-ke/{code}/bao-cao.xlsx",
    "targets": "/office/chi-tieu/{code}/",
    "targets_edit": "/office/chi-tieu/{code}/sua/",
    "targets_import": "/office/chi-tieu/{code}/nhap/",
    "targets_export": "/office/chi-tieu/{code}/xuat.xlsx",
}
# Office routes about the officer's own account or with results filtered to the own subtree.
OWN_ROUTES = {
    "home",
    "login",
    "logout",
    "unit_search",
    "programs",
    "tokens",
    "token_revoke",
    "totp",
    # Nộp theo danh sách: a job answers 404 to anyone but its uploader and national admins
    # (tests/office/test_bulk_pages.py); the upload checks every row's unit against the subtree.
    "bulk_upload",
    "bulk_template",
    "bulk_job",
    "bulk_status",
    "bulk_report",
    # Nộp hộ: the picker offers only the officer's subtrees, the form refuses other units (422),
    # a receipt outside the subtree is 404 (tests/office/test_on_behalf.py).
    "on_behalf_programs",
    "on_behalf_picker",
    "on_behalf_receipt",
    "on_behalf",
    # Khen thưởng: the list shows only awards decided or received in the own subtrees; an award
    # outside them answers 404 to its page, certificate and revocation, and recording checks the
    # deciding unit and the recipient against the subtree (tests/awards/test_pages.py).
    "awards",
    "award_record",
    "award",
    "award_certificate",
    "award_revoke",
    # Review: the queue lists only initiatives of the own subtrees (a desk outside them is 404);
    # an initiative, a complaint, a nomination or a forwarding outside them answers 404 to every
    # page and action, and nothing changes (tests/review/test_pages.py).
    "review_queue",
    "review_bulk",
    "review_detail",
    "review_similar",
    "review_decide",
    "review_score",
    "review_personal",
    "review_attachment",
    "complaint_file",
    "complaint_resolve",
    "send_back",
    "forwarding",
    "forwarding_file",
    # Thống kê: the bare address redirects to the officer's own outermost unit.
    "dashboard_home",
    # Xuất dữ liệu: a job, its progress and its file answer 404 to anyone but its owner; a request
    # for a unit outside the subtree is refused next to the field; the national CSV is for
    # national administrators only (tests/targets/test_export_pages.py).
    "exports",
    "export_national",
    "export_job",
    "export_status",
    "export_download",
    # Ghi nhận theo thể lệ: national administrators only, 404 for everybody else
    # (tests/targets/test_recognition_pages.py).
    "recognition",
    "recognition_export",
}
# API routes: the tree and programmes are public; auth routes act on the caller's own token.
API_PUBLIC = {
    "/api/v1/units",
    "/api/v1/units/{code}",
    "/api/v1/programs",
    "/api/v1/auth/token",
    "/api/v1/openapi.json",
    "/api/v1/docs",
    "/api/v1/initiatives/{receipt}",  # the lookup: receipt and an author's phone, 404 otherwise
    "/api/v1/leaderboard",  # the honour board's ranking, public like /vinh-danh/
}
# The submission accepts only units of the caller's own subtree (422 on "unit" otherwise).
# Stats answer 404 for a unit outside the caller's subtree (tests/api/test_stats_api.py).
API_OWN = {"/api/v1/auth/me", "/api/v1/initiatives", "/api/v1/stats"}


def _office_route_names() -> set[str]:
    office = get_resolver().namespace_dict["office"][1]
    return {pattern.name for pattern in office.url_patterns}


def test_every_office_route_is_classified():
    assert _office_route_names() == set(UNIT_ROUTES) | OWN_ROUTES


def test_every_api_route_is_classified():
    document = Client().get("/api/v1/openapi.json").json()
    assert set(document["paths"]) <= API_PUBLIC | API_OWN


def _state():
    return (
        Unit.objects.count(),
        UnitPlacement.objects.count(),
        AuditEntry.objects.count(),
        ApiToken.objects.filter(revoked_at__isnull=True).count(),
    )


@pytest.fixture
def outsider(national, make_officer, client_for):
    officer = make_officer("longbien", "T01-D004", "unit_admin")
    return client_for(officer)


@pytest.mark.parametrize("route", sorted(UNIT_ROUTES))
@pytest.mark.parametrize("code", ["T01-D018", "T01-D018-C001", "T01", "TLD"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_unit_routes_answer_404_outside_the_subtree(outsider, route, code, method):
    before = _state()
    url = UNIT_ROUTES[route].format(code=code)
    payload = {
        "unit_import": {"file": _tree_file(), "effective_on": ""},
        "unit_restructure": {
            "operation": "move",
            "target": "T01-D004",
            "effective_on": "01/12/2026",
        },
    }.get(route, {})

    response = getattr(outsider, method)(url, payload)

    assert response.status_code == 404, url
    assert _state() == before


def test_unknown_unit_answers_the_same_404(outsider):
    assert outsider.get("/office/don-vi/KHONGCO/").status_code == 404


def test_unit_routes_answer_inside_the_subtree(national, make_officer, client_for):
    client = client_for(make_officer("gialam", "T01-D018", "unit_admin"))

    assert client.get("/office/don-vi/T01-D018/").status_code == 200
    assert client.get("/office/don-vi/T01-D018-C001/").status_code == 200
    assert client.get("/office/don-vi/T01-D018/xuat.csv").status_code == 200
    assert client.get("/office/don-vi/T01-D018/nhap/").status_code == 200


def test_reviewer_may_not_import_even_inside_the_subtree(national, make_officer, client_for):
    client = client_for(make_officer("stanley", "T01-D018-C001", "reviewer"))
    before = _state()

    assert client.get("/office/don-vi/T01-D018-C001/").status_code == 200
    assert (
        client.post("/office/don-vi/T01-D018-C001/nhap/", {"file": _tree_file()}).status_code == 404
    )
    assert _state() == before


def test_search_shows_only_the_own_subtree(outsider):
    response = outsider.get("/office/tim-don-vi/", {"q": "stanley"})

    assert response.status_code == 200
    assert "Stanley" not in response.content.decode()


def test_search_finds_inside_the_own_subtree_without_accents(national, make_officer, client_for):
    client = client_for(make_officer("gialam", "T01-D018", "reviewer"))

    response = client.get("/office/tim-don-vi/", {"q": "dien stanley"})

    assert "Công đoàn Công ty TNHH điện Stanley Việt Nam" in response.content.decode()


def test_revoking_another_officers_token_answers_404(national, make_officer, outsider):
    victim = make_officer("gialam", "T01-D018")
    token, _plain = token_issue(officer=victim)
    before = _state()

    response = outsider.post(f"/office/tai-khoan/ma-api/{token.pk}/thu-hoi/")

    assert response.status_code == 404
    assert _state() == before


def test_django_admin_is_closed_to_officers_who_are_not_national_admins(
    national, make_officer, client_for
):
    client = client_for(make_officer("gialam", "T01-D018", "unit_admin"))

    response = client.get("/office/admin/programs/program/")

    assert response.status_code == 302
    assert "/office/admin/login/" in response["Location"]


def test_django_admin_is_open_to_national_admins(national, programs, make_officer, client_for):
    client = client_for(make_officer("quantri", "TLD", "national_admin"))

    assert client.get("/office/admin/programs/program/").status_code == 200
    assert client.get("/office/admin/orgs/unit/?q=gia+lam").status_code == 200


def test_office_pages_need_sign_in(national):
    response = Client().get("/office/don-vi/T01-D018/")

    assert response.status_code == 302
    assert response["Location"].startswith("/office/dang-nhap/")


def test_api_me_shows_only_the_callers_roles(national, make_officer):
    make_officer("longbien", "T01-D004")
    make_officer("gialam", "T01-D018")
    client = Client()
    token = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": "longbien", "password": PASSWORD}),
        content_type="application/json",
    ).json()["token"]

    body = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()

    assert body["roles"] == [{"unit": "T01-D004", "kind": "reviewer"}]


def _tree_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = "code,name,level,kind,block,parent\nT01-D018-C900,Công đoàn cơ sở mới,3,grassroots,enterprise,T01-D018\n"
    return SimpleUploadedFile("cay.csv", content.encode(), content_type="text/csv")
