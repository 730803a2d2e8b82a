"""Writes of the statements app: request a statement (queue its render) and the worker's run
(snapshot → HTML → PDF with WeasyPrint, and XLSX → a numbered version with its checksums)."""

from __future__ import annotations

import datetime
import gc
import hashlib
import logging
from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from budgets.models import LegalInstrument
from cap_portal.access import Action
from cap_portal.history import acting_user

from .documents import render_statement_pdf, render_statement_xlsx
from .models import DonorStatement, StatementState
from .selectors import default_period, statement_snapshot

logger = logging.getLogger(__name__)


@transaction.atomic
def statement_request(
    *,
    instrument: LegalInstrument,
    user,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    language: str = "en",
) -> DonorStatement:
    """Queue the statement of ``instrument`` for the period (the instrument's start to today by
    default); the worker starts once this transaction commits. Case managers only."""
    period_start, period_end = default_period(instrument, period_start, period_end)
    statement = DonorStatement(
        instrument=instrument,
        period_start=period_start,
        period_end=period_end,
        language=language,
        requested_by=user,
        message=gettext("Waiting for a worker."),
    )
    if not DonorStatement.access_policy.permits(user, Action.ADD, statement):
        raise PermissionDenied(_("Only a case manager may produce a donor statement."))
    statement.full_clean(exclude=["requested_by"])
    with acting_user(user):
        statement.save()
    transaction.on_commit(partial(_enqueue, statement.pk))
    return statement


def _enqueue(statement_id: int) -> None:
    from kombu.exceptions import OperationalError as BrokerUnreachable

    from .tasks import render_statement

    try:
        render_statement.delay(statement_id)
    except BrokerUnreachable as error:
        logger.exception("Statement %s could not be queued", statement_id)
        statement_render_fail(statement_id=statement_id, message=str(error) or error.__class__.__name__)


def _progress(statement_id: int, state: str, percent: int, message) -> int:
    # A plain UPDATE, committed at once, so the page's progress bar sees it while the work goes
    # on; a failure never overwrites a finished statement.
    now = timezone.now()
    # ``updated`` moves with each step: it is the record's version, so the API's ETag changes and
    # a polling page never gets a 304 for a step it has not seen.
    values = {"state": state, "percent": percent, "message": str(message), "updated": now}
    rows = DonorStatement.objects.filter(pk=statement_id)
    if state == StatementState.RUNNING:
        if percent <= 5:
            values["started_at"] = now
        rows = rows.filter(state__in=(StatementState.QUEUED, StatementState.RUNNING))
    if state in (StatementState.DONE, StatementState.FAILED):
        values["finished_at"] = now
    if state == StatementState.FAILED:
        rows = rows.exclude(state=StatementState.DONE)
    return rows.update(**values)


def statement_render_fail(*, statement_id: int, message: str) -> None:
    """Record that a render failed, with the error shown to the case manager."""
    _progress(
        statement_id,
        StatementState.FAILED,
        0,
        gettext("The render failed: %(error)s") % {"error": message},
    )


def statement_render_run(*, statement_id: int) -> DonorStatement | None:
    """The worker's work. Idempotent: a statement done or failed is returned as it is. Database
    outages propagate (the task retries); any other error marks the statement failed."""
    statement = DonorStatement.objects.select_related("instrument").get(pk=statement_id)
    if statement.is_finished:
        return statement if statement.state == StatementState.DONE else None
    try:
        with translation.override(statement.language):
            _progress(
                statement_id, StatementState.RUNNING, 5, gettext("Composing the statement from the data.")
            )
            snapshot = statement_snapshot(
                statement.instrument,
                period_start=statement.period_start,
                period_end=statement.period_end,
                language=statement.language,
            )
            _progress(statement_id, StatementState.RUNNING, 30, gettext("Rendering the PDF."))
            pdf, pages = render_statement_pdf(snapshot)
            _progress(statement_id, StatementState.RUNNING, 80, gettext("Writing the workbook."))
            xlsx = render_statement_xlsx(snapshot)
            _progress(statement_id, StatementState.RUNNING, 95, gettext("Saving the version."))
            return _record_version(statement_id, snapshot, pdf, pages, xlsx)
    except (OperationalError, InterfaceError):
        raise
    except Exception as error:
        logger.exception("Statement %s failed", statement_id)
        statement_render_fail(statement_id=statement_id, message=str(error) or error.__class__.__name__)
        return None
    finally:
        gc.collect()  # WeasyPrint's layout tree is large: give it back before the next job


@transaction.atomic
def _record_version(statement_id: int, snapshot: dict, pdf: bytes, pages: int, xlsx: bytes) -> DonorStatement:
    # The instrument locked while the number is taken: two statements never get the same one.
    statement = DonorStatement.objects.select_for_update().get(pk=statement_id)
    LegalInstrument.objects.select_for_update().filter(pk=statement.instrument_id).first()
    if statement.state == StatementState.DONE:
        return statement
    top = DonorStatement.objects.filter(instrument_id=statement.instrument_id).aggregate(top=Max("number"))
    statement.number = (top["top"] or 0) + 1
    statement.snapshot = snapshot
    statement.sha256 = hashlib.sha256(pdf).hexdigest()
    statement.xlsx_sha256 = hashlib.sha256(xlsx).hexdigest()
    statement.page_count = pages
    stem = statement.file_stem
    statement.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    statement.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
    statement.state = StatementState.DONE
    statement.percent = 100
    statement.finished_at = timezone.now()
    statement.message = gettext("Version %(number)s is ready.") % {"number": statement.number}
    # The worker runs outside any request: the version is recorded as the requester's.
    with acting_user(statement.requested_by):
        statement.save()
    return statement
