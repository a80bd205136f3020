"""`make surge`: twice the sustained submission rate offered for a minute to the production-style
server, while one of its worker processes is killed and PostgreSQL is restarted; then every
acknowledged submission is looked for in the database.

A simulated member fills the form once and presses "Nộp" until a receipt comes back: after a
429/503 she waits the Retry-After the page gave, up to a minute (the page keeps what she typed,
so she sends the same form, the same form token), after a dropped connection or an error page a
second. The run
uses its own PostgreSQL server (bench.pgcluster), so restarting it disturbs nobody.

    python -m bench.surge [--rate N] [--seconds 60] [--admission N] [--ci]

--rate defaults to twice the sustained rate of bench/results.json (without it, of the last one
docs/PERFORMANCE.md records, 132.8/s), --admission (the site's admission limit per second) to a
third of the sustained rate: during the surge the load generator, its thousands of waiting
members and the refusals take more than half of this machine's 2 cores, and a limit the workers
cannot reach never refuses anything (docs/PERFORMANCE.md, section 3: at the sustained rate 26 of
56,446 attempts were refused and 47,981 timed out; at 60/s a run was clean and another was not;
at 44/s every attempt was answered).
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import aiohttp
import psycopg

from bench import load, server, submissions
from bench.pgcluster import Cluster

ROOT = Path(__file__).resolve().parent.parent
REDIS = os.environ.get("SURGE_REDIS", "redis://127.0.0.1:6379/7")


@dataclass
class Person:
    token: str
    phone: str
    receipt: str = ""
    attempts: int = 0
    answers: Counter = field(default_factory=Counter)


LAST_RECORDED = 132.8  # submissions a second, make bench of 7 December 2026 (docs/PERFORMANCE.md)


def sustained_rate() -> float:
    try:
        results = json.loads((ROOT / "bench" / "results.json").read_text())
        return float(results["submit"]["submit"]["per_second"])
    except (OSError, KeyError, ValueError):
        print(
            f"surge: no bench/results.json (make bench): the last sustained rate recorded, "
            f"{LAST_RECORDED}/s",
            file=sys.stderr,
        )
        return LAST_RECORDED


async def offer(
    base: str,
    info: dict,
    *,
    rate: float,
    seconds: float,
    give_up_after: float,
    events: list[tuple[float, str, object]],
) -> tuple[list[Person], list[tuple[float, str]], Counter, Counter]:
    """Offer `rate` new members per second for `seconds`; each retries until acknowledged or
    `give_up_after` seconds after the offer ended. `events` are (second, name, action) run
    during the offer (kill a worker, restart PostgreSQL)."""
    form = submissions.PublicForm(
        base, info["program"], info["units"], date.fromisoformat(info["applied_from"])
    )
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    pool = [load._session(connector, 20) for _ in range(100)]
    people: list[Person] = []
    happened: list[tuple[float, str]] = []
    timeline: Counter = Counter()  # (10-second slice of the run, answer) -> attempts
    failures: Counter = Counter()  # why an attempt got no answer: the client's error
    try:
        await asyncio.gather(*(form.prepare(s) for s in pool))
        begin = time.perf_counter()
        stop = begin + seconds + give_up_after

        async def member(session, body):
            person = Person(body["form_token"], body["author_phone"])
            people.append(person)
            while time.perf_counter() < stop:
                person.attempts += 1
                try:
                    status, headers, _tag = await form.post(session, body)
                except submissions.TokenError as error:
                    status, headers = 0, {}
                    failures[_why(error.__cause__)] += 1
                person.answers[status] += 1
                timeline[int((time.perf_counter() - begin) // SLICE), status] += 1
                if submissions.acknowledged(status, headers):
                    person.receipt = headers["Location"].rstrip("/").rsplit("/", 1)[1]
                    return
                if status in (429, 503):
                    # The page says how many seconds to wait; she waits about that, up to a
                    # minute (until the third session: up to 15 s, whatever the page said).
                    wait = min(float(headers.get("Retry-After", "5")), PATIENCE)
                else:  # a dropped connection, a killed worker: try again shortly
                    wait = 1.0
                await asyncio.sleep(wait * random.uniform(0.8, 1.2))

        async def side_events():
            for at, name, action in sorted(events, key=lambda e: e[0]):
                delay = begin + at - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                await asyncio.to_thread(action)
                happened.append((round(time.perf_counter() - begin, 1), name))

        tasks = [asyncio.create_task(side_events())]
        for i in range(int(rate * seconds)):
            delay = begin + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(member(pool[i % len(pool)], form.new_body())))
        await asyncio.gather(*tasks)
    finally:
        await asyncio.gather(*(s.close() for s in pool))
        await connector.close()
    return people, happened, timeline, failures


def _why(error: BaseException | None) -> str:
    """A short name for a failed attempt: the exception, and the system error under it."""
    name = type(error).__name__
    os_error = getattr(error, "os_error", None) or error
    errno = getattr(os_error, "errno", None)
    return f"{name} ({os.strerror(errno)})" if errno else name


SLICE = 10  # seconds per row of the timeline
PATIENCE = 60  # seconds a member waits at most when the page asks her to


def check(database_url: str, people: list[Person]) -> dict:
    """What the database holds for the run's form tokens, against what members were told."""
    keys = [f"web:{p.token}" for p in people]
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT idempotency_key, receipt FROM initiatives_initiative "
            "WHERE idempotency_key = ANY(%s)",
            (keys,),
        ).fetchall()
        doubled = conn.execute(
            "SELECT count(*) FROM (SELECT a.phone_hash FROM initiatives_author a "
            "JOIN initiatives_initiative i ON i.id = a.initiative_id "
            "WHERE a.position = 0 AND i.idempotency_key LIKE 'web:%%' "
            "GROUP BY a.phone_hash HAVING count(*) > 1) d"
        ).fetchone()[0]
    stored = Counter(key for key, _receipt in rows)
    receipt_of = {key: receipt for key, receipt in rows}
    acked = [p for p in people if p.receipt]
    lost = [p for p in acked if stored[f"web:{p.token}"] != 1]
    wrong = [p for p in acked if receipt_of.get(f"web:{p.token}") != p.receipt]
    answers = Counter()
    for p in people:
        answers.update(p.answers)
    return {
        "offered": len(people),
        "acknowledged": len(acked),
        "refused_at_least_once": sum(1 for p in people if p.answers[429] or p.answers[503]),
        "never_acknowledged": len(people) - len(acked),
        "stored": len(rows),
        "stored_twice": sum(1 for n in stored.values() if n > 1) + doubled,
        "acknowledged_not_stored": len(lost),
        "receipt_mismatch": len(wrong),
        "stored_not_acknowledged": sum(
            1 for p in people if not p.receipt and stored[f"web:{p.token}"]
        ),
        "answers": {str(k): v for k, v in sorted(answers.items())},
        "attempts": sum(p.attempts for p in people),
    }


