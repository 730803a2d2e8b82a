"""Writes of the reports app: create a report with its sections, edit and reset sections,
finalise, and render (request a job; the worker's run; retry a failed job)."""

from __future__ import annotations

import datetime
import gc
import hashlib
import logging
import threading
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, connections, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cap_portal import services as generic
from cap_portal.access import Action
from cap_portal.db import compiled_timestamps
from cap_portal.history import acting_user
from cap_portal.workflow import transition_take

from . import selectors
from .charts import ChartsAhead
from .choices import RenderState, ReportStatus
from .composers import LAYOUT, ComposeContext, compose
from .documents import collector_paused, render_docx, render_html, render_pdf
from .models import NARRATIVE_FIELDS, Report, ReportRender, ReportSection, ReportVersion
from .snapshot import build_snapshot
from .workflow import FINALISE, has_rendered_version

logger = logging.getLogger(__name__)


def _require(user, action: str, report: Report) -> None:
    if not Report.access_policy.permits(user, action, report):
        raise PermissionDenied(_("Only a case manager may do this."))


# --- Reports and sections ------------------------------------------------------------------------


@transaction.atomic
def report_create(*, user, data: dict) -> Report:
    """Create a report and its sections, each with its default text composed from the data."""
    report = generic.object_create(model=Report, user=user, data=data)
    report_sections_sync(report=report, user=user)
    return report


@transaction.atomic
def report_update(*, report: Report, user, data: dict) -> Report:
    """Change a report's details; a change of Parties adds or removes their sections."""
    report = generic.object_update(instance=report, user=user, data=data)
    report_sections_sync(report=report, user=user)
    return report


@transaction.atomic
def report_sections_sync(*, report: Report, user) -> None:
    """Bring the sections in line with the layout and the Parties: create the missing ones, remove
    the sections of Parties no longer included, set the order, and refresh the default text of
    every section the case manager has not edited. Edited text is never touched. A new section's
    narrative is carried forward from the same section of the previous report."""
    with translation.override(report.language), acting_user(user):
        parties = selectors.report_parties(report)
        existing = {(s.kind, s.party_id): s for s in report.sections.all()}
        wanted: list[tuple[str, object]] = []
        for layout in LAYOUT:
            if layout.per_party:
                wanted += [(layout.kind, party) for party in parties]
            else:
                wanted.append((layout.kind, None))
        keys = {(kind, party.pk if party else None) for kind, party in wanted}
        for key, section in existing.items():
            if key not in keys:
                section.delete()
        previous = None
        if any(key not in existing for key in keys):
            previous = selectors.previous_report_sections(report)
        context = ComposeContext(report=report, as_of=selectors.report_as_of(report), parties=parties)
        for order, (kind, party) in enumerate(wanted, start=1):
            section = existing.get((kind, party.pk if party else None))
            if section is None:
                section = ReportSection(report=report, kind=kind, party=party)
                _carry_forward(section, (previous or {}).get((kind, party.pk if party else None)))
            default = compose(kind, context.for_party(party) if party else context).body
            changed = section.pk is None or section.order != order * 10
            section.order = order * 10
            if not section.is_edited and section.body != default:
                section.body = default
                changed = True
            if changed:
                section.save()


def _carry_forward(section: ReportSection, source: ReportSection | None) -> None:
    """Start a new section's narrative as the previous report's text of the same section: its
    narrative, or (a report written before narratives were kept) its text edited by hand."""
    if source is None:
        return
    texts = {field: text.strip() for field, text in source.narratives.items()}
    if not any(texts.values()) and source.is_edited:
        # The previous report's hand-edited text, in that report's language.
        texts[NARRATIVE_FIELDS.get(source.report.language, "narrative")] = source.body.strip()
    if any(texts.values()):
        for field, text in texts.items():
            setattr(section, field, text)
        section.carried_from = source
        section.is_carried = True


def section_default(section: ReportSection) -> str:
    """The text the composer gives the section now (from the data as the report freezes it)."""
    report = section.report
    with translation.override(report.language):
        parties = selectors.report_parties(report)
        context = ComposeContext(report=report, as_of=selectors.report_as_of(report), parties=parties)
        if section.party_id:
            context = context.for_party(section.party)
        return compose(section.kind, context).body


