"""Workplan pages: access for every role (generic mixins), the workplan page, inline progress,
workflow buttons, compare and "my work"."""

import datetime

import pytest
from django.urls import reverse

from tests.budgets.factories import instrument_for
from tests.mixins import UIListTests, UIViewTestCases
from workplans.choices import ResponsibleEntity, WorkplanStatus
from workplans.models import (
    Activity,
    CorrectiveAction,
    IndicatorValue,
    ProgressUpdate,
    Workplan,
)

from .factories import (
    ActivityFactory,
    CorrectiveActionFactory,
    EventFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    activity_form_data,
    approved_activity,
    make_workplan,
)

pytestmark = pytest.mark.django_db


class TestWorkplanUI(UIListTests):
    model = Workplan

    # Donor observers read the plans their donor funds: the own Party's (EU), not the other's (CH).
    def make_object(self, party):
        instrument_for(party)
        return make_workplan(party)

    def list_url(self):
        return reverse("workplans:workplan_list")

    def edit_url(self, obj):
        return reverse("workplans:workplan_edit", kwargs={"pk": obj.pk})


class TestIndicatorValueUI(UIViewTestCases.Edit):
    model = IndicatorValue

    def make_object(self, party):
        return IndicatorValueFactory(
            indicator=IndicatorFactory(workplan=make_workplan(party, WorkplanStatus.APPROVED))
        )

    def edit_url(self, obj):
        return reverse("workplans:indicatorvalue_edit", kwargs={"pk": obj.pk})


class TestProgressUpdateUI(UIViewTestCases.Edit):
    model = ProgressUpdate

    def make_object(self, party):
        activity = approved_activity(party, responsible_entity=ResponsibleEntity.SCIENTIFIC_AUTHORITY)
        return ProgressUpdateFactory(activity=activity)

    def edit_url(self, obj):
        return reverse("workplans:progress_edit", kwargs={"pk": obj.pk})


class TestCorrectiveActionUI(UIViewTestCases.Edit):
    model = CorrectiveAction

    def make_object(self, party):
        return CorrectiveActionFactory(workplan=make_workplan(party, WorkplanStatus.APPROVED))

    def edit_url(self, obj):
        return reverse("workplans:correctiveaction_edit", kwargs={"pk": obj.pk})


@pytest.fixture
def approved(world):
    workplan = make_workplan(world.own, WorkplanStatus.APPROVED, title="Togo CAP workplan")
    ActivityFactory(
        workplan=workplan,
        code="S1",
        title="NDFs for ten key species",
        area="scientific",
        responsible_entity="sa",
        actual_start=datetime.date(2024, 2, 10),
    )
    ActivityFactory(workplan=workplan, code="I1", title="CITES database", area="information_systems")
    MilestoneFactory(workplan=workplan, title="Ten NDFs drafted", due_on=datetime.date(2020, 1, 1))
    return workplan


