"""cap_portal.db.compiled_timestamps: inside the block, a query's timestamps are read by psycopg's
compiled loader, and they are the same datetimes as Django's loader gives (value and tzinfo);
outside it, Django's loader is used as before."""

import datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader

from cap_portal.db import compiled_timestamps
from parties.models import Party

pytestmark = pytest.mark.django_db

QUERY = "SELECT %s::timestamptz, '2025-03-30 01:30:00+00'::timestamptz, NULL::timestamptz"


def timestamps_read(timestamp_loaders) -> tuple[tuple, type]:
    """A query's timestamps and the loader that read them."""
    with timestamp_loaders() as seen, connection.cursor() as cursor:
        cursor.execute(QUERY, [datetime.datetime(2024, 10, 27, 0, 59, 59, 999999, tzinfo=datetime.UTC)])
        row = cursor.fetchone()
    [(_sql, loader)] = seen
    return row, loader


def test_the_block_reads_timestamps_with_psycopgs_compiled_loader_and_the_same_values(timestamp_loaders):
    with compiled_timestamps(connection.alias):
        inside, loader = timestamps_read(timestamp_loaders)
    outside, django_loader = timestamps_read(timestamp_loaders)

    assert loader.__name__ == "TimestamptzLoader" and loader.__module__.startswith("psycopg")
    assert not issubclass(loader, BaseTzLoader)
    assert issubclass(django_loader, BaseTzLoader)
    assert inside == outside
    assert [value.tzinfo for value in inside[:2]] == [value.tzinfo for value in outside[:2]]
    assert inside[0].tzinfo is datetime.UTC and inside[2] is None


def test_model_rows_read_in_the_block_equal_those_read_outside(world, postgresql):
    party = Party.objects.first()
    with compiled_timestamps(connection.alias):
        inside = Party.objects.values("created", "updated").get(pk=party.pk)
    outside = Party.objects.values("created", "updated").get(pk=party.pk)
    assert inside == outside and inside["created"].tzinfo is outside["created"].tzinfo