@contextlib.contextmanager
def small_site(*, admission: int, scale: float, log=print):
    """A PostgreSQL server of its own with a small tree (`scale` of the country) and the open
    demo programme, and the production-style environment for it with the site's admission limit
    at `admission` a second: (cluster, environment, bench.tasks.setup()'s answer)."""
    with Cluster.primary(settings={"max_connections": 200}) as pg:
        pg.create_database("sangkien")
        var = Path(tempfile.mkdtemp(prefix="surge-"))
        try:
            env = server.server_env(
                pg.url("sangkien"), REDIS, var, ADMISSION_SUBMIT_PER_SECOND=str(admission)
            )
            log(f"surge: preparing a database on {pg!r}…")
            server.manage(env, "migrate", "--noinput", "--verbosity", "0")
            server.manage(env, "load_national_tree")
            server.manage(env, "load_programs")
            server.manage(env, "generate_demo_units", "--scale", str(scale))
            info = json.loads(
                server.manage(
                    env,
                    "shell",
                    "-c",
                    "from bench.tasks import setup; import json; print(json.dumps(setup()))",
                )
                .strip()
                .splitlines()[-1]
            )
            yield pg, env, info
        finally:
            shutil.rmtree(var, ignore_errors=True)


def run(
    *,
    rate: float,
    seconds: float,
    admission: int,
    workers: int = 4,
    scale: float = 0.01,
    kill_at: float | None = None,
    restart_at: float | None = None,
    give_up_after: float = 60,
    log=print,
) -> dict:
    with small_site(admission=admission, scale=scale, log=log) as (pg, env, info):
        database_url = env["DATABASE_URL"]
        with server.Server(env, workers=workers) as app, server.Command(env, "numbers_worker"):
            events = []
            if kill_at is not None:
                events.append((kill_at, "killed a gunicorn worker", app.kill_worker))
            if restart_at is not None:
                events.append((restart_at, "restarted PostgreSQL", pg.restart))
            log(f"surge: offering {rate:.0f}/s for {seconds:.0f} s (admission {admission}/s)…")
            started = time.perf_counter()
            people, happened, timeline, failures = asyncio.run(
                offer(
                    app.base,
                    info,
                    rate=rate,
                    seconds=seconds,
                    give_up_after=give_up_after,
                    events=events,
                )
            )
            took = time.perf_counter() - started
        result = check(database_url, people)
        result.update(
            {
                "offered_per_second": rate,
                "seconds": seconds,
                "admission_per_second": admission,
                "workers": workers,
                "events": happened,
                "timeline": [
                    {
                        "from_second": i * SLICE,
                        **{str(k): n for (j, k), n in sorted(timeline.items()) if j == i},
                    }
                    for i in range(max((j for j, _k in timeline), default=-1) + 1)
                ],
                "no_answer_because": dict(failures.most_common()),
                "wall_seconds": round(took, 1),
            }
        )
        return result


