"""Reporting follows the real timeline (issue 18.5): an activity's reporting window runs to the
later of its workplan's end and the current end date of the CAP case's legal instrument (no-cost
extensions included), and the validation, the attention list, the "my work" page and the
reminders use that one rule."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgets.services import no_cost_extension_grant
from parties.models import RoleAssignment
from portfolio.attention import Kind, needs_attention
from portfolio.reminders import due_items
from tests.budgets.factories import make_instrument
from tests.workplans.factories import (
    ActivityFactory,
    IndicatorFactory,
    ProgressUpdateFactory,
    make_workplan,
)
from workplans.choices import ActivityStatus, ReviewStatus, WorkplanStatus
from workplans.models import Activity, IndicatorValue
from workplans.reporting import activities_due_an_update, reporting_window, update_due_date
from workplans.services import progress_update_submit

D = datetime.date
TODAY = D(2026, 12, 6)
PLAN_END = D(2024, 6, 30)
EXTENDED_TO = D(2026, 12, 31)

pytestmark = pytest.mark.django_db


@pytest.fixture
def togo(world):
    """Togo's case as in the issue: a plan to 30 June 2024, an agreement signed to the same date,
    an ongoing activity reported on up to the plan's end."""
    workplan = make_workplan(
        world.own, status=WorkplanStatus.APPROVED, starts_on=D(2022, 9, 1), ends_on=PLAN_END
    )
    instrument = make_instrument(
        world.own, starts_on=D(2022, 9, 1), signed_on=D(2022, 8, 1), ends_on=PLAN_END
    )
    activity = ActivityFactory(
        workplan=workplan,
        status=ActivityStatus.ONGOING,
        planned_start=D(2022, 10, 1),
        planned_end=PLAN_END,
    )
    ProgressUpdateFactory(
        activity=activity,
        period_start=D(2024, 1, 1),
        period_end=PLAN_END,
        review_status=ReviewStatus.ACCEPTED,
    )
    return workplan, instrument, activity


def extend(world, instrument, to=EXTENDED_TO):
    return no_cost_extension_grant(
        instrument=instrument,
        new_end_date=to,
        reason="Implementation delays.",
        granted_on=D(2024, 6, 1),
        user=world.users["case_manager"],
    )


JULY, NOVEMBER_END = D(2026, 7, 1), D(2026, 11, 30)


def report(world, activity, start=JULY, end=NOVEMBER_END):
    return progress_update_submit(
        user=world.users["ma_focal_point"],
        data={
            "activity": activity,
            "period_start": start,
            "period_end": end,
            "narrative": "Two NDFs drafted.",
            "status": ActivityStatus.ONGOING,
            "percent_complete": 60,
        },
    )


def test_progress_after_the_plan_end_is_accepted_once_the_agreement_is_extended(world, togo):
    """The issue's case: 1 July – 30 November 2026 was refused ("period must lie within the
    workplan … to 2024-06-30") although the agreement was extended."""
    workplan, instrument, activity = togo
    extend(world, instrument)
    update = report(world, activity)
    assert update.pk and update.review_status == ReviewStatus.SUBMITTED
    assert reporting_window(workplan) == (D(2022, 9, 1), EXTENDED_TO)


def test_the_window_still_ends_at_the_later_date(world, togo):
    """Without an extension the window ends with the plan; a period past the extension is refused."""
    workplan, instrument, activity = togo
    with pytest.raises(ValidationError) as refused:
        report(world, activity)
    assert set(refused.value.message_dict) == {"period_end"}
    (message,) = refused.value.message_dict["period_end"]
    assert "2024-06-30" in message or "30 June 2024" in message
    extend(world, instrument)
    with pytest.raises(ValidationError) as refused:
        report(world, activity, start=D(2026, 12, 1), end=D(2027, 1, 31))
    assert set(refused.value.message_dict) == {"period_end"}
    # A plan ending after its agreement reports to the plan's end.
    workplan.ends_on = D(2027, 6, 30)
    workplan.save()
    assert reporting_window(workplan)[1] == D(2027, 6, 30)


