"""A real service a test needs (Redis, an S3 server, throwaway PostgreSQL servers) that is not
there: skipped on a developer's machine without it, a failure where it must be (CI sets
REQUIRE_SERVICES=1), so that a broken install can never turn these tests into silent skips."""

import os

import pytest


def service_missing(reason: str) -> None:
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1: the service must be there)")
    pytest.skip(reason)
