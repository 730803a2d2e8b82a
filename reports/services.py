"""Writes of the reports app: create a report with its sections, edit and reset sections,
finalise, and render (request a job; the worker's run; retry a failed job)."""

from __future__ import annotations

import datetime
import gc
import hashlib
import logging
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cap_portal import services as generic
from cap_portal.access import Action
from cap_portal.history import acting_user
from cap_portal.workflow import transition_take

from .choices import RenderState, ReportStatus
from .composers import LAYOUT, ComposeContext, compose
from .documents import render_docx, render_html, render_pdf
from .models import Report, ReportRender, ReportSection, ReportVersion
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
    every section the case manager has not edited. Edited text is never touched."""
    with translation.override(report.language), acting_user(user):
        parties = sorted(report.parties.all(), key=lambda party: party.name)
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
        context = ComposeContext(report=report, as_of=report.as_of, parties=parties)
        for order, (kind, party) in enumerate(wanted, start=1):
            section = existing.get((kind, party.pk if party else None))
            if section is None:
                section = ReportSection(report=report, kind=kind, party=party)
            default = compose(kind, context.for_party(party) if party else context).body
            changed = section.pk is None or section.order != order * 10
            section.order = order * 10
            if not section.is_edited and section.body != default:
                section.body = default
                changed = True
            if changed:
                section.save()


def section_default(section: ReportSection) -> str:
    """The text the composer gives the section now."""
    report = section.report
    with translation.override(report.language):
        parties = sorted(report.parties.all(), key=lambda party: party.name)
        context = ComposeContext(report=report, as_of=report.as_of, parties=parties)
        if section.party_id:
            context = context.for_party(section.party)
        return compose(section.kind, context).body


@transaction.atomic
def section_update(*, section: ReportSection, user, data: dict) -> ReportSection:
    """Save the case manager's text (and heading) of a section; it is then kept as edited."""
    body = data.get("body", section.body)
    data = {**data, "body": body}
    section.is_edited = body.strip() != section_default(section).strip()
    return generic.object_update(instance=section, user=user, data=data)


@transaction.atomic
def section_reset(*, section: ReportSection, user) -> ReportSection:
    """Drop the case manager's text: the section takes the composer's default again."""
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


@transaction.atomic
def report_render_request(
    *, report: Report, user, source_version: ReportVersion | None = None, retry_of: ReportRender | None = None
) -> ReportRender:
    """Queue a render job; the worker starts once this transaction commits.

    Without ``source_version`` the worker composes a fresh snapshot from the data as of the
    report's as-of date; with it, it renders that version's stored snapshot again.
    """
    _require(user, Action.CHANGE, report)
    if source_version is not None and source_version.report_id != report.pk:
        raise ValidationError({"source_version": gettext("The version must be one of this report.")})
    render = ReportRender(
        report=report,
        requested_by=user,
        source_version=source_version,
        retry_of=retry_of,
        message=gettext("Waiting for a worker."),
    )
    with acting_user(user):
        render.save()
    from .tasks import render_report

    transaction.on_commit(partial(render_report.delay, render.pk))
    return render


def report_render_retry(*, render: ReportRender, user) -> ReportRender:
    """Queue a new job for the same report and source as a failed one."""
    if render.state != RenderState.FAILED:
        raise ValidationError({"state": gettext("Only a failed render can be retried.")})
    return report_render_request(
        report=render.report, user=user, source_version=render.source_version, retry_of=render
    )


def _progress(render_id: int, state: str, percent: int, message) -> None:
    # A plain UPDATE, committed at once, so the progress bar sees it while the work goes on.
    values = {"state": state, "percent": percent, "message": str(message)}
    if state == RenderState.RUNNING and percent <= 5:
        values["started_at"] = timezone.now()
    if state in (RenderState.DONE, RenderState.FAILED):
        values["finished_at"] = timezone.now()
    ReportRender.objects.filter(pk=render_id).update(**values)


def report_render_fail(*, render_id: int, message: str) -> None:
    """Record that a job failed, with the error shown to the case manager."""
    _progress(render_id, RenderState.FAILED, 0, gettext("The render failed: %(error)s") % {"error": message})


def report_render_run(*, render_id: int) -> ReportVersion | None:
    """The worker's work: snapshot → HTML → PDF (WeasyPrint) and DOCX → a new version.

    Idempotent: a job that is done returns its version, and a version is recorded once per job
    (one-to-one), so a task delivered twice produces one version. Database outages propagate, for
    the task to retry; any other error marks the job failed with its message.
    """
    render = ReportRender.objects.select_related("report", "source_version").get(pk=render_id)
    if render.state == RenderState.DONE:
        return ReportVersion.objects.filter(render=render).first()
    if render.state == RenderState.FAILED:
        return None
    report = render.report
    try:
        with translation.override(report.language):
            _progress(render_id, RenderState.RUNNING, 5, gettext("Composing the report from the data."))
            if render.source_version is not None:
                snapshot = render.source_version.snapshot
            else:
                snapshot = build_snapshot(report)
            _progress(render_id, RenderState.RUNNING, 25, gettext("Laying out the document."))
            html = render_html(snapshot)
            _progress(render_id, RenderState.RUNNING, 40, gettext("Rendering the PDF."))
            pdf, pages = render_pdf(html)
            del html
            _progress(render_id, RenderState.RUNNING, 80, gettext("Writing the Word document."))
            docx = render_docx(snapshot)
            _progress(render_id, RenderState.RUNNING, 95, gettext("Saving the version."))
            version = _record_version(render, snapshot, pdf, pages, docx)
            _progress(
                render_id,
                RenderState.DONE,
                100,
                gettext("Version %(number)s is ready.") % {"number": version.number},
            )
            return version
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
    return version