def table(result: dict) -> str:
    lines = [
        f"offered                      {result['offered']:>8}  ({result['offered_per_second']:.0f}/s for {result['seconds']:.0f} s)",
        f"acknowledged                 {result['acknowledged']:>8}",
        f"refused at least once        {result['refused_at_least_once']:>8}  (429/503 with Retry-After)",
        f"never acknowledged           {result['never_acknowledged']:>8}",
        f"stored                       {result['stored']:>8}",
        f"acknowledged but not stored  {result['acknowledged_not_stored']:>8}",
        f"stored twice                 {result['stored_twice']:>8}",
        f"answers                      {result['answers']}",
        f"events                       {result['events']}",
        f"no answer because            {result['no_answer_because']}",
        f"answers per {SLICE} s:",
    ]
    codes = sorted({k for row in result["timeline"] for k in row if k != "from_second"}, key=int)
    lines.append("  from s  " + "".join(f"{('none' if k == '0' else k):>8}" for k in codes))
    for row in result["timeline"]:
        lines.append(f"  {row['from_second']:>6}  " + "".join(f"{row.get(k, 0):>8}" for k in codes))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--admission", type=int)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "4")))
    args = parser.parse_args()
    sustained = sustained_rate()
    rate = args.rate or 2 * sustained
    admission = args.admission or max(1, round(sustained / 3))
    result = run(
        rate=rate,
        seconds=args.seconds,
        admission=admission,
        workers=args.workers,
        kill_at=args.seconds / 3,
        restart_at=args.seconds / 2,
        log=lambda text: print(text, file=sys.stderr),
    )
    out = ROOT / "bench" / "surge.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(table(result))
    ok = (
        result["acknowledged_not_stored"] == 0
        and result["stored_twice"] == 0
        and result["receipt_mismatch"] == 0
    )
    print("every acknowledged submission stored exactly once" if ok else "LOSS OR DOUBLE FOUND")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
