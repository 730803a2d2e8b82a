"""The shared cache (``cap_portal.cache``): on Redis, one client per connection pool and a counter
in one round trip; the same counter on the embedded default's memory cache."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

from cap_portal.cache import RedisCache, count


@pytest.fixture
def redis_cache(redis_url, settings):
    """The portal's Redis cache backend on this test process's own keys."""
    return RedisCache(redis_url, {"KEY_PREFIX": settings.REDIS_KEY_PREFIX})


def test_the_redis_cache_keeps_one_client_per_pool(redis_cache):
    """Every call reuses the client of its pool (Django's backend builds one per call)."""
    client = redis_cache._cache.get_client(write=True)
    redis_cache.set("k", {"v": 1}, 30)
    assert redis_cache.get("k") == {"v": 1}
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client() is client  # one server: reads and writes share a pool


def test_count_adds_one_in_one_round_trip_and_the_counter_expires(redis_cache):
    commands = []
    client = redis_cache._cache.get_client(write=True)
    pool = client.connection_pool
    real_get_connection = pool.get_connection

    def get_connection(*args, **kwargs):
        commands.append(args)
        return real_get_connection(*args, **kwargs)

    pool.get_connection = get_connection
    try:
        assert [count("hits", 60, redis_cache) for _ in range(3)] == [1, 2, 3]
    finally:
        pool.get_connection = real_get_connection
    assert len(commands) == 3, "one connection borrowed (one round trip) per count"
    ttl = client.ttl(redis_cache.make_key("hits"))
    assert 0 < ttl <= 60, "the counter lives the window it counts, from its first count"
    assert count("other", 60, redis_cache) == 1


def test_count_on_the_memory_cache():
    memory = LocMemCache("test-count", {})
    assert [count("hits", 60, memory) for _ in range(3)] == [1, 2, 3]
    memory.delete("hits")
    assert count("hits", 60, memory) == 1


def test_count_on_the_default_cache_reaches_its_backend():
    """``count`` given no cache (or the ``cache`` proxy) counts on the default backend."""
    from django.core.cache import cache

    backend = caches["default"]
    backend.delete("proxy-hits")
    assert count("proxy-hits", 60) == 1
    assert count("proxy-hits", 60, cache) == 2
    assert backend.get("proxy-hits") == 2
    backend.delete("proxy-hits")
