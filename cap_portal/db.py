"""Database reading helpers shared by the apps."""

from __future__ import annotations

import contextlib

from django.db import connections


@contextlib.contextmanager
def compiled_timestamps(db: str):
    """The timestamps of the queries run in the block read by psycopg's own loader, compiled in
    C, on PostgreSQL (elsewhere: nothing changes).

    Django reads every ``timestamp with time zone`` through its own loader, a Python subclass of
    psycopg's Python one (psycopg's compiled loader cannot be subclassed: Django ticket 36960,
    psycopg issue 1273), which costs a Python call per value. Registering psycopg's loader class
    on each cursor of the block, a public API (``AdaptersMap.register_loader``), gives its
    compiled version. Both give the same datetimes: in the connection's time zone, UTC (Django
    sets it), with ``datetime.timezone.utc`` as their tzinfo (``tests/cap_portal/test_db.py``).

    Used where many timestamps are read at once: the API's lean list pages (about a tenth of a
    page of 50 with two timestamps a row) and the SC report's snapshot (60,000 timestamps at 50
    Parties, of rows it reads whole); docs/performance.md."""
    connection = connections[db]
    if connection.vendor != "postgresql":
        yield
        return
    from psycopg.types.datetime import TimestamptzLoader

    def execute(run, sql, params, many, context):
        context["cursor"].cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        return run(sql, params, many, context)

    with connection.execute_wrapper(execute):
        yield
