"""The lean path's timestamps (``cap_portal.api.lean._timestamps``) are DRF's
``DateTimeField.to_representation``, value for value, in every time zone a reader may have."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from cap_portal.api.lean import _timestamps

UTC = datetime.UTC
VALUES = [
    datetime.datetime(2025, 3, 4, 5, 6, 7, 123456, tzinfo=UTC),
    datetime.datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC),  # no microseconds: isoformat omits them
    datetime.datetime(2025, 3, 30, 0, 59, 59, tzinfo=UTC),  # Europe's spring change at 01:00 UTC
    datetime.datetime(2025, 3, 30, 1, 0, 0, tzinfo=UTC),
    datetime.datetime(2025, 10, 26, 0, 30, tzinfo=UTC),  # the autumn hour that repeats
    datetime.datetime(2025, 10, 26, 1, 30, tzinfo=UTC),
    datetime.datetime(1, 1, 1, 0, 0, tzinfo=UTC),
    datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),  # beyond the zone's range east of UTC
    datetime.datetime(2025, 6, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Kolkata")),
    datetime.datetime(2025, 6, 1, 12, 0),  # naive: DRF makes it aware
]


ZONES = ["UTC", "Europe/Zurich", "America/Chicago", "Asia/Kathmandu", "Pacific/Apia"]


@pytest.mark.parametrize("zone", ZONES)
def test_the_lean_timestamps_are_drfs(zone, settings):
    settings.USE_TZ = True
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        field = serializers.DateTimeField(read_only=True)
        field.timezone = field.default_timezone()
        represent = _timestamps(field)
        assert represent is not field.to_representation  # the fast path is taken
        for value in VALUES:
            try:
                expected = field.to_representation(value)
            except serializers.ValidationError as error:
                with pytest.raises(serializers.ValidationError) as raised:
                    represent(value)
                assert raised.value.detail == error.detail
                continue
            assert represent(value) == expected, (zone, value)


def test_another_format_goes_through_drf():
    field = serializers.DateTimeField(read_only=True, format="%d.%m.%Y %H:%M")
    field.timezone = field.default_timezone()
    assert _timestamps(field) == field.to_representation
