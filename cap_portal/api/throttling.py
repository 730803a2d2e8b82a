"""Request throttling of the API: per signed-in user (whatever the session or token), per API
token (a script cannot use up its owner's whole allowance: ``API_THROTTLE_TOKEN``), per address
for anonymous clients. The rates are read from ``settings.API_THROTTLE_RATES`` at each request, so
an operator changes them in the environment (``API_THROTTLE_USER``, ``API_THROTTLE_TOKEN``,
``API_THROTTLE_ANON``) and a test with
``settings``; DRF's own classes read them once, at import. Counts live in the cache (Redis in
production, shared by every gunicorn worker). A throttled request answers 429 with Retry-After.

Requests are counted in fixed windows of the rate's period (the minute of "600/minute" that
began at a multiple of 60 seconds): one counter per client and window, added to in one cache
round trip (:func:`cap_portal.cache.count`). DRF's own throttles keep the time of every request
of the last period in one cache entry, read and written back whole by each request (two round
trips, and up to 1,200 times pickled per request at the user rate). A client may so make up to
twice the rate across the end of one window and the start of the next; Retry-After is the time
left in the window.

A process adds a client's requests to the shared counter a few at a time (:meth:`_CountingThrottle.batch`:
a hundredth of the rate, every request below 200 a period): the count's round trip took 8% of an
API list page (0.23 of 2.89 ms, in-process, scale 100; docs/performance.md). The process counts the
requests in between itself, against the shared total it last read: a client is refused by one
process exactly at the rate, and across several processes at most ``batch - 1`` requests a process
later than the shared counter alone would refuse it (12 a gunicorn worker at the default user rate,
1,200 a minute).
"""

import threading
import time

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from cap_portal.cache import count
from cap_portal.clientip import client_address


class _Pending:
    """This process's requests not yet added to the shared counters, per counter (the
    current window of each period only): ``{key: (requests not added, shared total last read)}``."""

    def __init__(self):
        self.lock = threading.Lock()
        self._windows: dict[int, tuple[int, dict]] = {}

    def window(self, duration: int, window: int) -> dict:
        """The counters of ``window`` (the one before it and theirs are dropped when it begins)."""
        current, counted = self._windows.get(duration, (None, None))
        if current != window:
            counted = {}
            self._windows[duration] = (window, counted)
        return counted


_pending = _Pending()


class _CountingThrottle:
    """Settings' rates, the portal's client address, and counts in fixed windows (module docstring)."""

    timer = time.time

    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        """The client's address by the portal's one rule (``TRUSTED_PROXY_COUNT``), not DRF's."""
        return client_address(request)

    def batch(self) -> int:
        """How many requests of a client this process counts before adding them to the shared
        counter in one round trip (module docstring)."""
        return max(self.num_requests // 100, 1)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        key, batch = f"{key}_{window}", self.batch()
        if batch == 1:
            return count(key, self.duration, self.cache) <= self.num_requests
        with _pending.lock:
            counted = _pending.window(self.duration, window)
            pending, total = counted.get(key, (0, None))
            if total is not None and pending + 1 < batch:
                counted[key] = (pending + 1, total)
                return total + pending + 1 <= self.num_requests
            counted[key] = (0, total)  # this request adds them: no other thread adds them again
        total = count(key, self.duration, self.cache, by=pending + 1)
        with _pending.lock:
            counted[key] = (counted.get(key, (0, None))[0], total)
        return total <= self.num_requests

    def wait(self):
        return max(self.window_ends - self.now, 1)


class UserThrottle(_CountingThrottle, UserRateThrottle):
    """Requests per signed-in user (a token counts for its user)."""


class AnonThrottle(_CountingThrottle, AnonRateThrottle):
    """Requests per address for clients that are not signed in (the token endpoint, the schema)."""


class TokenThrottle(_CountingThrottle, UserRateThrottle):
    """Requests per API token (``accounts.ApiToken``); requests without one are not counted here."""

    scope = "token"

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is None or not hasattr(token, "key_digest"):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
