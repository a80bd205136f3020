"""When, where and with what outcome each generated initiative was submitted: the daily curve
of a campaign, the grassroots union, the status and the instants of its history.

The curve of a phase: a slow start (a ramp over the first weeks), the weekly rhythm (Saturday
and Sunday quieter), holidays (Tết, 30/4–1/5, 2/9) almost empty, a bump before each quarter's
end (the quarterly recognition), and a surge over the last weeks before the phase deadline that
peaks on the last day (about 50,000 submissions on the last day of the programme at national
size, seed 003's surge before 31/5/2022 smaller). Hours follow office and evening rhythms, with
a last-evening rush on the deadline day.

Everything is drawn from one `random.Random(seed)` in one process, in a fixed order, so a seed
gives the same country. Arrays (not lists of objects) keep 2.5 million initiatives in a few
hundred megabytes that the worker processes share after the fork.
"""

import math
import random
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sangkien.common.timewindows import VN_TZ

# Statuses in the plan (the worker turns them into initiatives.enums.Status).
SUBMITTED, NEEDS_INFO, ELIGIBLE, NOT_ELIGIBLE, WITHDRAWN = range(5)
STATUS_NAMES = ["submitted", "needs_info", "eligible", "not_eligible", "withdrawn"]
# Near duplicates: an exact resubmission typed again (same content_key), or an edited copy.
RETYPED, EDITED = 1, 2
NATIONAL_INITIATIVES = 2_500_000
# Phase shares of the initiatives and the peak day as a share of all initiatives (2 % of 2.5
# million = 50,000 on the programme's last day). Seed 003's figures: 300,000 reached in the
# first ~140 days, 2.4 million at the close.
PHASE_SHARES = {1: 0.2, 2: 0.8}
PEAK_SHARES = {1: 0.009, 2: 0.02}
SHARE_WITHDRAWN = 0.04
# Of the initiatives a union's reviewers decided: eligible, not eligible, still needing info.
DECIDED_SPLIT = [(ELIGIBLE, 28), (NOT_ELIGIBLE, 8), (NEEDS_INFO, 5)]
SHARE_DECIDED = 0.41  # with 4 % withdrawn: about 55 % left submitted
SHARE_RETYPED, SHARE_EDITED = 0.003, 0.007
HOURS = [
    0.2,
    0.1,
    0.05,
    0.05,
    0.1,
    0.3,
    0.8,
    2.5,
    5,
    7,
    7,
    5,
    3,
    4,
    6.5,
    7,
    6,
    4,
    3,
    4,
    5.5,
    5.5,
    4,
    2.5,
]
WEEKDAY = [1.0, 1.0, 1.0, 1.0, 0.95, 0.65, 0.4]
HOLIDAYS = [  # (first day, last day, factor)
    (date(2022, 1, 29), date(2022, 2, 6), 0.12),  # Tết Nhâm Dần
    (date(2022, 4, 10), date(2022, 4, 11), 0.5),  # Giỗ Tổ Hùng Vương
    (date(2022, 4, 30), date(2022, 5, 3), 0.35),
    (date(2022, 9, 1), date(2022, 9, 4), 0.4),
    (date(2022, 12, 31), date(2023, 1, 2), 0.45),
    (date(2023, 1, 20), date(2023, 1, 26), 0.12),  # Tết Quý Mão
    (date(2023, 4, 29), date(2023, 5, 3), 0.35),
]


@dataclass
class Union:
    """A grassroots union that can receive initiatives: one placement over the whole window."""

    id: int
    path: str
    block: str
    members: int

    @property
    def superior_id(self) -> int:
        return int(self.path.strip("/").split("/")[-2])

    @property
    def direct_id(self) -> int:
        return int(self.path.strip("/").split("/")[1])


@dataclass
class PhaseWindow:
    id: int
    number: int
    opens: datetime
    closes: datetime


