"""Sessions in Redis when REDIS_URL is set: the receipts a browser proved live there, and the
database holds no session (the live test needs REDIS_URL and is skipped without it)."""

import pytest
import redis
from django.contrib.sessions.backends.cache import KEY_PREFIX, SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from sangkien.initiatives.models import Initiative
from tests.common.test_tasks import settings_in_a_fresh_process
from tests.services import redis_url

CACHE = "django.contrib.sessions.backends.cache"


@pytest.fixture
def redis_client():
    url = redis_url("sessions stay in the database")
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    yield client
    client.close()


@pytest.fixture
def public_form(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CAPTCHA_MODE = "off"


@pytest.mark.parametrize(
    ("env", "engine"),
    [({}, "django.contrib.sessions.backends.db"), ({"REDIS_URL": "redis://r:6379/14"}, CACHE)],
)
def test_sessions_live_in_the_cache_only_with_redis(env, engine):
    done = settings_in_a_fresh_process(
        env,
        "from django.conf import global_settings as g; "
        "print(getattr(s, 'SESSION_ENGINE', g.SESSION_ENGINE), "
        "getattr(s, 'SESSION_CACHE_ALIAS', g.SESSION_CACHE_ALIAS), s.CACHES['default']['BACKEND'])",
    )

    assert done.returncode == 0, done.stderr
    backend = (
        "django_redis.cache.RedisCache" if env else "django.core.cache.backends.locmem.LocMemCache"
    )
    assert done.stdout.split() == [engine, "default", backend]


@pytest.mark.django_db
def test_submitted_receipt_is_remembered_across_requests_in_redis_only(
    redis_client, public_form, settings, national, open_program, form_data
):
    settings.SESSION_ENGINE = CACHE  # what the settings choose with REDIS_URL (above)
    client = Client()

    response = client.post(f"/chuong-trinh/{open_program.code}/nop/", form_data(open_program))

    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/bien-nhan/{initiative.receipt}/"
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    key = cache.make_key(KEY_PREFIX + session_key)
    assert redis_client.exists(key) == 1
    assert 0 < redis_client.ttl(key) <= settings.SESSION_COOKIE_AGE
    assert SessionStore(session_key).load()["sangkien_receipts"] == [initiative.receipt]
    assert Session.objects.count() == 0

    for _request in range(2):
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert initiative.receipt_display in page.content.decode()

    # Only Redis holds it: without its key there the browser has proved nothing any more.
    redis_client.delete(key)
    assert client.get(response["Location"]).status_code == 302
