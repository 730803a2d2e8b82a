"""Hand-overs told to who acts next (issue 18 points 1–3, issue 14 point 5): every step of every
workflow table and every declared hand-over notifies the right people, never the actor, in each
recipient's language; a burst about one object is one e-mail; a digest user gets one e-mail a
day."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from accounts.services import role_end, role_grant
from budgets.services import installment_record_receipt, installment_save
from cap_portal.access import Role
from cap_portal.celery import app
from cap_portal.workflow import _REGISTRY, declared_handovers, transition_take, workflow_for
from cases.models import Result
from parties.models import RoleAssignment
from parties.services import role_assign, user_create
from portfolio import notify as notify_module
from portfolio.choices import KIND_GROUPS, Delivery, NotificationGroup, NotificationKind
from portfolio.models import Notification, UserPreference
from portfolio.notify import digests_send, notifications_email_send
from portfolio.preferences import notification_preferences_set, recipient_language
from portfolio.reminders import send_reminders
from tests.budgets import factories as ff
from tests.security import matrix  # noqa: F401  (before matrix_apps: it merges matrix_apps' rows)
from tests.security import matrix_apps as m
from tests.workplans.factories import (
    ActivityFactory,
    approved_activity,
    cap_case_for,
    make_workplan,
)
from workplans.choices import ActivityStatus, ChangeReason, DeliverableKind, WorkplanStatus
from workplans.models import Workplan
from workplans.services import (
    deliverable_review,
    deliverable_submit,
    progress_update_review,
    progress_update_submit,
    workplan_transition,
)

K = NotificationKind
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, scope="module")
def worker_modules():
    app.loader.import_default_modules()


@pytest.fixture
def people(world):
    """The world's users with e-mail addresses, and a second case manager (four eyes)."""
    second = user_create(username="case_manager_2", password="pw-cm2", email="case_manager_2@example.org")
    role_assign(user=second, role=Role.CASE_MANAGER)
    world.users["case_manager_2"] = second
    for name, user in world.users.items():
        if user is not None and not user.email:
            user.email = f"{name}@example.org"
            user.save()
    return world.users


def submitted_workplan(world, people):
    ff.instrument_for(world.own)
    workplan = make_workplan(world.own)
    ActivityFactory(workplan=workplan)
    return workplan_transition(workplan=workplan, action="submit", user=people["ma_focal_point"])


def progress_update(world, people):
    activity = approved_activity(world.own)
    return progress_update_submit(
        user=people["ma_focal_point"],
        data={
            "activity": activity,
            "period_start": datetime.date(2024, 1, 1),
            "period_end": datetime.date(2024, 6, 30),
            "narrative": "Terms of reference drafted.",
            "status": "ongoing",
            "percent_complete": 30,
        },
    )


def deliverable(world, people):
    return deliverable_submit(
        user=people["ma_focal_point"],
        data={"cap_case": cap_case_for(world.own), "kind": DeliverableKind.GUIDELINES, "title": "NDF guide"},
    )


def result(world, people):
    return Result.objects.create(
        cap_case=cap_case_for(world.own),
        title="NDF adopted",
        achieved_on=datetime.date(2024, 7, 19),
        submitted_by=people["sa_focal_point"],
    )


CASE_MANAGERS = {"case_manager", "case_manager_2"}
PLANNERS = {"ma_focal_point"}

