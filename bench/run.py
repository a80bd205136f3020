"""`make bench`: the national benchmarks against the generated country (`make bench-data`), with
the production-style server; writes bench/results.json and prints each figure against its target.

    python -m bench.run [--quick] [--only submit,latency,export,import,rebuild]

BENCH_URL is the PostgreSQL database (default postgres://postgres@127.0.0.1:5432/sangkien_bench),
BENCH_REDIS the Redis database (default redis://127.0.0.1:6379/8), BENCH_WORKERS the gunicorn
workers (default 4).
"""

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import aiohttp

from bench import load, server, submissions

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
DB = os.environ.get("BENCH_URL", "postgres://postgres@127.0.0.1:5432/sangkien_bench")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/8")
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
VAR = Path(os.environ.get("BENCH_VAR_DIR", ROOT / "var" / "bench"))
ALL_STEPS = {"submit", "latency", "export", "import", "rebuild"}


def task(env: dict, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.tasks", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().split()[1]
    pg = subprocess.run(
        ["psql", DB, "-Atc", "show server_version"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(int(memory) / 1024 / 1024),
        "python": platform.python_version(),
        "postgresql": pg,
        "gunicorn_workers": WORKERS,
        "date": date.today().isoformat(),
    }


def ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


async def login(base: str, session: aiohttp.ClientSession, username: str, password: str) -> None:
    url = f"{base}/office/dang-nhap/"
    async with session.get(url) as response:
        page = await response.text()
    token = submissions.CSRF_INPUT.search(page).group(1)
    data = {"csrfmiddlewaretoken": token, "username": username, "password": password}
    async with session.post(url, data=data, allow_redirects=False) as response:
        if response.status != 302:
            raise RuntimeError(f"sign-in refused: {response.status}")


def submit_bench(base: str, info: dict, seconds: float) -> dict:
    applied_from = date.fromisoformat(info["applied_from"])
    ceiling = submissions.Ceiling(base, info["program_id"], info["units"], applied_from)
    form = submissions.PublicForm(base, info["program"], info["units"], applied_from)

    def summary(run: load.Run, ok) -> dict:
        lat = run.latencies(ok)
        return {
            "per_second": round(run.rate(ok), 1),
            "p50_ms": ms(load.percentile(lat, 50)),
            "p99_ms": ms(load.percentile(lat, 99)),
            "requests": len(run.outcomes),
            "statuses": {str(k): v for k, v in sorted(run.statuses().items())},
        }

    ceiling_run = asyncio.run(load.closed_loop(clients=50, seconds=seconds, request=ceiling.submit))
    submit_run = asyncio.run(
        load.closed_loop(clients=50, seconds=seconds, request=form.submit, prepare=form.prepare)
    )
    acked = [o for o in submit_run.outcomes if submissions.acknowledged(o.status, o.headers)]
    return {
        "ceiling": summary(ceiling_run, lambda o: o.status == 303),
        "submit": summary(submit_run, lambda o: submissions.acknowledged(o.status, o.headers)),
        "lookups": [
            (o.headers["Location"].rstrip("/").rsplit("/", 1)[1], o.tag[1]) for o in acked[:200]
        ],
    }


def latency_bench(base: str, info: dict, seconds: float) -> dict:
    program = info["stats_program"]
    units = info["dashboard_units"]
    receipts = info["receipts"] or ["AAAAAAAA"]
    lookups = info.get("lookups") or [(receipts[0], "0900000000")]
    state = {"i": 0}

    def nxt(items):
        state["i"] += 1
        return items[state["i"] % len(items)]

    def getter(path_of):
        async def request(session):
            async with session.get(base + path_of()) as response:
                await response.read()
                return response.status, {}, None

        return request

    async def signed_in(session):
        await login(base, session, info["officer"], info["password"])

    targets = {
        # No target: the floor of this harness, a view that answers "hello" through the same
        # server, middleware and load generator, all on the same cores.
        "hello": (None, lambda: "/bench/hello/", None),
        "lookup": (15, lambda: "/api/v1/initiatives/{}?phone={}".format(*nxt(lookups)), None),
        "queue_national_admin": (150, lambda: "/office/sang-kien/", signed_in),
        "dashboard_federation": (
            100,
            lambda: f"/office/thong-ke/{units[0]}/?program={program}",
            signed_in,
        ),
        "dashboard_province": (
            100,
            lambda: f"/office/thong-ke/{units[1]}/?program={program}",
            signed_in,
        ),
        "dashboard_district": (
            100,
            lambda: f"/office/thong-ke/{units[2]}/?program={program}",
            signed_in,
        ),
        "dashboard_grassroots": (
            100,
            lambda: f"/office/thong-ke/{units[-1]}/?program={program}",
            signed_in,
        ),
        "honour_board": (50, lambda: f"/vinh-danh/?program={program}", None),
        "similar": (50, lambda: f"/office/sang-kien/{nxt(receipts)}/tuong-tu/", signed_in),
    }
    results = {}
    for name, (target, path_of, prepare) in targets.items():
        run = asyncio.run(
            load.closed_loop(
                clients=10, seconds=seconds, request=getter(path_of), prepare=prepare, warmup=1
            )
        )
        lat = run.latencies(lambda o: o.status in (200, 404))
        results[name] = {
            "p95_ms": ms(load.percentile(lat, 95)),
            "p50_ms": ms(load.percentile(lat, 50)),
            "target_ms": target,
            "requests": len(run.outcomes),
            "statuses": {str(k): v for k, v in sorted(run.statuses().items())},
        }
    return results


def table(results: dict) -> str:
    rows = [("figure", "measured", "target", "")]
    sub = results.get("submit")
    if sub:
        s, c = sub["submit"], sub["ceiling"]
        share = s["per_second"] / c["per_second"] if c["per_second"] else 0
        rows += [
            (
                "submit, full form, 50 clients",
                f"{s['per_second']}/s",
                "≥ 350/s",
                s["per_second"] >= 350,
            ),
            ("  p50 / p99", f"{s['p50_ms']} / {s['p99_ms']} ms", "", None),
            ("ceiling, bare ModelForm insert", f"{c['per_second']}/s", "", None),
            ("  submit / ceiling", f"{share:.0%}", "≥ 50%", share >= 0.5),
        ]
    for name, figure in results.get("latency", {}).items():
        p95, target = figure["p95_ms"], figure["target_ms"]
        if target is None:
            rows.append((f"p95 {name}, 10 clients", f"{p95} ms", "", None))
            continue
        ok = p95 is not None and p95 <= target
        rows.append((f"p95 {name}, 10 clients", f"{p95} ms", f"≤ {target} ms", ok))
    if "export" in results:
        e = results["export"]
        rows.append((f"CSV export, {e['rows']:,} rows", f"{e['seconds']} s", "", None))
        rows.append(("  peak memory", f"{e['peak_mb']} MB", "≤ 300 MB", e["peak_mb"] <= 300))
    if "import" in results:
        i = results["import"]
        rows.append((f"XLSX import, {i['rows']:,} rows", f"{i['seconds']} s", "", None))
    if "rebuild" in results:
        r = results["rebuild"]
        rows.append((f"rebuild, {r['initiatives']:,} initiatives", f"{r['seconds']} s", "", None))
    lines = []
    for name, measured, target, ok in rows:
        mark = "" if ok is None or ok == "" else ("ok" if ok else "MISSED")
        lines.append(f"{name:<38} {measured:>18} {target:>10} {mark}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs (a smoke test)")
    parser.add_argument("--only", default=",".join(sorted(ALL_STEPS)))
    parser.add_argument("--import-rows", type=int, default=50_000)
    args = parser.parse_args()
    steps = set(args.only.split(","))
    if not steps <= ALL_STEPS:
        parser.error(f"--only takes some of {', '.join(sorted(ALL_STEPS))}")
    seconds = 5 if args.quick else 30
    VAR.mkdir(parents=True, exist_ok=True)
    env = server.server_env(DB, REDIS, VAR)
    task(env, "cleanup")  # rows a stopped run of the ceiling left behind
    info = task(env, "setup")
    env["BENCH_SETUP"] = json.dumps(info)
    results: dict = {"machine": machine(), "initiatives": info["initiatives"]}
    started = time.perf_counter()
    print(f"Sáng kiến benchmark on {info['initiatives']:,} initiatives", file=sys.stderr)
    if steps & {"submit", "latency"}:
        with server.Server(env, workers=WORKERS) as app, server.Command(env, "numbers_worker"):
            if "submit" in steps:
                print("submit: ceiling, then the full form (50 clients)…", file=sys.stderr)
                results["submit"] = submit_bench(app.base, info, seconds)
                info["lookups"] = results["submit"].pop("lookups")
                task(env, "cleanup")
            if "latency" in steps:
                print("latencies at 10 clients…", file=sys.stderr)
                results["latency"] = latency_bench(app.base, info, max(5, seconds / 3))
    if "export" in steps:
        print("national CSV export…", file=sys.stderr)
        results["export"] = task(env, "export", str(VAR / "national.csv"))
        (VAR / "national.csv").unlink(missing_ok=True)
    if "import" in steps:
        rows = 500 if args.quick else args.import_rows
        print(f"XLSX import of {rows:,} rows…", file=sys.stderr)
        results["import"] = task(env, "import", str(rows))
    if "rebuild" in steps:
        print("rebuild of every maintained number…", file=sys.stderr)
        results["rebuild"] = task(env, "rebuild")
    results["seconds"] = round(time.perf_counter() - started)
    if RESULTS.exists() and steps != ALL_STEPS:
        # A partial run (--only) replaces its own figures and keeps the others of the last run.
        kept = json.loads(RESULTS.read_text())
        results = {**{k: v for k, v in kept.items() if k in ALL_STEPS}, **results}
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(table(results))
    print(f"\n{RESULTS.relative_to(ROOT)} written", file=sys.stderr)


if __name__ == "__main__":
    main()
