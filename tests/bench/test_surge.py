"""The surge at CI size: twice the admitted rate offered to gunicorn on a throwaway PostgreSQL,
a worker killed and PostgreSQL restarted in the middle; every acknowledged submission is stored
exactly once, and the overload is answered with 503 and Retry-After (bench/surge.py)."""

import pytest
import redis
from django.conf import settings

from bench import surge
from bench.pgcluster import Cluster
from tests.services import service_missing

pytestmark = pytest.mark.postgres


def test_surge_with_a_killed_worker_and_a_database_restart_loses_and_doubles_nothing():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("PostgreSQL only: the surge restarts a PostgreSQL server of its own")
    reason = Cluster.unavailable()
    if reason:
        service_missing(f"cannot start throwaway PostgreSQL servers here: {reason}")
    try:
        redis.Redis.from_url(surge.REDIS).ping()
    except redis.RedisError as error:
        service_missing(f"the production-style server needs Redis: {error}")

    result = surge.run(
        rate=30,
        seconds=12,
        admission=15,
        workers=2,
        scale=0.002,
        kill_at=4,
        restart_at=6,
        give_up_after=60,
        log=lambda text: None,
    )

    assert [name for _at, name in result["events"]] == [
        "killed a gunicorn worker",
        "restarted PostgreSQL",
    ]
    assert result["offered"] == 360
    assert result["acknowledged_not_stored"] == 0
    assert result["stored_twice"] == 0
    assert result["receipt_mismatch"] == 0
    assert result["answers"].get("503", 0) > 0  # the admission limit answered the overload
    assert result["acknowledged"] == result["offered"]  # everybody got a receipt in the end
    assert result["stored"] == result["acknowledged"]