# One scenario per hand-over kind: take the step as its actor, return who must be told.
SCENARIOS = {
    K.WORKPLAN_SUBMITTED: lambda w, p: (submitted_workplan(w, p), CASE_MANAGERS),
    K.WORKPLAN_RETURNED: lambda w, p: (
        workplan_transition(
            workplan=submitted_workplan(w, p),
            action="return",
            user=p["case_manager"],
            comment="Add a budget.",
        ),
        PLANNERS,
    ),
    K.WORKPLAN_APPROVED: lambda w, p: (
        workplan_transition(workplan=submitted_workplan(w, p), action="approve", user=p["case_manager"]),
        PLANNERS,
    ),
    K.WORKPLAN_REVISED: lambda w, p: (
        workplan_transition(
            workplan=make_workplan(w.own, WorkplanStatus.APPROVED),
            action="revise",
            user=p["ma_focal_point"],
            reason=ChangeReason.DELAYS,
        ),
        CASE_MANAGERS,
    ),
    K.PROGRESS_SUBMITTED: lambda w, p: (progress_update(w, p), CASE_MANAGERS),
    K.PROGRESS_ACCEPTED: lambda w, p: (
        progress_update_review(update=progress_update(w, p), user=p["case_manager"], accept=True),
        PLANNERS,
    ),
    K.PROGRESS_RETURNED: lambda w, p: (
        progress_update_review(
            update=progress_update(w, p), user=p["case_manager"], accept=False, comment="Which workshop?"
        ),
        PLANNERS,
    ),
    K.DELIVERABLE_SUBMITTED: lambda w, p: (deliverable(w, p), CASE_MANAGERS),
    K.DELIVERABLE_ACCEPTED: lambda w, p: (
        deliverable_review(deliverable=deliverable(w, p), user=p["case_manager"], accept=True),
        PLANNERS,
    ),
    K.DELIVERABLE_RETURNED: lambda w, p: (
        deliverable_review(
            deliverable=deliverable(w, p), user=p["case_manager"], accept=False, comment="Draft?"
        ),
        PLANNERS,
    ),
    K.RESULT_ACCEPTED: lambda w, p: (
        transition_take(obj=result(w, p), action="accept", user=p["case_manager"]),
        {"sa_focal_point", "ma_focal_point"},
    ),
    K.RESULT_RETURNED: lambda w, p: (
        transition_take(obj=result(w, p), action="return", user=p["case_manager"], comment="Evidence?"),
        {"sa_focal_point", "ma_focal_point"},
    ),
    K.CASE_STAGE_CHANGED: lambda w, p: (
        transition_take(obj=cap_case_for(w.own), action="long_list", user=p["case_manager"], comment="SC77"),
        {"ma_focal_point", "sa_focal_point"},
    ),
    K.REPORT_FINALISED: lambda w, p: (
        transition_take(obj=_rendered_report(w), action="finalise", user=p["case_manager"]),
        {"case_manager_2", "secretariat_viewer", "donor_observer"},
    ),
    K.INSTALLMENT_TRANSFERRED: lambda w, p: (
        installment_save(
            installment=ff.make_installment(w.own),
            user=p["case_manager"],
            data={"transferred_on": datetime.date(2024, 2, 3)},
        ),
        PLANNERS,
    ),
    K.INSTALLMENT_RECEIVED: lambda w, p: (
        installment_record_receipt(
            installment=ff.make_installment(w.own, transferred_on=datetime.date(2024, 2, 3)),
            received_on=datetime.date(2024, 2, 10),
            user=p["case_manager"],
        ),
        PLANNERS,
    ),
    K.ROLE_GRANTED: lambda w, p: (
        role_grant(
            user=user_create(username="newcomer", password="pw-new", email="newcomer@example.org"),
            role=Role.MA_FOCAL_POINT,
            party=w.other,
            by=p["case_manager"],
        ),
        {"newcomer"},
    ),
    K.ROLE_ENDED: lambda w, p: (
        role_end(
            assignment=RoleAssignment.objects.get(user=p["sa_focal_point"]),
            ends_on=datetime.date.today(),
            by=p["case_manager"],
        ),
        {"sa_focal_point"},
    ),
}


def _rendered_report(world):
    report = m._report(world, final=False)
    m._version(world, report)
    return report


def test_every_workflow_step_declares_who_is_told():
    """A step added to a workflow table without ``notify=`` fails here."""
    workflow_for(Workplan)  # reads every app's workflow.py
    missing = [
        f"{label}:{t.action}"
        for label, workflow in _REGISTRY.items()
        for t in workflow.transitions
        if t.notify is None
    ]
    assert missing == []


def test_every_declared_handover_has_a_kind_a_group_and_a_scenario_here():
    """Each declaration names a hand-over kind a person sets a delivery for (under a group), and is
    exercised below: a new declaration without a scenario in SCENARIOS fails here."""
    kinds = {handover.kind for handover in declared_handovers()}
    assert kinds <= set(KIND_GROUPS)
    assert kinds == set(SCENARIOS)


def test_a_person_chooses_a_delivery_for_every_handover_and_reminder_kind_not_the_backups():
    """Hand-overs and due-date reminders are each a kind of the settings, the reminders under their
    own heading; the backups' outcome (the case managers' log, a failure e-mailed) is not."""
    workflow_for(Workplan)
    reminders = {
        K.PROGRESS_DUE,
        K.PROGRESS_OVERDUE,
        K.MILESTONE_DUE,
        K.MILESTONE_OVERDUE,
        K.AGREEMENT_ENDING,
        K.AGREEMENT_ENDED,
    }
    assert set(KIND_GROUPS) == {handover.kind for handover in declared_handovers()} | reminders
    assert {kind for kind, group in KIND_GROUPS.items() if group == NotificationGroup.REMINDERS} == reminders
    assert not {K.BACKUP_DONE, K.BACKUP_FAILED} & set(KIND_GROUPS)