@transaction.atomic
def section_update(*, section: ReportSection, user, data: dict) -> ReportSection:
    """Save the case manager's narrative, data text and heading of a section. A data text that
    differs from the composer's is kept as edited; a narrative changed from the carried one is
    no longer marked as carried."""
    body = data.get("body", section.body)
    narratives = {field: data.get(field, getattr(section, field)) for field in NARRATIVE_FIELDS.values()}
    data = {**data, "body": body, **narratives}
    section.is_edited = body.strip() != section_default(section).strip()
    # Compared with the stored narratives: a form has already put the new ones on the instance.
    stored = ReportSection.objects.filter(pk=section.pk).values(*narratives).first() or {}
    if section.is_carried and any(
        text.strip() != (stored.get(field) or "").strip() for field, text in narratives.items()
    ):
        section.is_carried = False
    return generic.object_update(instance=section, user=user, data=data)


@transaction.atomic
def section_reset(*, section: ReportSection, user) -> ReportSection:
    """Drop the case manager's data text: the section takes the composer's default again (the
    narrative is the case manager's and stays)."""
    section.is_edited = False
    return generic.object_update(
        instance=section, user=user, data={"body": section_default(section), "title": ""}
    )


def can_finalise(report: Report) -> tuple[bool, str]:
    """A report is finalised (published to every signed-in user) once it has a rendered version
    (the rule of ``reports.workflow``, asked by the page before it offers the button)."""
    if report.status == ReportStatus.FINAL:
        return False, gettext("The report is final already.")
    return has_rendered_version(report)


@transaction.atomic
def report_finalise(*, report: Report, user) -> Report:
    """Mark the report final: focal points and donor observers may then read it and its versions.
    The step of ``reports.workflow``, taken by :func:`cap_portal.workflow.transition_take`."""
    return transition_take(obj=report, action=FINALISE, user=user)


# --- Rendering -----------------------------------------------------------------------------------


class RenderTakenOver(Exception):
    """The job was failed (reaped) while this worker still ran it: stop, record nothing."""


@transaction.atomic
def report_render_request(
    *, report: Report, user, source_version: ReportVersion | None = None, retry_of: ReportRender | None = None
) -> ReportRender:
    """Queue a render job; the worker starts once this transaction commits.

    Without ``source_version`` the worker composes a fresh snapshot from the data as of the
    report's as-of date; with it, it renders that version's stored snapshot again. A final report
    is only ever re-issued from its latest version's snapshot, never from the live data.

    One job per report at a time: while a job of this report is queued or running, a request
    returns that job instead of queuing another (no duplicate version from a double click). The
    report row is locked, so two simultaneous requests cannot both queue.
    """
    _require(user, Action.CHANGE, report)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if source_version is not None and source_version.report_id != report.pk:
        raise ValidationError({"source_version": gettext("The version must be one of this report.")})
    waiting_or_running = (RenderState.QUEUED, RenderState.RUNNING)
    active = report.renders.filter(state__in=waiting_or_running).order_by("-pk").first()
    # A job whose worker died (no heartbeat) or whose message was lost is replaced at once, by the
    # reaper's own rule (stalled_q): the beat task does the same without waiting for a request.
    # Failing it first means a late delivery of its message renders nothing (no duplicate).
    if active is not None and report.renders.filter(stalled_q(), pk=active.pk).exists():
        report_render_fail(
            render_id=active.pk, message=gettext("no worker finished the job in time; it was replaced")
        )
        active = None
    if active is not None:
        return active
    if source_version is None and report.status == ReportStatus.FINAL:
        source_version = report.versions.order_by("-number").first()
        if source_version is None:
            raise ValidationError(
                {"source_version": gettext("A final report is re-issued from a stored version; it has none.")}
            )
    render = ReportRender(
        report=report,
        requested_by=user,
        source_version=source_version,
        retry_of=retry_of,
        message=gettext("Waiting for a worker."),
    )
    with acting_user(user):
        render.save()
    transaction.on_commit(partial(_enqueue, render.pk))
    return render


