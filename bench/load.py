"""HTTP load from asyncio clients (aiohttp): closed loop (N clients, each sending its next request
when the last one answered) and open loop (requests offered at a fixed rate, whatever the server
does). Every request's outcome is kept, so the caller can count and check what was acknowledged.
"""

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp


@dataclass
class Outcome:
    status: int  # HTTP status, or 0 when no answer came (connection refused, reset, timeout)
    seconds: float
    started: float
    tag: object = None  # what the request carried (e.g. its form token), for checks afterwards
    headers: dict = field(default_factory=dict)


@dataclass
class Run:
    outcomes: list[Outcome]
    seconds: float

    def statuses(self) -> Counter:
        return Counter(o.status for o in self.outcomes)

    def latencies(self, ok: Callable[[Outcome], bool] = lambda o: o.status != 0) -> list[float]:
        return sorted(o.seconds for o in self.outcomes if ok(o))

    def rate(self, ok: Callable[[Outcome], bool]) -> float:
        return sum(1 for o in self.outcomes if ok(o)) / self.seconds if self.seconds else 0.0


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile (nearest rank) of sorted values, or None for none."""
    if not values:
        return None
    rank = max(1, round(p / 100 * len(values) + 0.5))
    return values[min(len(values), rank) - 1]


# A request: given the client's HTTP session, send one request and answer (status, headers, tag).
Request = Callable[[aiohttp.ClientSession], Awaitable[tuple[int, dict, object]]]


def _session(connector: aiohttp.BaseConnector, timeout: float) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=connector,
        connector_owner=False,
        timeout=aiohttp.ClientTimeout(total=timeout),
        cookie_jar=aiohttp.CookieJar(unsafe=True),  # 127.0.0.1 is an IP address
    )


async def _timed(session, request: Request, outcomes: list[Outcome]) -> None:
    started = time.perf_counter()
    try:
        status, headers, tag = await request(session)
    except (TimeoutError, aiohttp.ClientError) as error:
        status, headers, tag = 0, {}, getattr(error, "tag", None)
    outcomes.append(Outcome(status, time.perf_counter() - started, started, tag, headers))


async def closed_loop(
    *,
    clients: int,
    seconds: float,
    request: Request,
    prepare: Callable[[aiohttp.ClientSession], Awaitable[None]] | None = None,
    warmup: float = 2.0,
    timeout: float = 30.0,
) -> Run:
    """`clients` clients send requests back to back for `seconds` (after `warmup` seconds whose
    requests are not kept). `prepare` runs once per client first (e.g. to fetch the form)."""
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    sessions = [_session(connector, timeout) for _ in range(clients)]
    try:
        if prepare is not None:
            await asyncio.gather(*(prepare(s) for s in sessions))
        outcomes: list[Outcome] = []
        discard: list[Outcome] = []
        begin = time.perf_counter()
        measure_from = begin + warmup
        stop_at = measure_from + seconds

        async def client(session):
            while True:
                now = time.perf_counter()
                if now >= stop_at:
                    return
                await _timed(session, request, outcomes if now >= measure_from else discard)

        await asyncio.gather(*(client(s) for s in sessions))
        # Requests that started inside the window count; the window is what they took to finish.
        kept = [o for o in outcomes if o.started < stop_at]
        end = max((o.started + o.seconds for o in kept), default=stop_at)
        return Run(kept, max(end, stop_at) - measure_from)
    finally:
        await asyncio.gather(*(s.close() for s in sessions))
        await connector.close()


async def open_loop(
    *,
    rate: float,
    seconds: float,
    request: Request,
    sessions: int = 200,
    prepare: Callable[[aiohttp.ClientSession], Awaitable[None]] | None = None,
    timeout: float = 30.0,
    during: Callable[[float], Awaitable[None]] | None = None,
) -> Run:
    """Offer `rate` requests per second for `seconds`, whether or not earlier ones answered (as
    many people pressing "Nộp" at once do). Each request uses the next of `sessions` browsers.
    `during(elapsed)` is awaited alongside, for events in the middle of the run (kill a worker)."""
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    pool = [_session(connector, timeout) for _ in range(sessions)]
    try:
        if prepare is not None:
            await asyncio.gather(*(prepare(s) for s in pool))
        outcomes: list[Outcome] = []
        tasks = []
        begin = time.perf_counter()
        side = asyncio.create_task(during(begin)) if during is not None else None
        total = int(rate * seconds)
        for i in range(total):
            due = begin + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_timed(pool[i % sessions], request, outcomes)))
        await asyncio.gather(*tasks)
        if side is not None:
            await side
        return Run(outcomes, time.perf_counter() - begin)
    finally:
        await asyncio.gather(*(s.close() for s in pool))
        await connector.close()