@dataclass
class Plan:
    n: int
    unions: list[Union]
    phases: list[PhaseWindow]
    ts: array = field(default_factory=lambda: array("q"))  # submitted_at, epoch seconds
    usec: array = field(default_factory=lambda: array("i"))  # microseconds of submitted_at
    union: array = field(default_factory=lambda: array("i"))  # index into unions
    phase: array = field(default_factory=lambda: array("b"))  # index into phases
    ordinal: array = field(default_factory=lambda: array("i"))  # place among its union's
    status: array = field(default_factory=lambda: array("b"))
    # History instants (epoch seconds, 0 when absent): asked for information, answered, final.
    asked: array = field(default_factory=lambda: array("q"))
    answered: array = field(default_factory=lambda: array("q"))
    decided: array = field(default_factory=lambda: array("q"))
    copy_of: array = field(default_factory=lambda: array("i"))  # index of the original, or -1
    copy_kind: array = field(default_factory=lambda: array("b"))
    counts: list[int] = field(default_factory=list)  # initiatives per union
    person_base: list[int] = field(default_factory=list)  # first person number per union
    per_day: dict[date, int] = field(default_factory=dict)


def _holiday(day: date) -> float:
    return next((f for first, last, f in HOLIDAYS if first <= day <= last), 1.0)