def render_stall_after() -> datetime.timedelta:
    """A running job without a heartbeat for this long has lost its worker (RENDER_STALL_AFTER)."""
    return datetime.timedelta(seconds=settings.RENDER_STALL_AFTER)


def render_queue_lost_after() -> datetime.timedelta:
    """A job queued for longer than the broker's visibility timeout has lost its message."""
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}
    return datetime.timedelta(seconds=options.get("visibility_timeout", 3600))


def running_stalled_q(now: datetime.datetime | None = None) -> Q:
    """Running jobs whose worker stopped beating (or never beat) for RENDER_STALL_AFTER."""
    cutoff = (now or timezone.now()) - render_stall_after()
    silent = Q(heartbeat_at__lt=cutoff) | Q(
        heartbeat_at__isnull=True, started_at__isnull=False, started_at__lt=cutoff
    )
    silent |= Q(heartbeat_at__isnull=True, started_at__isnull=True, created__lt=cutoff)
    return Q(state=RenderState.RUNNING) & silent


def stalled_q(now: datetime.datetime | None = None) -> Q:
    """Running jobs without a heartbeat, and queued jobs older than the visibility timeout."""
    now = now or timezone.now()
    lost = Q(state=RenderState.QUEUED, created__lt=now - render_queue_lost_after())
    return running_stalled_q(now) | lost


def render_reap_stalled(*, now: datetime.datetime | None = None) -> list[int]:
    """Deal with the render jobs whose worker died (the beat task ``reports.reap_stalled_renders``,
    every minute); returns the ids of the jobs queued again.

    Stalled: running without a heartbeat for RENDER_STALL_AFTER (two minutes), or queued for
    longer than the broker's visibility timeout (its message was lost, or no worker takes it).

    The choice: a stalled job is never put back to queued; it is marked failed, and the first time
    a NEW job for the same report and source is queued with ``retry_of`` pointing at it. Failing it
    first is what keeps one version per render: a late delivery of its message finds it failed and
    does nothing, and a worker that was only slow stops at its next step without recording a
    version (``RenderTakenOver``). A job that is already a retry (``retry_of`` set: queued again by
    this reaper, or retried by a person) is not queued again: it is marked failed with a message
    saying why, and a case manager retries it from the page or the API when the workers are back.
    """
    now = now or timezone.now()
    ids = list(ReportRender.objects.filter(stalled_q(now)).order_by("pk").values_list("pk", flat=True))
    requeued = []
    for render_id in ids:
        new = _reap(render_id, now)
        if new is not None:
            requeued.append(new.pk)
    return requeued


@transaction.atomic
def _reap(render_id: int, now: datetime.datetime) -> ReportRender | None:
    report_id = ReportRender.objects.filter(pk=render_id).values_list("report_id", flat=True).first()
    if report_id is None:
        return None
    # The report first, then the job: the order of report_render_request and _record_version.
    Report.objects.select_for_update().filter(pk=report_id).first()
    render = ReportRender.objects.select_for_update().filter(stalled_q(now), pk=render_id).first()
    if render is None:  # it moved on meanwhile (a heartbeat, done)
        return None
    was_running = render.state == RenderState.RUNNING
    others = render.report.renders.filter(state__in=(RenderState.QUEUED, RenderState.RUNNING))
    if render.retry_of_id is not None or others.exclude(pk=render.pk).exists():
        if was_running:
            why = gettext("its worker stopped again before it finished; retry it when the workers are back")
        else:
            why = gettext("no worker took it again; retry it when the workers are back")
        report_render_fail(render_id=render.pk, message=why)
        logger.warning("Render %s stalled a second time: failed", render.pk)
        return None
    retry = ReportRender(
        report=render.report,
        requested_by=render.requested_by,
        source_version=render.source_version,
        retry_of=render,
        message=gettext("Waiting for a worker."),
    )
    with acting_user(render.requested_by):
        retry.save()
    if was_running:
        why = gettext("its worker stopped; the render was queued again as job %(id)s")
    else:
        why = gettext("no worker took it; the render was queued again as job %(id)s")
    report_render_fail(render_id=render.pk, message=why % {"id": retry.pk})
    logger.warning("Render %s stalled: queued again as %s", render.pk, retry.pk)
    transaction.on_commit(partial(_enqueue, retry.pk))
    return retry


