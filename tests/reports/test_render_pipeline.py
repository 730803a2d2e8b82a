"""The worker's pipeline (issue 15.7): the snapshot of a render job is taken, and its PDF rendered,
with the cyclic garbage collector paused, which is then left as it was."""

import gc
import io
import os
import time

import pytest
from django.db import transaction
from django.utils import translation
from pypdf import PdfReader

from reports import charts, documents, services
from reports import snapshot as snapshot_module
from reports.documents import collector_paused
from reports.snapshot import build_snapshot

from .conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def collector_seen(monkeypatch):
    """Whether the collector was enabled each time the worker composed a snapshot."""
    seen = []

    def spy(report, on_annex=None):
        seen.append(gc.isenabled())
        return build_snapshot(report, on_annex)

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

    def spy(report, on_annex=None):
        with timestamp_loaders() as seen:
            snapshot = build_snapshot(report, on_annex)
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


# --- The charts drawn ahead, in another process, while the sections are composed -----------------


@pytest.fixture
def annex(world, portfolio):
    """The annex of a report on Togo (activities, participants) and Nigeria (nothing), in French."""
    report = make_report([world.own, world.other], user=world.users["case_manager"], language="fr")
    with translation.override("fr"):
        yield build_snapshot(report)["annex"]


@pytest.fixture
def drawn_by(monkeypatch, tmp_path):
    """Each call of ``render_charts`` (in this process or a child forked from it) as (pid, format),
    read back from a file every process appends to; ``fail_in_child`` makes the children's calls
    raise or hang."""
    log = tmp_path / "charts.log"
    original = charts.render_charts
    parent = os.getpid()
    behaviour = {"child": None}

    def spy(annex, fmt="svg"):
        with log.open("a") as out:
            out.write(f"{os.getpid()} {fmt}\n")
        if os.getpid() != parent and behaviour["child"] == "raise":
            raise RuntimeError("no fonts in this child")
        if os.getpid() != parent and behaviour["child"] == "hang":
            time.sleep(60)
        if os.getpid() != parent and behaviour["child"] == "die":
            os._exit(3)  # killed before it wrote anything
        return original(annex, fmt)

    monkeypatch.setattr(charts, "render_charts", spy)
    monkeypatch.setattr(documents, "render_charts", spy)

    class Calls:
        def __call__(self):
            lines = log.read_text().split() if log.exists() else []
            return [(int(pid), fmt) for pid, fmt in zip(lines[::2], lines[1::2], strict=True)]

        def child(self, what):
            behaviour["child"] = what

    return Calls()


def draw_ahead(annex, **options):
    """Draw ``annex``'s charts ahead, as the render does: (the ChartsAhead, its child's pid, the charts)."""
    with charts.ChartsAhead(**options) as ahead:
        ahead.start(annex)
        child = ahead.pid
        drawn = ahead.charts(annex)
    return ahead, child, drawn


def test_charts_drawn_ahead_come_from_another_process_and_equal_those_drawn_here(annex, drawn_by):
    ahead, child, drawn = draw_ahead(annex)

    assert child is not None and child != os.getpid()
    assert ahead.drawn_in == child
    assert drawn_by() == [(child, "svg")]
    here = charts.render_charts(annex)
    assert set(drawn) == {"activities", "participants"} and drawn == here
    assert "Activités par état" in drawn["activities"]  # drawn in the report's language
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # reaped


def test_charts_of_an_annex_not_started_are_drawn_here(annex, drawn_by):
    other = dict(annex)
    with charts.ChartsAhead() as ahead:
        ahead.start(annex)
        drawn = ahead.charts(other)  # e.g. a stored snapshot's annex

    assert ahead.drawn_in == os.getpid()
    assert (os.getpid(), "svg") in drawn_by()
    assert drawn == charts.render_charts(annex)


def test_a_child_that_fails_leaves_the_charts_to_the_render_which_logs_why(annex, drawn_by, caplog):
    drawn_by.child("raise")
    ahead, child, drawn = draw_ahead(annex)

    assert ahead.drawn_in == os.getpid()
    assert [pid for pid, _ in drawn_by()] == [child, os.getpid()]
    assert drawn and drawn == charts.render_charts(annex)
    assert "The charts drawn ahead failed" in caplog.text and "no fonts in this child" in caplog.text


