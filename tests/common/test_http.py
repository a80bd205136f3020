"""The client's address behind our own proxies."""

from django.test import RequestFactory

from sangkien.common.http import client_ip


def test_direct_connection_uses_remote_addr(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.9")

    assert client_ip(request) == "10.0.0.9"


def test_behind_one_proxy_the_last_forwarded_address_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.9"
    )

    # "6.6.6.6" is what the client claimed; our proxy saw 203.0.113.7.
    assert client_ip(request) == "203.0.113.7"


def test_behind_two_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.2", REMOTE_ADDR="10.0.0.9"
    )

    assert client_ip(request) == "203.0.113.7"


def test_missing_header_falls_back_to_remote_addr(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9")

    assert client_ip(request) == "10.0.0.9"
