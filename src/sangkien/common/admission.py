"""Admission control: the site takes at most settings.ADMISSION_LIMITS[scope] events per second
across every app process (counted in the shared cache, Redis in production), and answers the rest
at once with 503 and Retry-After instead of letting them queue until they time out.

A limit is set a little below what the deployment's workers keep answering during a surge
(docs/PERFORMANCE.md), so that what is admitted is answered quickly; 0 or no entry admits
everything. A refused person is asked to come back after about her turn: the people refused in the
last two minutes, divided by the limit.

A stored submission is let past the limit while the shared cache keeps its mark (`mark_stored`),
so that the retry of a form whose answer was lost gets its receipt at once.
"""

import logging
import random
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from sangkien.common import ratelimit

SITE_KEY = "site"
STORED_SECONDS = 24 * 3600  # how long a stored submission's retry is let past the limits
MAX_RETRY_AFTER = 120  # seconds: beyond that a person gives up rather than waits
clock = time.time  # the tests hold it still, so that two requests fall in one second
log = logging.getLogger("sangkien.admission")


def limited(scope: str) -> bool:
    """Whether a limit applies to `scope` (else the check can be skipped)."""
    return settings.ADMISSION_LIMITS.get(scope, 0) > 0


def check(scope: str, who: str = "") -> ratelimit.Limit | None:
    """Count one event of `scope` by `who` (a form's token); None if admitted, else the refusal
    with its Retry-After."""
    per_second = settings.ADMISSION_LIMITS.get(scope, 0)
    if per_second <= 0:
        return None
    now = clock()
    counted = ratelimit.hit(
        f"admission:{scope}", SITE_KEY, limit=per_second, window_seconds=1, now=now
    )
    if counted.allowed:
        return None
    # Spread the retries over a few seconds, so refused people do not all come back at once;
    # and the further this second is over the limit, the later.
    over = counted.count / per_second
    low = round(settings.ADMISSION_RETRY_AFTER * max(1.0, over / 2))
    # The second's count sees only the requests the workers take, so it cannot grow past what
    # they manage; the people refused in the last two minutes can. N of them waiting, at
    # `per_second` admitted a second, need about N / per_second seconds: told to come back then
    # (on average), their retries are about `per_second` a second however many they are, instead
    # of a crowd growing with every second of the surge, each retrying every few seconds.
    fair = _waiting(scope, who or secrets.token_hex(8), now) / per_second
    low = min(max(low, round(fair / 1.5)), MAX_RETRY_AFTER)
    wait = random.randint(low, min(2 * low, MAX_RETRY_AFTER))
    return ratelimit.Limit(False, counted.count, per_second, wait)


def _waiting(scope: str, who: str, now: float) -> int:
    """How many different people (`who`) were refused in this minute and the one before: a
    HyperLogLog in Redis (one round trip, about 1 % off, 12 KB a key), a set elsewhere."""
    minute = int(now // 60)
    current, previous = (f"admission:{scope}:waiting:{m}" for m in (minute, minute - 1))
    pipe = ratelimit.redis_pipeline()
    if pipe is not None:
        name, before = cache.make_key(current), cache.make_key(previous)
        pipe.pfadd(name, who)
        pipe.expire(name, 180)
        pipe.pfcount(name, before)
        _added, _set, count = pipe.execute()
        return int(count)
    seen = cache.get(current) or set()  # development and tests: one process, no race to mind
    seen.add(who)
    cache.set(current, seen, 180)
    return len(seen | (cache.get(previous) or set()))


def busy_message(refused: ratelimit.Limit) -> str:
    return _(
        "Hệ thống đang nhận rất nhiều sáng kiến cùng lúc nên chưa lưu được bài của bạn. Vui lòng "
        "bấm “Gửi sáng kiến” lại sau khoảng %(seconds)s giây; những gì bạn đã nhập vẫn được giữ "
        "nguyên."
    ) % {"seconds": refused.retry_after}


def mark_stored(key: str) -> None:
    """The submission with this idempotency key is stored: a retry of it is let past the limits
    (to the view, which answers its receipt) while the mark lasts in the shared cache."""
    try:
        cache.set(_stored_key(key), 1, STORED_SECONDS)
    except Exception:  # the cache is away: the stored form stands; a retry may wait its turn
        log.warning("could not mark a stored submission in the cache", exc_info=True)


def stored(key: str) -> bool:
    """Whether `mark_stored(key)` was said (and the cache still has it): one cache read."""
    try:
        return bool(cache.get(_stored_key(key)))
    except Exception:  # the cache is away: refused now, the receipt comes once admitted
        return False


def _stored_key(key: str) -> str:
    return f"admission:stored:{key}"
