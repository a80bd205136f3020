"""Fixed-window rate limits counted in the shared cache (Redis in production, locmem otherwise)."""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    """The outcome of counting one event: whether it is allowed, and when the window ends."""

    allowed: bool
    count: int
    limit: int
    retry_after: int


def _window(window_seconds: int, now: float | None) -> tuple[int, int]:
    """The current window's number and the whole seconds left in it (at least 1)."""
    instant = int(time.time() if now is None else now)
    number = instant // window_seconds
    return number, max(1, (number + 1) * window_seconds - instant)


def cache_key(scope: str, key: str, *, window_seconds: int, now: float | None = None) -> str:
    """The counter's cache key for the window containing `now`.

    The key is hashed so that phone numbers and addresses never sit in the cache in clear; the
    window number is part of it so that a counter can never spill into the next window, whatever
    the cache's expiry granularity.
    """
    digest = hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()
    number, _left = _window(window_seconds, now)
    return f"ratelimit:{scope}:{digest}:{window_seconds}:{number}"


def hit(
    scope: str, key: str, *, limit: int, window_seconds: int, now: float | None = None
) -> Limit:
    """Count one event for `key` in `scope`; allowed while the window's count is at most `limit`."""
    counter = cache_key(scope, key, window_seconds=window_seconds, now=now)
    _number, left = _window(window_seconds, now)
    # The slack keeps the counter readable until its window has surely ended.
    count = _count(counter, left + 5)
    return Limit(allowed=count <= limit, count=count, limit=limit, retry_after=left)


def redis_pipeline():
    """A pipeline on the cache's Redis (one round trip for its commands), or None when the cache
    is not django-redis (locmem in development and tests)."""
    redis = getattr(cache, "client", None)
    if redis is None or not hasattr(redis, "get_client"):
        return None
    return redis.get_client(write=True).pipeline(transaction=False)


def _count(counter: str, timeout: int) -> int:
    """Add one to the counter and answer its new value.

    On Redis (django-redis) INCR and EXPIRE go in one pipeline: one round trip, atomic per
    command, so concurrent requests never lose a count; the expiry is the same end of window
    whichever request sets it. Other caches: add + incr, atomic under locmem's lock."""
    pipe = redis_pipeline()
    if pipe is not None:
        name = cache.make_key(counter)
        pipe.incr(name)
        pipe.expire(name, timeout)
        count, _set = pipe.execute()
        return int(count)
    cache.add(counter, 0, timeout=timeout)
    try:
        return cache.incr(counter)
    except ValueError:
        # Evicted between add and incr (a full cache): start the window again from this event.
        cache.set(counter, 1, timeout=timeout)
        return 1


def peek(scope: str, key: str, *, window_seconds: int, now: float | None = None) -> int:
    """The events counted for `key` in `scope` in the current window, without counting one."""
    return int(cache.get(cache_key(scope, key, window_seconds=window_seconds, now=now), 0))


def check(scope: str, key: str, *, now: float | None = None) -> Limit:
    """Count one event against the limit configured for `scope` in settings.RATE_LIMITS."""
    limit, window_seconds = settings.RATE_LIMITS[scope]
    return hit(scope, key, limit=limit, window_seconds=window_seconds, now=now)
