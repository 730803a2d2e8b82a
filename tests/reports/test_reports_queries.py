"""The report's reads do not grow with its Parties (issue 15.7): every selector reads all the
report's Parties at once, so composing a report on two Parties runs the same queries as on one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.snapshot import build_snapshot

from .conftest import make_report

pytestmark = pytest.mark.django_db


def snapshot_queries(report) -> int:
    with CaptureQueriesContext(connection) as queries:
        build_snapshot(report)
    return len(queries)


def test_composing_a_report_runs_as_many_queries_for_two_parties_as_for_one(world, portfolio):
    """Togo (with a workplan, a mission, events and a deliverable) alone, then with Nigeria: the
    snapshot runs the same number of queries (the sections of a second Party read nothing more)."""
    user = world.users["case_manager"]
    one = make_report([world.own], user=user)
    two = make_report([world.own, world.other], user=user, symbol="SC78 Doc. 24")
    snapshot = build_snapshot(two)
    assert {s["party"] for s in snapshot["sections"] if s["party"]} == {"TG", "NG"}
    assert snapshot_queries(two) == snapshot_queries(one)
