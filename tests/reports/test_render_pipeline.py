"""The worker's pipeline (issue 15.7): the snapshot of a render job is taken, and its PDF rendered,
with the cyclic garbage collector paused, which is then left as it was."""

import gc

import pytest
from django.db import transaction

from reports import services
from reports.documents import collector_paused
from reports.snapshot import build_snapshot

from .conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def collector_seen(monkeypatch):
    """Whether the collector was enabled each time the worker composed a snapshot."""
    seen = []

    def spy(report):
        seen.append(gc.isenabled())
        return build_snapshot(report)

    monkeypatch.setattr(services, "build_snapshot", spy)
    return seen


def test_the_collector_is_paused_for_the_block_and_enabled_again_even_after_an_error():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()


def test_a_collector_already_paused_stays_paused():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_render_snapshot_is_the_snapshot_composed_with_the_collector_paused(world, collector_seen):
    report = make_report([world.own, world.other], user=world.users["case_manager"])

    snapshot = services.render_snapshot(report)

    assert collector_seen == [False]
    assert gc.isenabled()
    again = build_snapshot(report)
    assert snapshot.pop("composed_at") <= again.pop("composed_at")  # the moment it was composed
    assert snapshot == again


def test_the_worker_composes_a_draft_with_the_collector_paused(world, collector_seen):
    user = world.users["case_manager"]
    report = make_report([world.own], user=user)
    with transaction.atomic():
        job = services.report_render_request(report=report, user=user)

    version = services.report_render_run(render_id=job.pk)

    assert version is not None and version.page_count >= 1
    assert collector_seen == [False]
    assert gc.isenabled()


def test_the_render_snapshot_reads_its_timestamps_with_psycopgs_compiled_loader(
    world, monkeypatch, timestamp_loaders
):
    """The worker's snapshot is composed inside ``cap_portal.db.compiled_timestamps`` (its tens of
    thousands of timestamps at 50 Parties), and is the snapshot Django's own loader gives."""
    loaders = []

    def spy(report):
        with timestamp_loaders() as seen:
            snapshot = build_snapshot(report)
        loaders.extend(loader for _sql, loader in seen)
        return snapshot

    monkeypatch.setattr(services, "build_snapshot", spy)
    report = make_report([world.own, world.other], user=world.users["case_manager"])

    snapshot = services.render_snapshot(report)

    assert loaders and {loader.__name__ for loader in loaders} == {"TimestamptzLoader"}
    assert all(loader.__module__.startswith("psycopg") for loader in loaders)
    again = build_snapshot(report)  # Django's loader
    assert snapshot.pop("composed_at") <= again.pop("composed_at")
    assert snapshot == again
