"""A real service a test needs (Redis, an S3 server, throwaway PostgreSQL servers) that is not
there: skipped on a developer's machine without it, a failure where it must be (CI sets
REQUIRE_SERVICES=1), so that a broken install can never turn these tests into silent skips."""

import os

import pytest
import redis


def service_missing(reason: str) -> None:
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1: the service must be there)")
    pytest.skip(reason)


def redis_url(why: str) -> str:
    """REDIS_URL after a PING: skipped without it (`why` says what then stays untested), a
    missing service when it does not answer."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip(f"REDIS_URL is not set: {why}")
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        service_missing(f"no Redis at {url}")
    finally:
        client.close()
    return url
