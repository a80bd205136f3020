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
