"""Admission control: the site takes at most settings.ADMISSION_LIMITS[scope] events per second
across every app process (counted in the shared cache, Redis in production), and answers the rest
at once with 503 and Retry-After instead of letting them queue until they time out.

A limit is set from the measured capacity of the deployment (docs/PERFORMANCE.md), a little
below it, so that what is admitted is answered quickly; 0 or no entry admits everything.
"""

import random
import time

from django.conf import settings
from django.utils.translation import gettext as _

from sangkien.common import ratelimit

SITE_KEY = "site"
MAX_RETRY_AFTER = 120  # seconds: beyond that a person gives up rather than waits
clock = time.time  # the tests hold it still, so that two requests fall in one second


def check(scope: str) -> ratelimit.Limit | None:
    """Count one event of `scope`; None if admitted, else the refusal (with its Retry-After)."""
    per_second = settings.ADMISSION_LIMITS.get(scope, 0)
    if per_second <= 0:
        return None
    counted = ratelimit.hit(
        f"admission:{scope}", SITE_KEY, limit=per_second, window_seconds=1, now=clock()
    )
    if counted.allowed:
        return None
    # Spread the retries over a few seconds, so refused people do not all come back at once;
    # and the further this second is over the limit, the later: a surge of N times the limit
    # takes about N seconds of capacity for each of its seconds, and every early retry is one
    # more refusal to answer meanwhile.
    over = counted.count / per_second
    low = min(round(settings.ADMISSION_RETRY_AFTER * max(1.0, over / 2)), MAX_RETRY_AFTER)
    wait = random.randint(low, min(2 * low, MAX_RETRY_AFTER))
    return ratelimit.Limit(False, counted.count, per_second, wait)


def busy_message(refused: ratelimit.Limit) -> str:
    return _(
        "Hệ thống đang nhận rất nhiều sáng kiến cùng lúc nên chưa lưu được bài của bạn. Vui lòng "
        "bấm “Gửi sáng kiến” lại sau khoảng %(seconds)s giây; những gì bạn đã nhập vẫn được giữ "
        "nguyên."
    ) % {"seconds": refused.retry_after}