def _enqueue(render_id: int) -> None:
    from kombu.exceptions import OperationalError as BrokerUnreachable

    from .tasks import render_report

    try:
        render_report.delay(render_id)
    except BrokerUnreachable as error:
        # The job is recorded: say why no worker will take it, and let it be retried.
        logger.exception("Render %s could not be queued", render_id)
        report_render_fail(render_id=render_id, message=str(error) or error.__class__.__name__)


def report_render_retry(*, render: ReportRender, user) -> ReportRender:
    """Queue a new job for the same report and source as a failed one."""
    if render.state != RenderState.FAILED:
        raise ValidationError({"state": gettext("Only a failed render can be retried.")})
    return report_render_request(
        report=render.report, user=user, source_version=render.source_version, retry_of=render
    )


def _in_requesters_language(render_id: int, message, values: dict | None = None) -> str:
    """The progress message in the language of the person who asked for the render (not the
    report's: a case manager working in French on an English report reads French)."""
    from portfolio.preferences import recipient_language

    render = ReportRender.objects.select_related("requested_by").filter(pk=render_id).first()
    language = recipient_language(render.requested_by) if render else settings.LANGUAGE_CODE
    with translation.override(language):
        return str(message) % values if values else str(message)


def _progress(render_id: int, state: str, percent: int, message, values: dict | None = None) -> int:
    # A plain UPDATE, committed at once, so the progress bar sees it while the work goes on. A
    # step of a running job is also its heartbeat; it never revives a job failed (reaped) or done
    # meanwhile, and a failure never overwrites a finished job. Returns the rows updated (0 or 1).
    now = timezone.now()
    message = _in_requesters_language(render_id, message, values)
    # ``updated`` moves with each step: it is the record's version, so the API's ETag changes and
    # a polling page never gets a 304 for a step it has not seen.
    values = {"state": state, "percent": percent, "message": message, "updated": now}
    rows = ReportRender.objects.filter(pk=render_id)
    if state == RenderState.RUNNING:
        values["heartbeat_at"] = now
        if percent <= 5:
            values["started_at"] = now
        rows = rows.filter(state__in=(RenderState.QUEUED, RenderState.RUNNING))
    if state in (RenderState.DONE, RenderState.FAILED):
        values["finished_at"] = now
    if state == RenderState.FAILED:
        rows = rows.exclude(state=RenderState.DONE)
    return rows.update(**values)


def _step(render_id: int, percent: int, message) -> None:
    if not _progress(render_id, RenderState.RUNNING, percent, message):
        raise RenderTakenOver(render_id)