def _quarter_end(day: date) -> date:
    month = ((day.month - 1) // 3 + 1) * 3
    return (date(day.year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def _days(window: PhaseWindow) -> list[date]:
    first = window.opens.astimezone(VN_TZ).date()
    last = (window.closes - timedelta(microseconds=1)).astimezone(VN_TZ).date()
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def daily_counts(window: PhaseWindow, total: int, peak: int) -> dict[date, int]:
    """Initiatives per day of a phase, summing to `total`, the busiest day close to `peak`."""
    days = _days(window)
    tau = 6.0 if len(days) > 200 else 5.0

    def weights(surge: float) -> list[float]:
        out = []
        for k, day in enumerate(days):
            left = len(days) - 1 - k
            base = (1 - math.exp(-(k + 0.5) / 12)) * WEEKDAY[day.weekday()] * _holiday(day)
            to_quarter = (_quarter_end(day) - day).days
            bump = 1 + (0.6 * math.exp(-to_quarter / 4) if left > 20 else 0)
            rush = surge * math.exp(-left / tau) * (0.8 if day.weekday() >= 5 else 1.0)
            out.append(base * bump + rush)
        return out

    low, high = 0.0, 1e6
    for _step in range(60):  # the surge that makes the busiest day `peak`
        mid = (low + high) / 2
        w = weights(mid)
        if total * max(w) / sum(w) < peak:
            low = mid
        else:
            high = mid
    w = weights(low)
    exact = [total * x / sum(w) for x in w]
    counts = [int(x) for x in exact]
    order = sorted(range(len(days)), key=lambda k: exact[k] - counts[k], reverse=True)
    for k in order[: total - sum(counts)]:
        counts[k] += 1
    return dict(zip(days, counts, strict=True))


def _instants(rng: random.Random, day: date, count: int, window: PhaseWindow, rush: bool):
    """`count` sorted instants (epoch seconds, microseconds) of one day inside the window."""
    start = int(datetime(day.year, day.month, day.day, tzinfo=VN_TZ).timestamp())
    lo = max(start, int(window.opens.timestamp()))
    hi = min(start + 86400, int(window.closes.timestamp()))
    hours = [
        (w * (2.5 if rush and h >= 19 else 1.0)) if lo < start + (h + 1) * 3600 else 0.0
        for h, w in enumerate(HOURS)
    ]
    picked = rng.choices(range(24), weights=hours, k=count)
    return sorted(
        (min(hi - 1, max(lo, start + h * 3600 + rng.randrange(3600))), rng.randrange(1_000_000))
        for h in picked
    )


def build(
    *,
    unions: list[Union],
    phases: list[PhaseWindow],
    n: int,
    seed: int,
    now: datetime,
    progress=None,
) -> Plan:
    rng = random.Random(seed)
    plan = Plan(n=n, unions=unions, phases=phases)
    numbers = [p.number for p in phases]
    shares = [PHASE_SHARES.get(x, 0.0) for x in numbers]
    if len(phases) != 2 or sum(shares) <= 0:
        shares = [len(_days(p)) for p in phases]
    totals = [round(n * s / sum(shares)) for s in shares]
    totals[-1] = n - sum(totals[:-1])
    # A union's pull: its size (less than in proportion) times its zeal; some never take part.
    zeal = [
        0.0 if rng.random() < 0.1 else (max(u.members, 5) ** 0.8) * rng.lognormvariate(0, 0.9)
        for u in unions
    ]
    review = [0.0 if rng.random() < 0.3 else rng.uniform(0.3, 1.0) for _u in unions]
    done = 0
    for index, (window, total) in enumerate(zip(phases, totals, strict=True)):
        active = [z if rng.random() < 0.92 else 0.0 for z in zeal]
        cumulative, running = [], 0.0
        for z in active:
            running += z
            cumulative.append(running)
        peak = round(n * PEAK_SHARES.get(window.number, 0.02))
        per_day = daily_counts(window, total, max(peak, 1))
        plan.per_day.update(per_day)
        days = sorted(per_day)
        for day in days:
            count = per_day[day]
            if not count:
                continue
            rush = day == days[-1]
            chosen = rng.choices(range(len(unions)), cum_weights=cumulative, k=count)
            for (t, us), u in zip(_instants(rng, day, count, window, rush), chosen, strict=True):
                plan.ts.append(t)
                plan.usec.append(us)
                plan.union.append(u)
                plan.phase.append(index)
            done += count
            if progress:
                progress(done, n)
    plan.counts = [0] * len(unions)
    for u in plan.union:
        plan.ordinal.append(plan.counts[u])
        plan.counts[u] += 1
    running = 0
    for c in plan.counts:
        plan.person_base.append(running)
        running += 5 * c
    _outcomes(plan, rng, review, int(now.timestamp()))
    return plan


def _outcomes(plan: Plan, rng: random.Random, review: list[float], now: int) -> None:
    """Status, history instants and near-duplicate copies of every initiative."""
    weighted = sum(review[u] for u in plan.union) / max(plan.n, 1)
    scale = SHARE_DECIDED / (1 - SHARE_WITHDRAWN) / max(weighted, 1e-9)
    split = [s for s, _w in DECIDED_SPLIT]
    split_cum = []
    running = 0
    for _s, w in DECIDED_SPLIT:
        running += w
        split_cum.append(running)
    closes = [int(p.closes.timestamp()) for p in plan.phases]
    last_in_union = [-1] * len(plan.unions)
    for i in range(plan.n):
        t, u, close = plan.ts[i], plan.union[i], closes[plan.phase[i]]
        kind, original = 0, -1
        draw = rng.random()
        if i and draw < SHARE_RETYPED + SHARE_EDITED:
            k = last_in_union[u] if rng.random() < 1 / 3 else rng.randrange(i)
            if k >= 0 and plan.copy_kind[k] == 0 and plan.status[k] != WITHDRAWN:
                kind, original = (RETYPED if draw < SHARE_RETYPED else EDITED), k
        plan.copy_kind.append(kind)
        plan.copy_of.append(original)
        last_in_union[u] = i
        asked = answered = decided = 0
        left = close - t  # seconds until the phase closes: withdrawing and answering end then
        if rng.random() < SHARE_WITHDRAWN and left > 120:
            status = WITHDRAWN
            decided = t + max(60, int(left * rng.random() * 0.3))
        elif rng.random() < min(1.0, review[u] * scale):
            status = split[bisect_right(split_cum, rng.random() * split_cum[-1])]
            delay = int(86400 * rng.lognormvariate(math.log(10), 0.9))
            if status == NEEDS_INFO and left <= 120:
                status = SUBMITTED
            elif status == NEEDS_INFO:
                asked = t + max(60, min(delay, left // 2))
                decided = asked
            else:
                decided = min(now - 86400, t + max(600, delay))
                if rng.random() < 0.12 and left > 4 * 3600:
                    asked = t + max(60, int((min(close, decided) - t) * rng.uniform(0.1, 0.4)))
                    if status == ELIGIBLE or rng.random() < 0.5:
                        answered = asked + max(60, int((close - asked) * rng.uniform(0.05, 0.4)))
                    decided = max(decided, (answered or asked) + 3600)
        else:
            status = SUBMITTED
        plan.status.append(status)
        plan.asked.append(asked)
        plan.answered.append(answered)
        plan.decided.append(decided)


def epoch_to_datetime(seconds: int, usec: int = 0) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).replace(microsecond=usec)