@pytest.mark.parametrize("kind", sorted(SCENARIOS))
def test_each_handover_notifies_who_acts_next_in_the_inbox_and_by_email(
    kind, world, people, django_capture_on_commit_callbacks
):
    """The step's audience gets one inbox row and an e-mail (after commit); the actor never."""
    with django_capture_on_commit_callbacks(execute=True):
        obj, expected = SCENARIOS[kind](world, people)
    rows = Notification.objects.filter(kind=kind)
    assert {n.recipient.username for n in rows} == expected
    assert rows.count() == len(expected)  # each once
    first = rows.first()
    assert first.actor is not None and first.actor.username not in expected
    assert first.link and first.read_at is None and first.delivery == Delivery.IMMEDIATE
    emailed = {message.to[0] for message in mail.outbox}
    assert {f"{name}@example.org" for name in expected} <= emailed
    assert all(n.emailed_at is not None for n in Notification.objects.filter(kind=kind))


def test_a_case_with_a_case_manager_tells_that_case_manager_only(world, people):
    case = cap_case_for(world.own)
    case.case_manager = people["case_manager_2"]
    case.save()
    submitted_workplan(world, people)
    recipients = Notification.objects.filter(kind=K.WORKPLAN_SUBMITTED).values_list(
        "recipient__username", flat=True
    )
    assert list(recipients) == ["case_manager_2"]


def test_the_return_carries_its_comment_to_the_focal_point(world, people):
    workplan = submitted_workplan(world, people)
    workplan_transition(
        workplan=workplan, action="return", user=people["case_manager"], comment="Add a budget."
    )
    note = Notification.objects.get(kind=K.WORKPLAN_RETURNED)
    assert "Add a budget." in note.body and note.party == world.own
    assert note.link == workplan.get_absolute_url()


def test_a_refused_step_notifies_nobody(world, people):
    workplan = make_workplan(world.own)  # no activity: submitting is refused
    with pytest.raises(Exception):  # noqa: B017 (the engine's ValidationError)
        workplan_transition(workplan=workplan, action="submit", user=people["ma_focal_point"])
    assert not Notification.objects.exists()


# --- language ------------------------------------------------------------------------------------


def test_recipient_language_rule(world, people):
    """Preference first; a Party-only user gets their Party's language; everyone else the default."""
    assert world.own.language == "fr"
    assert recipient_language(people["case_manager"]) == settings.LANGUAGE_CODE
    assert recipient_language(people["donor_observer"]) == settings.LANGUAGE_CODE
    assert recipient_language(people["ma_focal_point"]) == "fr"
    UserPreference.objects.create(user=people["ma_focal_point"], language="es")
    assert recipient_language(people["ma_focal_point"]) == "es"
    world.other.language = "en"
    world.other.save()
    role_assign(user=people["sa_focal_point"], role=Role.SA_FOCAL_POINT, party=world.other)
    assert recipient_language(people["sa_focal_point"]) == settings.LANGUAGE_CODE  # two languages


def test_each_recipient_is_written_to_in_their_language(world, people, monkeypatch):
    UserPreference.objects.create(user=people["case_manager_2"], language="es")
    spoken = {}
    compose = notify_module._compose

    def spy(kind, obj, actor, comment, link):
        subject, body = compose(kind, obj, actor, comment, link)
        spoken[subject] = translation.get_language()
        return subject, body

    monkeypatch.setattr(notify_module, "_compose", spy)
    workplan = submitted_workplan(world, people)
    workplan_transition(workplan=workplan, action="return", user=people["case_manager"], comment="Budget?")
    by_user = {n.recipient.username: spoken[n.subject] for n in Notification.objects.all()}
    assert by_user == {"case_manager": "en", "case_manager_2": "es", "ma_focal_point": "fr"}