class _Heartbeat:
    """A daemon thread that refreshes the running job's ``heartbeat_at`` every
    RENDER_HEARTBEAT_INTERVAL seconds while WeasyPrint works between two progress steps. It uses
    its own database connection (one per thread) and closes it when the job ends."""

    def __init__(self, render_id: int, interval: float | None = None):
        self.render_id = render_id
        self.interval = interval if interval is not None else settings.RENDER_HEARTBEAT_INTERVAL
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"render-{render_id}-heartbeat", daemon=True)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    ReportRender.objects.filter(pk=self.render_id, state=RenderState.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # a missed beat is not fatal; the next one may get through
                    logger.warning("Render %s: heartbeat not recorded", self.render_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(timeout=10)
        return False


def report_render_fail(*, render_id: int, message: str) -> None:
    """Record that a job failed, with the error shown to the case manager."""
    _progress(render_id, RenderState.FAILED, 0, _("The render failed: %(error)s"), {"error": message})


def render_snapshot(report: Report, on_annex: Callable[[dict], None] | None = None) -> dict:
    """The snapshot a render job takes from the live data (``build_snapshot``), with the cyclic
    garbage collector paused (:func:`reports.documents.collector_paused`): composing builds tens
    of thousands of model instances at 50 Parties (13,500 recommendations, 5,400 events) that
    live until the snapshot is made, and the collector walked them again and again (about a
    fifth of the snapshot's time at 50 Parties; docs/performance.md). The few cycles left (model
    instances and their caches) wait for the collection after the job (``report_render_run``).
    Its timestamps are read by psycopg's compiled loader (:func:`cap_portal.db.compiled_timestamps`)."""
    with collector_paused(), compiled_timestamps(report._state.db or "default"):
        return build_snapshot(report, on_annex)


def report_render_run(*, render_id: int) -> ReportVersion | None:
    """The worker's work: snapshot → HTML → PDF (WeasyPrint) and DOCX → a new version.

    Idempotent: a job that is done returns its version, and a version is recorded once per job
    (one-to-one), so a task delivered twice produces one version. Database outages propagate, for
    the task to retry; any other error marks the job failed with its message. While it runs, every
    step and a heartbeat thread (every RENDER_HEARTBEAT_INTERVAL seconds) refresh ``heartbeat_at``;
    a job failed meanwhile by the reaper (its worker looked dead) stops and records nothing.
    """
    render = ReportRender.objects.select_related("report", "source_version").get(pk=render_id)
    if render.state == RenderState.DONE:
        return ReportVersion.objects.filter(render=render).first()
    if render.state == RenderState.FAILED:
        return None
    report = render.report
    try:
        with translation.override(report.language), _Heartbeat(render_id):
            _step(render_id, 5, _("Composing the report from the data."))
            source = render.source_version
            if source is None and report.status == ReportStatus.FINAL:
                # Finalised while this job waited: a final report never takes live data.
                source = report.versions.order_by("-number").first()
            # A snapshot taken now has its charts drawn in another process while its sections
            # are composed (ChartsAhead); a stored one's are drawn here.
            with ChartsAhead() as ahead:
                if source is not None:
                    snapshot = source.snapshot
                else:
                    snapshot = render_snapshot(report, on_annex=ahead.start)
                _step(render_id, 25, _("Laying out the document."))
                html = render_html(snapshot, charts=ahead.charts(snapshot["annex"]))
            _step(render_id, 40, _("Rendering the PDF."))
            pdf, pages = render_pdf(html)
            del html
            _step(render_id, 80, _("Writing the Word document."))
            docx = render_docx(snapshot)
            _step(render_id, 95, _("Saving the version."))
            return _record_version(render, snapshot, pdf, pages, docx)
    except RenderTakenOver:
        logger.warning("Render %s was failed by the reaper while running: stopped", render_id)
        return None
    except (OperationalError, InterfaceError):
        raise
    except Exception as error:
        logger.exception("Render %s of report %s failed", render_id, report.pk)
        report_render_fail(render_id=render_id, message=str(error) or error.__class__.__name__)
        return None
    finally:
        gc.collect()  # WeasyPrint's layout tree is large: give it back before the next job


@transaction.atomic
def _record_version(
    render: ReportRender, snapshot: dict, pdf: bytes, pages: int, docx: bytes
) -> ReportVersion:
    report = Report.objects.select_for_update().get(pk=render.report_id)
    existing = ReportVersion.objects.filter(render=render).first()
    if existing is not None:
        return existing
    # The job row locked with the version written and the job marked done in one transaction:
    # the reaper cannot fail a job that has its version, nor a reaped job get one.
    state = ReportRender.objects.select_for_update().values_list("state", flat=True).get(pk=render.pk)
    if state == RenderState.FAILED:
        raise RenderTakenOver(render.pk)
    number = (report.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = ReportVersion(
        report=report,
        number=number,
        render=render,
        author=render.requested_by,
        rendered_at=timezone.now(),
        as_of=datetime.date.fromisoformat(snapshot["report"]["as_of"]),
        language=snapshot["report"]["language"],
        sha256=hashlib.sha256(pdf).hexdigest(),
        page_count=pages,
        snapshot=snapshot,
    )
    base = f"{report.symbol}-v{number}".replace(" ", "_").replace(".", "")
    version.pdf.save(f"{base}.pdf", ContentFile(pdf), save=False)
    version.docx.save(f"{base}.docx", ContentFile(docx), save=False)
    # The worker runs outside any request: the version is recorded as the requester's.
    with acting_user(render.requested_by):
        version.save()
    _progress(render.pk, RenderState.DONE, 100, _("Version %(number)s is ready."), {"number": number})
    return version
