"""Reminder e-mails before and after due dates, run as Celery beat runs them: the scheduled task
for fixed days, no sleeping."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from cap_portal.celery import app
from portfolio.models import Notification, NotificationKind, UserPreference
from portfolio.reminders import offset_for
from tests.workplans.factories import ActivityFactory, MilestoneFactory, make_workplan
from workplans.choices import ActivityStatus, WorkplanStatus

DUE = datetime.date(2025, 6, 30)


@pytest.fixture(autouse=True, scope="module")
def worker_modules():
    """Import the task modules as a worker does at start (autodiscovery)."""
    app.loader.import_default_modules()


def run_beat(day: datetime.date) -> int:
    """Run the beat entry's task as the worker would, for ``day``."""
    entry = settings.CELERY_BEAT_SCHEDULE["send-reminders"]
    return app.tasks[entry["task"]].apply(kwargs={"today": day.isoformat()}).get()


@pytest.fixture
def milestone(world):
    for role in ("ma_focal_point", "sa_focal_point", "case_manager"):
        user = world.users[role]
        user.email = f"{role}@example.org"
        user.save()
    workplan = make_workplan(world.own, status=WorkplanStatus.APPROVED, ends_on=datetime.date(2026, 12, 31))
    workplan.cap_case.case_manager = world.users["case_manager"]
    workplan.cap_case.save()
    # A completed activity: no progress update is due.
    activity = ActivityFactory(workplan=workplan, status=ActivityStatus.COMPLETED)
    return MilestoneFactory(workplan=workplan, activity=activity, title="NDF adopted", due_on=DUE)


@pytest.mark.parametrize(
    "day, expected",
    [
        (DUE - datetime.timedelta(days=14), ("before", 14)),
        (DUE - datetime.timedelta(days=13), ("before", 14)),  # caught up the next day
        (DUE - datetime.timedelta(days=10), None),
        (DUE - datetime.timedelta(days=3), ("before", 3)),
        (DUE, None),
        (DUE + datetime.timedelta(days=1), ("after", 1)),
        (DUE + datetime.timedelta(days=7), ("after", 7)),
        (DUE + datetime.timedelta(days=30), None),
    ],
)
def test_reminder_days(day, expected):
    assert offset_for(DUE, day) == expected


def test_the_beat_schedule_runs_the_reminder_task():
    assert settings.CELERY_BEAT_SCHEDULE["send-reminders"]["task"] in app.tasks


@pytest.mark.django_db
def test_milestone_reminders_before_and_after_sent_once_and_logged(world, milestone, client):
    assert run_beat(DUE - datetime.timedelta(days=20)) == 0
    assert run_beat(DUE - datetime.timedelta(days=14)) == 2  # the MA focal point and the case manager
    assert sorted(m.to[0] for m in mail.outbox) == ["case_manager@example.org", "ma_focal_point@example.org"]
    assert "NDF adopted" in mail.outbox[0].subject and "14" in mail.outbox[0].subject
    assert run_beat(DUE - datetime.timedelta(days=14)) == 0  # not sent twice
    assert run_beat(DUE - datetime.timedelta(days=13)) == 0
    assert run_beat(DUE + datetime.timedelta(days=1)) == 2
    assert len(mail.outbox) == 4
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds == [NotificationKind.MILESTONE_DUE] * 2 + [NotificationKind.MILESTONE_OVERDUE] * 2
    milestone.met_on = DUE + datetime.timedelta(days=2)
    milestone.save()
    assert run_beat(DUE + datetime.timedelta(days=7)) == 0  # met: no more reminders
    # Logged and visible: the focal point reads their Party's notifications on the page.
    client.force_login(world.users["ma_focal_point"])
    page = client.get(reverse("portfolio:notification_list")).content.decode()
    assert "NDF adopted" in page


@pytest.mark.django_db
def test_reminders_for_progress_updates_and_agreement_end_in_the_preferred_language(world, milestone):
    from decimal import Decimal

    from budgets.models import LegalInstrument

    UserPreference.objects.create(user=world.users["ma_focal_point"], language="fr")
    cap_case = milestone.workplan.cap_case
    LegalInstrument.objects.create(
        cap_case=cap_case,
        counterpart_name="MA",
        reference="CITES/CAP/TG/1",
        signed_on=datetime.date(2024, 1, 1),
        starts_on=datetime.date(2024, 1, 1),
        ends_on=DUE,
        amount=Decimal("50000"),
        exchange_rate=Decimal("1"),
    )
    # An ongoing activity, last reported never: an update was due 90 days after it started.
    ActivityFactory(
        workplan=milestone.workplan,
        status=ActivityStatus.ONGOING,
        planned_start=DUE - datetime.timedelta(days=90),
        planned_end=datetime.date(2026, 6, 30),
    )
    run_beat(DUE - datetime.timedelta(days=3))
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == {
        NotificationKind.MILESTONE_DUE,
        NotificationKind.AGREEMENT_ENDING,
        NotificationKind.PROGRESS_DUE,
    }
    to_ma = [m for m in mail.outbox if m.to == ["ma_focal_point@example.org"]]
    assert len(to_ma) == 3
    assert all(
        "CITES/CAP/TG/1" not in m.subject or "jours" in m.subject or "days" in m.subject for m in to_ma
    )
