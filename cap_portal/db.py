"""Database reading helpers shared by the apps."""

from __future__ import annotations

import contextlib
import functools

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


@contextlib.contextmanager
def bound_cursor(db: str):
    """A cursor of ``db`` (Django's, with its execute wrappers and query log) that, on PostgreSQL,
    sends its parameters apart from the SQL (psycopg's server-side binding) and prepares each
    query on its first run on a connection, so that PostgreSQL stops planning it each time.
    Elsewhere, or where the connection binds on the server already
    (``OPTIONS["server_side_binding"]``), Django's own cursor.

    Django binds on the client by default (its documented choice: some queries cannot be bound on
    the server, e.g. a parameter whose type PostgreSQL cannot infer). Used for the API's kept page
    queries (``cap_portal.api.prepared``), the same SQL request after request, each checked by the
    tests on PostgreSQL; planning was 0.3–0.6 ms of such a page (docs/performance.md)."""
    connection = connections[db]
    if connection.vendor != "postgresql" or connection.settings_dict["OPTIONS"].get("server_side_binding"):
        with connection.cursor() as cursor:
            yield cursor
        return
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        if connection.connection.prepare_threshold is None:
            # Django's None turns preparing off for the whole connection, even when asked for; its
            # client-binding cursors never prepare, so psycopg's default changes nothing for them.
            connection.connection.prepare_threshold = 5
        raw = _preparing_cursor_class()(connection.connection)
    # As Django's create_cursor: timestamps in the connection's time zone.
    loader = connection.connection.adapters.get_loader(1184, Format.TEXT)  # timestamptz
    if connection.timezone != loader.timezone:
        register_tzloader(connection.timezone, raw)
    if connection.queries_logged:
        wrapped = _bound_debug_wrapper()(raw, connection)
    else:
        wrapped = connection.make_cursor(raw)
    with wrapped as cursor:
        yield cursor


@functools.cache
def _preparing_cursor_class():
    import psycopg

    class PreparingCursor(psycopg.Cursor):
        """psycopg's server-binding cursor, its queries prepared on their first run (Django turns
        psycopg's automatic preparing off: ``prepare_threshold`` None); psycopg keeps up to
        ``prepared_max`` (100) of them per connection, the least used dropped first."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

    return PreparingCursor


@functools.cache
def _bound_debug_wrapper():
    from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

    class BoundCursorDebugWrapper(CursorDebugWrapper):
        """Django's query log of a cursor, for queries bound on the server: psycopg keeps no SQL
        text of a prepared query's run, where Django reads it; logged as Django logs them with
        ``server_side_binding`` (the SQL with its parameters put in by psycopg)."""

        def execute(self, sql, params=None):
            with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
                return CursorWrapper.execute(self, sql, params)

    return BoundCursorDebugWrapper
