"""`make surge`: twice the sustained submission rate offered for a minute to the production-style
server, while one of its worker processes is killed and PostgreSQL is restarted; then every
acknowledged submission is looked for in the database.

A simulated member fills the form once and presses "Nộp" until a receipt comes back: after a
429/503 she waits the Retry-After the page gave, up to a minute (the page keeps what she typed,
so she sends the same form, the same form token), after a dropped connection or an error page a
second. The run
uses its own PostgreSQL server (bench.pgcluster), so restarting it disturbs nobody.

    python -m bench.surge [--rate N] [--seconds 60] [--admission N] [--ci]

--rate defaults to twice the sustained rate of bench/results.json (or 2 × 350), --admission (the
site's admission limit per second) to the sustained rate.
"""

import argparse
import asyncio
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


def sustained_rate() -> float:
    try:
        results = json.loads((ROOT / "bench" / "results.json").read_text())
        return float(results["submit"]["submit"]["per_second"])
    except (OSError, KeyError, ValueError):
        return 350.0


async def offer(
    base: str,
    info: dict,
    *,
    rate: float,
    seconds: float,
    give_up_after: float,
    events: list[tuple[float, str, object]],
) -> tuple[list[Person], list[tuple[float, str]]]:
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
                except submissions.TokenError:
                    status, headers = 0, {}
                person.answers[status] += 1
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
    return people, happened


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
    with Cluster.primary(settings={"max_connections": 200}) as pg:
        pg.create_database("sangkien")
        database_url = pg.url("sangkien")
        var = Path(tempfile.mkdtemp(prefix="surge-"))
        env = server.server_env(
            database_url, REDIS, var, ADMISSION_SUBMIT_PER_SECOND=str(admission)
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
        with server.Server(env, workers=workers) as app, server.Command(env, "numbers_worker"):
            events = []
            if kill_at is not None:
                events.append((kill_at, "killed a gunicorn worker", app.kill_worker))
            if restart_at is not None:
                events.append((restart_at, "restarted PostgreSQL", pg.restart))
            log(f"surge: offering {rate:.0f}/s for {seconds:.0f} s (admission {admission}/s)…")
            started = time.perf_counter()
            people, happened = asyncio.run(
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
        shutil.rmtree(var, ignore_errors=True)
        result.update(
            {
                "offered_per_second": rate,
                "seconds": seconds,
                "admission_per_second": admission,
                "workers": workers,
                "events": happened,
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
    ]
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
    admission = args.admission or max(1, int(sustained))
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