def test_progress_update_through_the_api_in_the_extended_window(world, togo, api_client):
    _workplan, instrument, activity = togo
    extend(world, instrument)
    api_client.force_authenticate(world.users["ma_focal_point"])
    response = api_client.post(
        reverse("api:progressupdate-list"),
        {
            "activity": activity.pk,
            "period_start": "2026-07-01",
            "period_end": "2026-11-30",
            "narrative": "Two NDFs drafted.",
            "status": ActivityStatus.ONGOING,
            "percent_complete": 60,
        },
        format="json",
    )
    assert response.status_code == 201, response.content


def test_indicator_values_follow_the_same_window(world, togo):
    workplan, instrument, _activity = togo
    indicator = IndicatorFactory(workplan=workplan, counts_people=False)
    value = IndicatorValue(
        indicator=indicator, period_start=D(2026, 7, 1), period_end=D(2026, 11, 30), value=3
    )
    with pytest.raises(ValidationError):
        value.full_clean()
    extend(world, instrument)
    value.full_clean()


def test_nobody_is_asked_for_a_period_they_may_not_report_on(world, togo):
    """Reported up to the end of the window: not due, not on the attention list, no reminder
    (the issue: "No progress reported since 2024-06-30" on an activity that could not report)."""
    _workplan, _instrument, activity = togo
    assert not activities_due_an_update(Activity.objects.all(), TODAY).exists()
    kinds = {i.kind for i in needs_attention(world.users["ma_focal_point"], today=TODAY)}
    assert Kind.PROGRESS_OVERDUE not in kinds
    assert [d for d in due_items(TODAY) if d.obj == activity] == []


def test_after_an_extension_the_activity_is_due_again(world, togo):
    _workplan, instrument, activity = togo
    extend(world, instrument)
    (due,) = activities_due_an_update(Activity.objects.all(), TODAY)
    assert due == activity
    assert (due.last_reported, due.reporting_end) == (PLAN_END, EXTENDED_TO)
    assert update_due_date(due) == PLAN_END + datetime.timedelta(days=90)
    items = needs_attention(world.users["ma_focal_point"], today=TODAY)
    assert [i.url for i in items if i.kind == Kind.PROGRESS_OVERDUE] == [
        reverse("workplans:progress_add", kwargs={"parent": activity.pk})
    ]
    assert activity in [d.obj for d in due_items(TODAY)]
    # Reported for July–November 2026: nothing more is due until the next interval.
    report(world, activity)
    assert not activities_due_an_update(Activity.objects.all(), TODAY).exists()


def test_due_date_is_the_end_of_the_window_when_it_comes_first(world, togo):
    """Last reported to 31 May 2024, the window ends 30 June 2024: the update is due on 30 June,
    not 90 days after 31 May."""
    _workplan, _instrument, activity = togo
    activity.progress_updates.update(period_end=D(2024, 5, 31))
    (due,) = activities_due_an_update(Activity.objects.all(), TODAY)
    assert update_due_date(due) == PLAN_END


def test_a_returned_update_does_not_count_as_reported(world, togo):
    _workplan, instrument, activity = togo
    extend(world, instrument)
    ProgressUpdateFactory(
        activity=activity,
        period_start=D(2024, 7, 1),
        period_end=D(2026, 11, 30),
        review_status=ReviewStatus.RETURNED,
    )
    (due,) = activities_due_an_update(Activity.objects.all(), TODAY)
    assert due.last_reported == PLAN_END


def test_my_work_uses_the_same_rule(world, togo, client):
    # The page is viewed on TODAY, a fixed day: the focal point's role (given "today", the
    # clock's day) must have started by then, whatever day the suite runs.
    RoleAssignment.objects.filter(user=world.users["ma_focal_point"]).update(starts_on=D(2022, 1, 1))
    client.force_login(world.users["ma_focal_point"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
        work = client.get(reverse("workplans:my_work")).context["work"]
        assert list(work["updates_due"]) == []
        extend(world, togo[1])
        work = client.get(reverse("workplans:my_work")).context["work"]
        assert list(work["updates_due"]) == [togo[2]]