def test_reminder_to_an_english_case_manager_about_a_french_speaking_party_is_in_english(world, people):
    """Issue 14.5: a case manager without a preference got a French e-mail about a French-speaking
    Party, because the reminders fell back to the Party's language."""
    from tests.workplans.factories import MilestoneFactory

    due = datetime.date(2025, 6, 30)
    workplan = make_workplan(world.own, status=WorkplanStatus.APPROVED, ends_on=datetime.date(2026, 12, 31))
    workplan.cap_case.case_manager = people["case_manager"]
    workplan.cap_case.save()
    activity = ActivityFactory(workplan=workplan, status="completed")
    MilestoneFactory(workplan=workplan, activity=activity, title="NDF adopted", due_on=due)
    app.tasks["portfolio.send_reminders"].apply(
        kwargs={"today": (due - datetime.timedelta(days=3)).isoformat()}
    )
    to_case_manager = [message for message in mail.outbox if message.to == ["case_manager@example.org"]]
    to_focal_point = [message for message in mail.outbox if message.to == ["ma_focal_point@example.org"]]
    assert to_case_manager and to_focal_point
    assert to_case_manager[0].subject.startswith("Milestone due in 3 days")
    assert to_focal_point[0].subject.startswith("Jalon")  # the Party's focal point: the Party's language


# --- no floods -----------------------------------------------------------------------------------


