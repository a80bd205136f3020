"""Where a request's time goes: one kind of request of `make bench`, sent N times in-process
through Django's test client (the whole middleware stack, the production settings of the
benchmark, the generated country of BENCH_URL), under cProfile, with the queries counted.

    python -m bench.profile submit|refused|lookup|queue|dashboard[:k]|honour|similar [-n 200]
                            [--top 30]
                            [--plain]

It prints the mean wall time per request, the mean number of queries and their time, the
slowest query shapes, and the profile's top functions by own time (`--plain`: the mean wall
time only, without the profiler's overhead). It uses BENCH_URL and
BENCH_REDIS as `make bench` does and leaves the rows it submitted in place (like the benchmark's
own, they are ordinary submissions of the open programme).
"""

import argparse
import collections
import cProfile
import io
import os
import pstats
import random
import re
import secrets
import sys
import time
from datetime import date

from bench import server
from bench.run import DB, REDIS, ROOT, VAR, task


def _setup_env() -> dict:
    """The benchmark's environment in this process, and its setup (programme, officer, units)."""
    VAR.mkdir(parents=True, exist_ok=True)
    env = server.server_env(DB, REDIS, VAR)
    os.environ.update(env)
    return task(env, "setup")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--plain", action="store_true", help="no profiler: the wall time only")
    parser.add_argument(
        "--only", default="sangkien|bench", help="the cumulative list: functions whose path matches"
    )
    args = parser.parse_args()
    info = _setup_env()
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import submissions

    client = Client(HTTP_HOST="127.0.0.1")
    rng = random.Random(11)
    applied_from = date.fromisoformat(info["applied_from"])
    program = info["stats_program"]
    units = info["dashboard_units"]
    receipts = info["receipts"]

    kind, _, which = args.kind.partition(":")
    if kind in {"queue", "dashboard", "similar"}:
        client.post(
            "/office/dang-nhap/", {"username": info["officer"], "password": info["password"]}
        )
    submit_url = f"/chuong-trinh/{info['program']}/nop/"
    lookups = []

    if kind == "refused":  # the surge's refusal: the site's admission limit of 1 a second
        from django.conf import settings

        settings.ADMISSION_LIMITS = {**settings.ADMISSION_LIMITS, "submit": 1}

    def request(i: int):
        if kind in {"submit", "refused"}:
            body = submissions.form_body(
                rng, rng.choice(info["units"]), secrets.token_urlsafe(24), applied_from
            )
            response = client.post(submit_url, body)
            if response.status_code == 302:
                lookups.append(
                    (response["Location"].rstrip("/").rsplit("/", 1)[1], body["author_phone"])
                )
            return response
        if kind == "lookup":
            receipt, phone = lookups[i % len(lookups)] if lookups else (receipts[i % 200], "0")
            return client.get(f"/api/v1/initiatives/{receipt}?phone={phone}")
        if kind == "queue":
            return client.get("/office/sang-kien/")
        if kind == "dashboard":
            unit = units[int(which or 0)]
            return client.get(f"/office/thong-ke/{unit}/?program={program}")
        if kind == "honour":
            return client.get(f"/vinh-danh/?program={program}")
        if kind == "similar":
            return client.get(f"/office/sang-kien/{receipts[i % len(receipts)]}/tuong-tu/")
        raise SystemExit(f"unknown kind {kind}")

    if kind == "lookup":  # receipts with a phone we know: submit a few first
        kind = "submit"
        for i in range(20):
            request(i)
        kind = "lookup"
    statuses = collections.Counter(request(i).status_code for i in range(3))  # warm caches
    if args.plain:
        started = time.perf_counter()
        for i in range(args.n):
            statuses[request(i).status_code] += 1
        wall = time.perf_counter() - started
        print(f"{args.kind}: {args.n} requests, statuses {dict(statuses)}")
        print(f"  mean {wall / args.n * 1000:.1f} ms, no profiler, queries not captured")
        return
    profiler = cProfile.Profile()
    queries = collections.Counter()
    query_time = collections.Counter()
    count = 0
    started = time.perf_counter()
    for i in range(args.n):
        with CaptureQueriesContext(connection) as captured:
            profiler.enable()
            statuses[request(i).status_code] += 1
            profiler.disable()
        count += len(captured.captured_queries)
        for q in captured.captured_queries:
            shape = re.sub(r"'[^']*'|\b\d+\b", "?", q["sql"])[:160]
            queries[shape] += 1
            query_time[shape] += float(q["time"])
    wall = time.perf_counter() - started
    print(f"{args.kind}: {args.n} requests, statuses {dict(statuses)}")
    print(
        f"  mean {wall / args.n * 1000:.1f} ms (under the profiler), {count / args.n:.1f} queries"
    )
    total_q = sum(query_time.values())
    print(f"  queries: {total_q / args.n * 1000:.1f} ms per request")
    for shape, seconds in query_time.most_common(12):
        print(f"  {seconds / args.n * 1000:7.2f} ms {queries[shape] / args.n:5.1f}×  {shape}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.only, args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
