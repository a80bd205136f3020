"""`python -m bench.refusals`: how many refusals a second the production-style server answers,
against its floor.

On the surge's small site (bench.surge.small_site: PostgreSQL of its own, Redis, gunicorn with 4
workers), 8 clients post the public form back to back with the site's admission limit at 1 a
second, so all but about one post a second get the refusal of a surge: a Redis count, a cache
read for the form's stored mark, and the light page with every field kept (public.admission).
Then the same clients ask a hello view: what gunicorn and the client cost without the app.
Both share the machine's cores with the load generator, as in `make surge`.

    python -m bench.refusals [--clients 8] [--seconds 10]
"""

import argparse
import asyncio
import sys
from collections import Counter
from datetime import date

from bench import load, server, submissions
from bench.surge import small_site


def measure(*, clients: int, seconds: float, log=print) -> dict:
    with (
        small_site(admission=1, scale=0.01, log=log) as (_pg, env, info),
        server.Server(env, workers=4) as app,
    ):
        form = submissions.PublicForm(
            app.base, info["program"], info["units"], date.fromisoformat(info["applied_from"])
        )

        async def post(session):
            return await form.post(session, form.new_body())

        async def hello(session):
            async with session.get(app.base + "/bench/hello/") as response:
                await response.read()
                return response.status, dict(response.headers), None

        result = {}
        for name, request in (("refusal", post), ("hello", hello)):
            run = asyncio.run(
                load.closed_loop(
                    clients=clients, seconds=seconds, request=request, prepare=form.prepare
                )
            )
            answers = Counter(o.status for o in run.outcomes)
            result[name] = {
                "per_second": round(len(run.outcomes) / run.seconds, 1),
                "answers": {str(k): v for k, v in sorted(answers.items())},
            }
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    result = measure(
        clients=args.clients, seconds=args.seconds, log=lambda t: print(t, file=sys.stderr)
    )
    for name, row in result.items():
        print(f"{name:<8} {row['per_second']:>8.1f}/s  answers {row['answers']}")


if __name__ == "__main__":
    main()
