"""Shared fixtures: the national tree, the programmes, officers with roles, signed-in clients."""

import pytest
from django.test import Client

from sangkien.accounts.enums import RoleKind
from sangkien.accounts.services import officer_create, role_grant
from sangkien.orgs.models import Unit
from sangkien.orgs.national import load_national_tree
from sangkien.programs.services import load_seed_programs

PASSWORD = "mat-khau-thu-nghiem-2026"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Argon2 is what production uses; tests check behaviour, not hashing cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _background_inline_and_sessions_in_the_database(settings):
    # Background work runs right after the commit in the test's own thread, and sessions stay in
    # the database, whatever REDIS_URL chose: sent messages and page query counts are the same on
    # both CI legs. test_tasks.py and test_sessions_redis.py set rq and the cache engine themselves.
    settings.TASK_QUEUE = "inline"
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def national(db):
    """The real national tree of 2022 (federation, 83 direct units, the units the seeds name)."""
    result = load_national_tree()
    assert result.ok, result.issues
    return {unit.code: unit for unit in Unit.objects.all()}


@pytest.fixture
def programs(db):
    return {program.code: program for program in load_seed_programs()}


@pytest.fixture
def make_officer(db):
    def make(username: str, unit_code: str, kind: str = RoleKind.REVIEWER):
        officer = officer_create(username=username, password=PASSWORD, full_name=username.title())
        role_grant(officer=officer, unit=Unit.objects.get(code=unit_code), kind=kind)
        return officer

    return make


@pytest.fixture
def client_for():
    def make(officer) -> Client:
        client = Client()
        client.force_login(officer)
        return client

    return make


@pytest.fixture
def add_grassroots(national):
    """Add `count` grassroots unions under the unit `parent_code` (codes <parent>-C000…)."""
    from sangkien.orgs.services import unit_create

    def add(parent_code: str, count: int) -> list[Unit]:
        return [
            unit_create(
                code=f"{parent_code}-C{i:03d}",
                name=f"Công đoàn cơ sở {i}",
                level=3,
                kind="grassroots",
                block="enterprise",
                parent=national[parent_code],
            )
            for i in range(count)
        ]

    return add


@pytest.fixture
def open_program(programs):
    """The demonstration programme (rules of "01 triệu"), open now: phase 1 began 30 days ago."""
    from sangkien.orgs.queries import today
    from sangkien.programs.services import load_demo_program

    return load_demo_program(today())


STANLEY = "T01-D018-C001"  # CĐ Công ty TNHH điện Stanley Việt Nam, under LĐLĐ huyện Gia Lâm


def valid_form_data(program, **overrides) -> dict:
    """Flat data of a submission that passes every check (a lead author, no co-author)."""
    from datetime import timedelta

    from sangkien.initiatives.forms import new_form_token
    from sangkien.orgs.queries import today

    applied = max(program.eligible_from, today() - timedelta(days=10))
    data = {
        "form_token": new_form_token(),
        "author_full_name": "Nguyễn Thị Lan",
        "author_phone": "0912 345 678",
        "author_id_number": "001190012345",
        "author_email": "",
        "author_share": "",
        "unit": STANLEY,
        "block": "doanh-nghiep",
        "target_group": "cong-nhan-doanh-nghiep",
        "kind": "giai-phap-ky-thuat",
        "title": "Cải tiến đồ gá hàn giúp giảm thời gian lắp ráp",
        "description": "Thay đồ gá cũ bằng đồ gá định vị nhanh, giảm 20% thời gian lắp ráp.",
        "first_applied_on": applied.strftime("%d/%m/%Y"),
        "recognized_by": "council",
        "recognition_number": "15/QĐ-HĐSK",
        "recognition_date": applied.strftime("%d/%m/%Y"),
        "benefit_vnd": "150.000.000",
        "benefit_text": "",
        "drive_link": "",
        "not_ip_protected": "on",
        "lawful": "on",
        "consent": "on",
        "coauthors-TOTAL_FORMS": "1",
        "coauthors-INITIAL_FORMS": "0",
        "coauthors-MIN_NUM_FORMS": "0",
        "coauthors-MAX_NUM_FORMS": "10",
        "coauthors-0-full_name": "",
        "coauthors-0-phone": "",
        "coauthors-0-id_number": "",
        "coauthors-0-share": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def form_data():
    return valid_form_data
