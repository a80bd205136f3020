"""Who is asking, as far as the network can tell: the client's address behind our own proxies."""

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies of ours, the address the outermost of
    them saw (counted from the right of X-Forwarded-For: entries further left are whatever the
    client claimed and cannot be trusted for rate limits)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "unknown"
