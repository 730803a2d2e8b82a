"""The client's address: the one rule read by login throttling (django-axes), the API's request
throttling (DRF) and django-allauth's rate limits.

``REMOTE_ADDR`` is the client unless ``TRUSTED_PROXY_COUNT`` proxies of ours stand in front:
then each of them appended the address it received the request from to ``X-Forwarded-For``, and
the client is the entry that many places from the right. Entries further left are the client's
own word (anyone can send the header) and are never read.
"""

from django.conf import settings


def client_address(request) -> str | None:
    request = getattr(request, "_request", request)  # a DRF request wraps Django's
    meta = request.META
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return meta.get("REMOTE_ADDR")