def test_a_burst_about_one_object_is_one_email(world, people, django_capture_on_commit_callbacks):
    """Submitted, returned and submitted again within the window: the case manager gets one e-mail
    for the two submissions, sent by the task queued with the coalescing countdown."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workplan = submitted_workplan(world, people)
        workplan_transition(workplan=workplan, action="return", user=people["case_manager_2"], comment="Fix")
        workplan_transition(workplan=workplan, action="submit", user=people["ma_focal_point"])
    with mock.patch("portfolio.tasks.send_notification_email.apply_async") as queued:
        for callback in callbacks:
            callback()
    countdowns = {call.kwargs["countdown"] for call in queued.call_args_list}
    assert countdowns == {settings.NOTIFICATION_COALESCE_MINUTES * 60}
    cm = people["case_manager"]
    assert Notification.objects.filter(recipient=cm).count() == 2
    args = {
        "recipient_id": cm.pk,
        "content_type_id": Notification.objects.filter(recipient=cm)[0].content_type_id,
    }
    assert notifications_email_send(**args, object_id=workplan.pk) == 2
    assert notifications_email_send(**args, object_id=workplan.pk) == 0  # the second task finds nothing
    to_cm = [message for message in mail.outbox if message.to == [cm.email]]
    assert len(to_cm) == 1
    assert to_cm[0].body.count(workplan.get_absolute_url()) == 2


def test_a_digest_user_gets_one_email_a_day(world, people, django_capture_on_commit_callbacks):
    notification_preferences_set(
        user=people["case_manager_2"], deliveries={K.WORKPLAN_SUBMITTED: Delivery.DIGEST}
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = submitted_workplan(world, people)
        second = make_workplan(world.other)
        ActivityFactory(workplan=second)
        role_assign(user=people["ma_focal_point"], role=Role.MA_FOCAL_POINT, party=world.other)
        workplan_transition(workplan=second, action="submit", user=people["ma_focal_point"])
    digest_user = people["case_manager_2"].email
    assert not [message for message in mail.outbox if message.to == [digest_user]]  # nothing at once
    assert [message for message in mail.outbox if message.to == ["case_manager@example.org"]]
    assert (
        Notification.objects.filter(recipient=people["case_manager_2"], delivery=Delivery.DIGEST).count() == 2
    )
    mail.outbox.clear()
    assert app.tasks[settings.CELERY_BEAT_SCHEDULE["send-digests"]["task"]].apply().get() == 1
    assert [message.to for message in mail.outbox] == [[digest_user]]
    assert (
        first.get_absolute_url() in mail.outbox[0].body and second.get_absolute_url() in mail.outbox[0].body
    )
    assert digests_send() == 0  # the same day again: nothing more
    assert len(mail.outbox) == 1


def test_two_kinds_of_one_group_reach_a_person_each_as_they_chose(
    world, people, django_capture_on_commit_callbacks
):
    """The choice is per kind, not per group: a return of the workplan waits for the digest while
    its approval, of the same group, is e-mailed at once."""
    ma = people["ma_focal_point"]
    notification_preferences_set(
        user=ma, deliveries={K.WORKPLAN_RETURNED: Delivery.DIGEST, K.WORKPLAN_APPROVED: Delivery.IMMEDIATE}
    )
    assert KIND_GROUPS[K.WORKPLAN_RETURNED] == KIND_GROUPS[K.WORKPLAN_APPROVED]
    with django_capture_on_commit_callbacks(execute=True):
        workplan = submitted_workplan(world, people)
        workplan_transition(workplan=workplan, action="return", user=people["case_manager"], comment="Fix")
    assert not [message for message in mail.outbox if message.to == [ma.email]]
    with django_capture_on_commit_callbacks(execute=True):
        workplan_transition(workplan=workplan, action="submit", user=ma)
        workplan_transition(workplan=workplan, action="approve", user=people["case_manager"])
    returned = Notification.objects.get(recipient=ma, kind=K.WORKPLAN_RETURNED)
    approved = Notification.objects.get(recipient=ma, kind=K.WORKPLAN_APPROVED)
    to_ma = [message for message in mail.outbox if message.to == [ma.email]]
    assert [message.subject for message in to_ma] == [approved.subject]
    assert (returned.delivery, returned.emailed_at) == (Delivery.DIGEST, None)
    assert approved.delivery == Delivery.IMMEDIATE and approved.emailed_at is not None


def test_a_reminder_kind_chosen_for_the_digest_goes_out_in_the_digest_once(
    world, people, django_capture_on_commit_callbacks
):
    """A focal point who takes progress-update reminders in the digest and returned workplans at
    once: the reminder run e-mails them nothing (the case manager, at once, gets it), the next
    digest carries the reminder, once; the return of their workplan is e-mailed at once."""
    ma, cm = people["ma_focal_point"], people["case_manager"]
    notification_preferences_set(
        user=ma, deliveries={K.PROGRESS_DUE: Delivery.DIGEST, K.WORKPLAN_RETURNED: Delivery.IMMEDIATE}
    )
    due = datetime.date(2025, 6, 30)
    workplan = make_workplan(world.own, status=WorkplanStatus.APPROVED, ends_on=datetime.date(2026, 12, 31))
    workplan.cap_case.case_manager = cm
    workplan.cap_case.save()
    # Ongoing, never reported: an update is due 90 days after it started.
    activity = ActivityFactory(
        workplan=workplan,
        status=ActivityStatus.ONGOING,
        planned_start=due - datetime.timedelta(days=90),
        planned_end=datetime.date(2026, 6, 30),
    )
    reminder_day = due - datetime.timedelta(days=3)
    logged = send_reminders(reminder_day)
    assert {(n.recipient.username, n.kind) for n in logged} == {
        ("ma_focal_point", K.PROGRESS_DUE),
        ("case_manager", K.PROGRESS_DUE),
    }
    assert not [message for message in mail.outbox if message.to == [ma.email]]
    assert [message.to for message in mail.outbox] == [[cm.email]]
    waiting = Notification.objects.get(recipient=ma, kind=K.PROGRESS_DUE)
    assert (waiting.delivery, waiting.emailed_at, waiting.email) == (Delivery.DIGEST, None, "")
    assert waiting.link == activity.get_absolute_url()
    at_once = Notification.objects.get(recipient=cm, kind=K.PROGRESS_DUE)
    assert at_once.delivery == Delivery.IMMEDIATE and at_once.emailed_at is not None
    assert send_reminders(reminder_day) == []  # once per key, whichever the delivery

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        returned = submitted_workplan(world, people)
        workplan_transition(workplan=returned, action="return", user=cm, comment="Add a budget.")
    to_ma = [message for message in mail.outbox if message.to == [ma.email]]
    assert len(to_ma) == 1 and returned.get_absolute_url() in to_ma[0].body  # at once

    mail.outbox.clear()
    assert digests_send() == 1
    assert [message.to for message in mail.outbox] == [[ma.email]]
    assert activity.get_absolute_url() in mail.outbox[0].body and waiting.body in mail.outbox[0].body
    assert returned.get_absolute_url() not in mail.outbox[0].body  # e-mailed at once already
    waiting.refresh_from_db()
    assert waiting.emailed_at is not None and waiting.email == ma.email
    assert digests_send() == 0 and len(mail.outbox) == 1  # never twice


def test_users_without_an_email_address_are_told_in_the_portal_only(world, people):
    people["case_manager_2"].email = ""
    people["case_manager_2"].save()
    submitted_workplan(world, people)
    note = Notification.objects.get(recipient=people["case_manager_2"])
    assert note.delivery == Delivery.PORTAL


def test_the_beat_schedule_runs_the_digest_task():
    assert settings.CELERY_BEAT_SCHEDULE["send-digests"]["task"] in app.tasks
