"""Fixtures for the donor statement tests: files under a temporary MEDIA_ROOT, renders run
in-process (as the embedded default does, on commit), and a small funded instrument."""

import datetime
from decimal import Decimal

import pytest

from statements.services import statement_request
from tests.budgets import factories as ff

D = datetime.date


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def eager_tasks(settings):
    """Renders run in-process even where REDIS_URL is set (CI)."""
    from cap_portal.celery import app

    before = app.conf.task_always_eager
    app.conf.update(task_always_eager=True)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.update(task_always_eager=before)


@pytest.fixture
def produce(django_capture_on_commit_callbacks):
    """Request a statement and run it as the embedded default does (on commit, in-process)."""

    def run(instrument, user, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            statement = statement_request(instrument=instrument, user=user, **kwargs)
        statement.refresh_from_db()
        return statement

    return run


def kept_statement(instrument, user, number=None):
    """A statement as a finished render leaves it (files, checksums, the snapshot of the data),
    without running WeasyPrint: for the tests that are about who sees it, not how it is made."""
    import hashlib

    from django.core.files.base import ContentFile

    from statements.models import DonorStatement
    from statements.selectors import default_period, statement_snapshot

    start, end = default_period(instrument)
    pdf, xlsx = b"%PDF-1.4 statement probe", b"PK statement probe"
    statement = DonorStatement(
        instrument=instrument,
        period_start=start,
        period_end=end,
        requested_by=user,
        state="done",
        percent=100,
        number=number or instrument.statements.count() + 1,
        sha256=hashlib.sha256(pdf).hexdigest(),
        xlsx_sha256=hashlib.sha256(xlsx).hexdigest(),
        page_count=1,
        snapshot=statement_snapshot(instrument, period_start=start, period_end=end, language="en"),
    )
    statement.pdf.save("probe.pdf", ContentFile(pdf), save=False)
    statement.xlsx.save("probe.xlsx", ContentFile(xlsx), save=False)
    statement.save()
    return statement


def funded(party, **kwargs):
    """A legal instrument of the Party (its donor's source) with an installment received and a
    line of an approved workplan with expenditure: a statement with figures in every table."""
    from tests.workplans.factories import make_workplan
    from workplans.choices import WorkplanStatus

    instrument = ff.make_instrument(party, **kwargs)
    ff.make_installment(
        party,
        instrument=instrument,
        amount=Decimal("40000.00"),
        transferred_on=D(2024, 2, 1),
        received_on=D(2024, 2, 15),
    )
    workplan = make_workplan(party, WorkplanStatus.APPROVED)
    line = ff.make_line(party, workplan=workplan, units=Decimal("3"), rate=Decimal("5000.00"))
    ff.make_expenditure(party, budget_line=line, amount=Decimal("4321.09"), spent_on=D(2024, 5, 1))
    return instrument


@pytest.fixture
def own_instrument(world):
    return funded(world.own)


@pytest.fixture
def other_instrument(world):
    return funded(world.other)
