"""Fixed-window counters in the configured cache (Redis when REDIS_URL is set, locmem otherwise)."""

import time
import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import cache

from sangkien.common.ratelimit import Limit, cache_key, check, hit, peek
from tests.services import redis_url

# A fixed instant 100 s into a 600-second window, so retry_after is known exactly.
NOW = 600 * 3_000_000 + 100


def test_hit_counts_up_to_the_limit():
    results = [
        hit("submit_ip", "203.0.113.7", limit=3, window_seconds=600, now=NOW) for _ in range(3)
    ]

    assert results == [
        Limit(allowed=True, count=1, limit=3, retry_after=500),
        Limit(allowed=True, count=2, limit=3, retry_after=500),
        Limit(allowed=True, count=3, limit=3, retry_after=500),
    ]


def test_hit_refuses_the_event_after_the_limit():
    for _ in range(3):
        hit("submit_ip", "203.0.113.7", limit=3, window_seconds=600, now=NOW)

    result = hit("submit_ip", "203.0.113.7", limit=3, window_seconds=600, now=NOW)

    assert result == Limit(allowed=False, count=4, limit=3, retry_after=500)


def test_hit_on_the_real_clock_gives_retry_after_within_the_window():
    for _ in range(2):
        hit("lookup_ip", "203.0.113.7", limit=2, window_seconds=60)

    result = hit("lookup_ip", "203.0.113.7", limit=2, window_seconds=60)

    assert (result.allowed, result.count) == (False, 3)
    assert 0 < result.retry_after <= 60


def test_retry_after_is_at_least_one_second_at_the_end_of_a_window():
    result = hit("submit_ip", "203.0.113.7", limit=3, window_seconds=600, now=NOW + 499.9)

    assert result.retry_after == 1


def test_next_window_starts_from_zero():
    for _ in range(4):
        hit("submit_ip", "203.0.113.7", limit=3, window_seconds=600, now=NOW)

    result = hit("submit_ip", "203.0.113.7", limit=3, window_seconds=600, now=NOW + 500)

    assert result == Limit(allowed=True, count=1, limit=3, retry_after=600)


def test_scopes_and_keys_count_separately():
    hit("submit_ip", "203.0.113.7", limit=3, window_seconds=600, now=NOW)
    hit("submit_ip", "203.0.113.7", limit=3, window_seconds=600, now=NOW)
    hit("lookup_ip", "203.0.113.7", limit=3, window_seconds=600, now=NOW)
    hit("submit_ip", "203.0.113.8", limit=3, window_seconds=600, now=NOW)

    assert [
        peek("submit_ip", "203.0.113.7", window_seconds=600, now=NOW),
        peek("lookup_ip", "203.0.113.7", window_seconds=600, now=NOW),
        peek("submit_ip", "203.0.113.8", window_seconds=600, now=NOW),
        peek("submit_phone", "203.0.113.7", window_seconds=600, now=NOW),
    ] == [2, 1, 1, 0]


def test_peek_does_not_count():
    hit("lookup_receipt", "SK-000123", limit=10, window_seconds=600, now=NOW)

    assert peek("lookup_receipt", "SK-000123", window_seconds=600, now=NOW) == 1
    assert peek("lookup_receipt", "SK-000123", window_seconds=600, now=NOW) == 1


def test_cache_key_is_hashed_and_holds_the_count():
    hit("submit_phone", "0912345678", limit=10, window_seconds=86400, now=NOW)

    key = cache_key("submit_phone", "0912345678", window_seconds=86400, now=NOW)

    assert "0912345678" not in key
    assert key == (
        "ratelimit:submit_phone:"
        "5a3cd9e117468450545f6f65d9b8dd130c1b292c280716114978dba93837ad95"
        f":86400:{NOW // 86400}"
    )
    assert cache.get(key) == 1


def test_check_reads_the_limit_for_the_scope(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "lookup_receipt": (2, 600)}

    results = [check("lookup_receipt", "SK-000123", now=NOW) for _ in range(3)]

    assert [(r.allowed, r.count, r.limit, r.retry_after) for r in results] == [
        (True, 1, 2, 500),
        (True, 2, 2, 500),
        (False, 3, 2, 500),
    ]


def test_counter_expires_from_the_cache_after_its_window():
    # The counter must not linger in Redis forever: its expiry follows the window's end.
    now = time.time()
    hit("submit_ip", "203.0.113.7", limit=3, window_seconds=600, now=now)
    key = cache_key("submit_ip", "203.0.113.7", window_seconds=600, now=now)

    if settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
        ttl = cache.ttl(key)
    else:
        ttl = cache._expire_info[cache.make_and_validate_key(key)] - time.time()

    left = 600 - int(now) % 600
    assert left <= ttl <= left + 5


@pytest.fixture
def redis_cache(settings):
    """The default cache on the CI Redis through django-redis, as production configures it."""
    url = redis_url("counters are tested on locmem only")
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-ratelimit-{uuid.uuid4().hex}",
        }
    }
    yield redis.Redis.from_url(url)
    cache.delete_pattern("*")


def test_on_redis_one_round_trip_counts_and_sets_the_window_expiry(redis_cache, monkeypatch):
    now = time.time()
    single, pipelines = [], []
    original = redis.client.Pipeline.execute
    monkeypatch.setattr(redis.Redis, "execute_command", lambda *args, **kw: single.append(args[1]))
    monkeypatch.setattr(
        redis.client.Pipeline,
        "execute",
        lambda pipe, *a, **kw: (
            pipelines.append(len(pipe.command_stack)) or original(pipe, *a, **kw)
        ),
    )

    results = [hit("submit_ip", "203.0.113.9", limit=2, window_seconds=60, now=now) for _ in "abc"]

    assert [(r.allowed, r.count) for r in results] == [(True, 1), (True, 2), (False, 3)]
    assert single == [] and pipelines == [2, 2, 2]  # INCR and EXPIRE, one round trip per hit
    monkeypatch.undo()
    name = cache.make_key(cache_key("submit_ip", "203.0.113.9", window_seconds=60, now=now))
    left = 60 - int(now) % 60
    assert left <= redis_cache.ttl(name) <= left + 5
    assert peek("submit_ip", "203.0.113.9", window_seconds=60, now=now) == 3