def test_workplan_page_groups_by_area_with_timeline(world, client, approved):
    """The page groups activities by area of concern, draws the timeline and flags overdue milestones."""
    client.force_login(world.users["secretariat_viewer"])
    response = client.get(approved.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert [g["area"] for g in response.context["groups"]] == ["Scientific", "Information systems"]
    assert "timeline-bar planned" in page and "timeline-bar actual" in page
    assert "overdue" in page
    assert "Report progress" not in page  # the viewer does not report


def test_focal_point_reports_progress_inline_and_case_manager_accepts(world, client, approved):
    sa_activity = approved.activities.get(code="S1")
    client.force_login(world.users["sa_focal_point"])
    page = client.get(approved.get_absolute_url()).content.decode()
    # The SA focal point reports on the SA's activity only.
    assert page.count("Submit progress") == 1
    response = client.post(
        reverse("workplans:progress_add", kwargs={"parent": sa_activity.pk}),
        {
            "period_start": "2024-01-01",
            "period_end": "2024-06-30",
            "status": "ongoing",
            "percent_complete": "50",
            "narrative": "Five NDFs drafted.",
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.submitted_by == world.users["sa_focal_point"]
    client.force_login(world.users["case_manager"])
    assert "Progress on S1" in client.get(reverse("workplans:my_work")).content.decode()
    response = client.post(
        reverse("workplans:progress_review", kwargs={"pk": update.pk}), {"decision": "accept"}
    )
    assert response.status_code == 302
    sa_activity.refresh_from_db()
    assert sa_activity.percent_complete == 50


def test_progress_form_errors_are_shown(world, client, approved):
    activity = approved.activities.get(code="I1")
    client.force_login(world.users["ma_focal_point"])
    response = client.post(
        reverse("workplans:progress_add", kwargs={"parent": activity.pk}),
        {
            "period_start": "2024-01-01",
            "period_end": "2027-06-30",
            "status": "ongoing",
            "percent_complete": "150",
            "narrative": "x",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"percent_complete", "period_end"}
    assert not ProgressUpdate.objects.exists()


def test_workflow_buttons_and_steps_in_the_browser(world, client):
    """The MA focal point submits; the case manager returns with a comment, then approves."""
    workplan = make_workplan(world.own)
    ActivityFactory(workplan=workplan)
    url = workplan.get_absolute_url()
    client.force_login(world.users["ma_focal_point"])
    page = client.get(url).content.decode()
    assert "/step/submit/" in page and "/step/approve/" not in page
    client.post(reverse("workplans:workplan_transition", kwargs={"pk": workplan.pk, "action": "submit"}))
    # The focal point may not approve: 403, nothing changes.
    response = client.post(
        reverse("workplans:workplan_transition", kwargs={"pk": workplan.pk, "action": "approve"})
    )
    assert response.status_code == 403
    client.force_login(world.users["case_manager"])
    page = client.get(url).content.decode()
    assert "/step/approve/" in page and "/step/return/" in page
    # Returning without a comment is refused with a message.
    response = client.post(
        reverse("workplans:workplan_transition", kwargs={"pk": workplan.pk, "action": "return"}), follow=True
    )
    assert "Say why" in response.content.decode()
    client.post(
        reverse("workplans:workplan_transition", kwargs={"pk": workplan.pk, "action": "return"}),
        {"comment": "Add the budget lines"},
    )
    workplan.refresh_from_db()
    assert workplan.status == WorkplanStatus.RETURNED
    assert "Add the budget lines" in client.get(url).content.decode()


def test_revise_and_compare_pages(world, client, approved):
    client.force_login(world.users["ma_focal_point"])
    response = client.post(
        reverse("workplans:workplan_transition", kwargs={"pk": approved.pk, "action": "revise"}),
        {"reason": "delays", "comment": "Late start"},
    )
    new = Workplan.objects.get(version=2)
    assert response["Location"] == new.get_absolute_url()
    client.post(
        reverse("workplans:activity_edit", kwargs={"pk": new.activities.get(code="I1").pk}),
        {
            "code": "I1",
            "title": "CITES database and e-permits",
            "area": "information_systems",
            "priority": "high",
            "responsible_entity": "ma",
            "planned_start": "2024-02-01",
            "planned_end": "2024-12-31",
            "status": "not_started",
            "percent_complete": "0",
        },
    )
    page = client.get(reverse("workplans:workplan_compare", kwargs={"pk": new.pk})).content.decode()
    assert "CITES database and e-permits" in page and "<del>CITES database</del>" in page


def test_editing_an_approved_plan_in_the_browser_is_refused(world, client, approved):
    activity = approved.activities.get(code="I1")
    client.force_login(world.users["ma_focal_point"])
    response = client.post(
        reverse("workplans:activity_edit", kwargs={"pk": activity.pk}),
        {
            "code": "I1",
            "title": "Changed",
            "area": "information_systems",
            "priority": "medium",
            "responsible_entity": "ma",
            "planned_start": "2024-02-01",
            "planned_end": "2024-06-30",
            "status": "not_started",
            "percent_complete": "0",
        },
    )
    assert response.status_code == 200
    assert "only a draft or returned version can be edited" in response.content.decode()
    activity.refresh_from_db()
    assert activity.title == "CITES database"


def test_focal_point_adds_activity_to_own_draft_not_to_another_party(world, client):
    own, other = make_workplan(world.own), make_workplan(world.other)
    client.force_login(world.users["ma_focal_point"])
    data = activity_form_data()
    assert client.post(reverse("workplans:activity_add", kwargs={"parent": own.pk}), data).status_code == 302
    assert (
        client.post(reverse("workplans:activity_add", kwargs={"parent": other.pk}), data).status_code == 404
    )
    assert Activity.objects.filter(code="L1").count() == 1


def test_my_work_lists_what_waits(world, client, approved):
    """A case manager sees submissions to review; a focal point sees updates due, overdue milestones
    and plans returned."""
    submitted = make_workplan(world.other, WorkplanStatus.SUBMITTED, title="Nigeria plan")
    ProgressUpdateFactory(activity=approved.activities.get(code="I1"), period_end=datetime.date.today())
    returned_case = make_workplan(world.own, WorkplanStatus.RETURNED, title="Returned plan")
    client.force_login(world.users["case_manager"])
    work = client.get(reverse("workplans:my_work")).context["work"]
    assert list(work["workplans_to_review"]) == [submitted]
    assert work["updates_to_review"].count() == 1
    client.force_login(world.users["ma_focal_point"])
    work = client.get(reverse("workplans:my_work")).context["work"]
    assert "workplans_to_review" not in work
    assert {a.code for a in work["updates_due"]} == {"S1"}  # I1 has a recent update
    assert [m.title for m in work["milestones_overdue"]] == ["Ten NDFs drafted"]
    assert list(work["workplans_returned"]) == [returned_case]


def test_donor_observer_reads_the_workplans_its_donor_funds(world, client, approved):
    """The EU observer reads Togo's plan (the EU funds it), not Nigeria's (Switzerland funds it);
    it sees the plan and the accepted progress on each activity, not the updates under review,
    the events or the deliverables, and no button to change anything."""
    instrument_for(world.own)
    other_plan = make_workplan(world.other, WorkplanStatus.APPROVED)
    instrument_for(world.other)
    activity = ActivityFactory(workplan=approved, code="F1", title="Funded activity")
    ProgressUpdateFactory(activity=activity, narrative="Draft narrative under review")
    EventFactory(cap_case=approved.cap_case, title="Internal coordination meeting")
    client.force_login(world.users["donor_observer"])

    listing = client.get(reverse("workplans:workplan_list"))
    assert listing.status_code == 200
    assert list(listing.context["object_list"]) == [approved]
    page = client.get(approved.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Funded activity" in html
    assert "Draft narrative under review" not in html
    assert "Internal coordination meeting" not in html and 'id="events"' not in html
    assert not page.context["can_edit_plan"] and not page.context["can_add_records"]
    assert client.get(other_plan.get_absolute_url()).status_code == 404
    assert client.get(reverse("workplans:activity_edit", kwargs={"pk": activity.pk})).status_code == 403


def test_unfunded_workplans_are_hidden_from_donor_observers(world, client, approved):
    client.force_login(world.users["donor_observer"])
    assert list(client.get(reverse("workplans:workplan_list")).context["object_list"]) == []
    assert client.get(approved.get_absolute_url()).status_code == 404