def test_a_child_that_dies_leaves_the_charts_to_the_render_which_logs_its_exit(annex, drawn_by, caplog):
    drawn_by.child("die")
    ahead, child, drawn = draw_ahead(annex)

    assert [pid for pid, _ in drawn_by()] == [child, os.getpid()]
    assert ahead.drawn_in == os.getpid() and drawn == charts.render_charts(annex)
    assert "The charts drawn ahead were lost (exit 3)" in caplog.text


def test_charts_drawn_ahead_are_taken_when_someone_else_reaped_the_child(annex, drawn_by, monkeypatch):
    """A pool that reaps its own children (a SIGCHLD handler) may take the child's exit status
    first: what the child wrote decides."""
    waitpid = os.waitpid

    def reaped_elsewhere(pid, options):
        waitpid(pid, options)
        raise ChildProcessError(10, "No child processes")

    monkeypatch.setattr(os, "waitpid", reaped_elsewhere)
    ahead, child, drawn = draw_ahead(annex)

    assert ahead.drawn_in == child and drawn_by() == [(child, "svg")]
    monkeypatch.setattr(os, "waitpid", waitpid)
    assert drawn == charts.render_charts(annex)


def test_where_no_child_can_be_forked_the_render_draws_the_charts(annex, drawn_by, monkeypatch, caplog):
    def no_fork():
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_fork)
    with charts.ChartsAhead() as ahead:
        ahead.start(annex)
        assert ahead.pid is None
        drawn = ahead.charts(annex)

    assert drawn_by() == [(os.getpid(), "svg")]
    assert ahead.drawn_in == os.getpid() and drawn
    assert "No child for the charts drawn ahead" in caplog.text


def test_a_child_that_hangs_is_killed_and_the_render_draws_the_charts(annex, drawn_by, caplog):
    drawn_by.child("hang")
    started = time.monotonic()
    ahead, child, drawn = draw_ahead(annex, timeout=1.0)

    assert time.monotonic() - started < 30
    assert ahead.drawn_in == os.getpid() and drawn == charts.render_charts(annex)
    assert "took over 1.0 s" in caplog.text
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # killed and reaped


def test_leaving_the_block_early_kills_and_reaps_the_child(annex, drawn_by):
    drawn_by.child("hang")
    with pytest.raises(ValueError), charts.ChartsAhead() as ahead:
        ahead.start(annex)
        child = ahead.pid
        raise ValueError  # e.g. the render was taken over

    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)


def test_the_snapshot_hands_its_annex_over_before_composing_the_sections(world, portfolio, monkeypatch):
    report = make_report([world.own, world.other], user=world.users["case_manager"])
    events = []
    original = snapshot_module.compose
    monkeypatch.setattr(snapshot_module, "compose", lambda kind, c: events.append(kind) or original(kind, c))

    snapshot = build_snapshot(report, on_annex=lambda annex: events.append(annex))

    assert isinstance(events[0], dict) and events[0] is snapshot["annex"]
    assert len(events) > 1 and all(isinstance(kind, str) for kind in events[1:])
    again = build_snapshot(report)  # without a callback: the same snapshot
    assert snapshot.pop("composed_at") <= again.pop("composed_at")
    assert snapshot == again


def test_the_worker_draws_the_pdfs_charts_in_another_process(world, portfolio, drawn_by):
    """The SVG charts of the PDF come from a child; the DOCX's PNG charts are drawn afterwards in
    the worker itself (the PDF is rendered by then)."""
    user = world.users["case_manager"]
    report = make_report([world.own, world.other], user=user)
    with transaction.atomic():
        job = services.report_render_request(report=report, user=user)

    version = services.report_render_run(render_id=job.pk)

    assert version is not None and version.page_count >= 1
    calls = drawn_by()
    assert [fmt for _, fmt in calls] == ["svg", "png"]
    assert calls[0][0] != os.getpid() and calls[1][0] == os.getpid()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(version.pdf.read())).pages)
    assert "Activities by status" in text  # the chart drawn by the child is in the PDF
