import itertools

import pytest

from cap_portal.api.throttling import _CountingThrottle

# A minute of its own for each test that throttles (the counters live in the shared cache: no
# test empties it, which would empty other test workers' counts too).
_minutes = itertools.count(30_000_000)


@pytest.fixture
def clock(monkeypatch):
    """The API throttles' clock, set by the test, 10 s into a minute no other test of this process
    counts in (requests are counted per minute that began at a multiple of 60 s: a real clock
    could cross into the next minute between two requests)."""
    now = [next(_minutes) * 60 + 10.0]
    monkeypatch.setattr(_CountingThrottle, "timer", staticmethod(lambda: now[0]))
    return now
