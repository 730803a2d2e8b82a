"""The workplan workflow, progress review and the rules on plan content, through the API and the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from workplans import services
from workplans.choices import ActivityStatus, ResponsibleEntity, ReviewStatus, WorkplanAction, WorkplanStatus
from workplans.models import Activity, Milestone, ProgressUpdate, Workplan
from workplans.workflow import TRANSITIONS

from .factories import (
    ActivityFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    approved_activity,
    cap_case_for,
    make_recommendation,
    make_workplan,
)

pytestmark = pytest.mark.django_db


def attrs(response):
    return {e["attr"] for e in response.json()["errors"]}


def post(api_client, user, url, data=None):
    api_client.force_authenticate(user)
    return api_client.post(url, data or {}, format="json")


@pytest.fixture
def draft(world):
    workplan = make_workplan(world.own)
    ActivityFactory(workplan=workplan, code="A1", title="CITES database")
    MilestoneFactory(workplan=workplan, title="Database online", due_on=datetime.date(2024, 9, 30))
    IndicatorFactory(workplan=workplan, name="Officers trained")
    return workplan


# --- The workflow table ---------------------------------------------------------------------------


def test_workflow_is_declared_as_data():
    """Each action names its sources, target and roles: only case managers approve or return."""
    assert set(TRANSITIONS) == {"submit", "approve", "return", "revise"}
    assert TRANSITIONS["approve"].roles == {"case_manager"}
    assert TRANSITIONS["return"].roles == {"case_manager"} and TRANSITIONS["return"].comment_required
    assert TRANSITIONS["submit"].roles == {"case_manager", "ma_focal_point"}
    # Revising makes a new version (its own write instead of a move) and needs a reason.
    assert TRANSITIONS["revise"].perform is not None and TRANSITIONS["revise"].inputs == ("reason",)


def test_submit_return_resubmit_approve_records_every_step(world, api_client, draft):
    """draft → submitted → returned → submitted → approved; each step records who, when and the comment."""
    ma, cm = world.users["ma_focal_point"], world.users["case_manager"]
    url = f"/api/v1/workplans/{draft.pk}/"
    response = post(api_client, ma, url + "submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    response = post(api_client, cm, url + "return/", {"comment": "Add indicators for the trainings."})
    assert response.status_code == 200 and response.json()["status"] == "returned"
    assert post(api_client, ma, url + "submit/").json()["status"] == "submitted"
    body = post(api_client, cm, url + "approve/", {"comment": "Agreed."}).json()
    assert body["status"] == "approved"
    steps = [(s["action"], s["from_status"], s["to_status"], s["actor"], s["comment"]) for s in body["steps"]]
    assert steps == [
        ("submit", "draft", "submitted", "ma_focal_point", ""),
        ("return", "submitted", "returned", "case_manager", "Add indicators for the trainings."),
        ("submit", "returned", "submitted", "ma_focal_point", ""),
        ("approve", "submitted", "approved", "case_manager", "Agreed."),
    ]
    assert all(s["taken_at"] for s in body["steps"])
    draft.refresh_from_db()
    assert draft.history.first().history_user == cm


@pytest.mark.parametrize(
    "status, action",
    [
        (WorkplanStatus.DRAFT, "approve"),
        (WorkplanStatus.DRAFT, "return"),
        (WorkplanStatus.DRAFT, "revise"),
        (WorkplanStatus.SUBMITTED, "submit"),
        (WorkplanStatus.SUBMITTED, "revise"),
        (WorkplanStatus.APPROVED, "submit"),
        (WorkplanStatus.APPROVED, "approve"),
        (WorkplanStatus.SUPERSEDED, "revise"),
    ],
)
def test_action_not_allowed_from_state_is_400_on_action(status, action, world, api_client):
    """A step that the table does not allow from the current state is refused on 'action'; nothing changes."""
    workplan = make_workplan(world.own, status)
    ActivityFactory(workplan=workplan)
    response = post(
        api_client,
        world.users["case_manager"],
        f"/api/v1/workplans/{workplan.pk}/{action}/",
        {"comment": "x", "reason": "delays"},
    )
    assert response.status_code == 400
    assert attrs(response) == {"action"}
    workplan.refresh_from_db()
    assert workplan.status == status and not workplan.steps.exists()
    assert Workplan.objects.count() == 1


@pytest.mark.parametrize(
    "role, action, status, expected",
    [
        ("ma_focal_point", "approve", WorkplanStatus.SUBMITTED, 403),
        ("ma_focal_point", "return", WorkplanStatus.SUBMITTED, 403),
        ("sa_focal_point", "submit", WorkplanStatus.DRAFT, 403),
        ("sa_focal_point", "approve", WorkplanStatus.SUBMITTED, 403),
        ("secretariat_viewer", "approve", WorkplanStatus.SUBMITTED, 403),
        ("secretariat_viewer", "revise", WorkplanStatus.APPROVED, 403),
        ("donor_observer", "approve", WorkplanStatus.SUBMITTED, 403),
    ],
)
def test_wrong_role_is_403(role, action, status, expected, world, api_client):
    workplan = make_workplan(world.own, status)
    ActivityFactory(workplan=workplan)
    response = post(
        api_client, world.users[role], f"/api/v1/workplans/{workplan.pk}/{action}/", {"comment": "x"}
    )
    assert response.status_code == expected
    workplan.refresh_from_db()
    assert workplan.status == status and not workplan.steps.exists()


def test_another_partys_workplan_is_404_for_a_focal_point(world, api_client):
    workplan = make_workplan(world.other)
    ActivityFactory(workplan=workplan)
    response = post(api_client, world.users["ma_focal_point"], f"/api/v1/workplans/{workplan.pk}/submit/")
    assert response.status_code == 404


def test_return_needs_a_comment(world, api_client, draft):
    draft.status = WorkplanStatus.SUBMITTED
    draft.save()
    response = post(api_client, world.users["case_manager"], f"/api/v1/workplans/{draft.pk}/return/")
    assert response.status_code == 400 and attrs(response) == {"comment"}
    draft.refresh_from_db()
    assert draft.status == WorkplanStatus.SUBMITTED


def test_submit_needs_an_activity(world, api_client):
    workplan = make_workplan(world.own)
    response = post(api_client, world.users["ma_focal_point"], f"/api/v1/workplans/{workplan.pk}/submit/")
    assert response.status_code == 400 and attrs(response) == {"action"}


def test_a_case_has_one_workplan_line(world, api_client, draft):
    """Creating a second version 1 for a case is refused on 'cap_case': a new version comes from revising."""
    api_client.force_authenticate(world.users["case_manager"])
    payload = {
        "cap_case": draft.cap_case_id,
        "title": "Again",
        "starts_on": "2024-01-01",
        "ends_on": "2024-12-31",
    }
    response = api_client.post("/api/v1/workplans/", payload, format="json")
    assert response.status_code == 400 and attrs(response) == {"cap_case"}


# --- Revisions ------------------------------------------------------------------------------------


def _approve(workplan, world):
    """Submitted by the Party's focal point, approved by the case manager (four eyes)."""
    services.workplan_transition(workplan=workplan, action="submit", user=world.users["ma_focal_point"])
    return services.workplan_transition(workplan=workplan, action="approve", user=world.users["case_manager"])


def test_revision_copies_the_plan_and_supersedes_on_approval(world, api_client, draft):
    """Revising an approved version makes a new draft version with copies of its activities,
    milestones and indicators; the old one stays approved until the new one is approved, then is
    superseded."""
    _approve(draft, world)
    IndicatorValueFactory(indicator=draft.indicators.get())
    response = post(
        api_client,
        world.users["ma_focal_point"],
        f"/api/v1/workplans/{draft.pk}/revise/",
        {"reason": "disbursement", "comment": "Funds arrived six months late."},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["version"] == 2 and body["status"] == "draft" and body["revises"] == draft.pk
    assert body["revision_reason"] == "disbursement"
    assert body["steps"][0]["action"] == "revise" and body["steps"][0]["reason"] == "disbursement"
    new = Workplan.objects.get(pk=body["id"])
    assert list(new.activities.values_list("code", "title")) == [("A1", "CITES database")]
    assert new.milestones.get().title == "Database online"
    assert new.indicators.get().values.count() == 1
    draft.refresh_from_db()
    assert draft.status == WorkplanStatus.APPROVED
    # A second revision while one is in preparation is refused.
    again = post(
        api_client,
        world.users["ma_focal_point"],
        f"/api/v1/workplans/{draft.pk}/revise/",
        {"reason": "delays"},
    )
    assert again.status_code == 400 and attrs(again) == {"action"}
    # Approving the new version supersedes the old one, with a recorded step.
    _approve(new, world)
    draft.refresh_from_db()
    assert draft.status == WorkplanStatus.SUPERSEDED
    assert draft.steps.last().action == WorkplanAction.SUPERSEDE


def test_revise_needs_a_reason(world, api_client, draft):
    _approve(draft, world)
    response = post(api_client, world.users["ma_focal_point"], f"/api/v1/workplans/{draft.pk}/revise/")
    assert response.status_code == 400 and attrs(response) == {"reason"}
    assert Workplan.objects.count() == 1


def test_compare_lists_added_removed_and_changed(world, api_client, draft):
    """The compare endpoint shows activities added, removed and changed field by field, and milestones."""
    ActivityFactory(workplan=draft, code="A2", title="Outreach campaign")
    _approve(draft, world)
    new = services.workplan_transition(
        workplan=draft, action="revise", user=world.users["case_manager"], reason="delays"
    )
    a1 = new.activities.get(code="A1")
    a1.planned_end = datetime.date(2024, 12, 31)
    a1.priority = "high"
    a1.save()
    new.activities.get(code="A2").delete()
    ActivityFactory(workplan=new, code="A3", title="NDF for Python regius")
    new.milestones.update(due_on=datetime.date(2024, 12, 31))
    api_client.force_authenticate(world.users["secretariat_viewer"])
    body = api_client.get(f"/api/v1/workplans/{new.pk}/compare/").json()
    assert body["old"]["version"] == 1 and body["new"]["version"] == 2
    assert body["activities"]["added"] == [{"code": "A3", "title": "NDF for Python regius"}]
    assert body["activities"]["removed"] == [{"code": "A2", "title": "Outreach campaign"}]
    [changed] = body["activities"]["changed"]
    assert changed["key"] == "A1"
    assert {(c["field"], c["old"], c["new"]) for c in changed["changes"]} == {
        ("planned_end", "2024-06-30", "2024-12-31"),
        ("priority", "Medium", "High"),
    }
    assert body["milestones"]["changed"][0]["changes"][0]["field"] == "due_on"
    # The first version has nothing to compare with unless one is named.
    assert api_client.get(f"/api/v1/workplans/{draft.pk}/compare/").status_code == 400
    assert api_client.get(f"/api/v1/workplans/{draft.pk}/compare/", {"other": new.pk}).status_code == 200


# --- Plan content is editable only in a draft -----------------------------------------------------


@pytest.mark.parametrize(
    "status", [WorkplanStatus.SUBMITTED, WorkplanStatus.APPROVED, WorkplanStatus.SUPERSEDED]
)
def test_plan_of_a_non_draft_version_is_read_only(status, world, api_client):
    """Editing, adding or deleting activities of a submitted or approved version is a 400 saying why."""
    workplan = make_workplan(world.own, status)
    activity = ActivityFactory(workplan=workplan, title="Original")
    api_client.force_authenticate(world.users["ma_focal_point"])
    api_client.credentials(HTTP_IF_MATCH="*")  # workplans and activities require If-Match
    response = api_client.patch(f"/api/v1/activities/{activity.pk}/", {"title": "Changed"}, format="json")
    assert response.status_code == 400
    assert "only a draft or returned version can be edited" in response.json()["errors"][0]["detail"]
    payload = {
        "workplan": workplan.pk,
        "code": "Z9",
        "title": "New",
        "area": "outreach",
        "planned_start": "2024-02-01",
        "planned_end": "2024-03-01",
    }
    assert api_client.post("/api/v1/activities/", payload, format="json").status_code == 400
    assert api_client.delete(f"/api/v1/activities/{activity.pk}/").status_code == 400
    assert (
        api_client.patch(f"/api/v1/workplans/{workplan.pk}/", {"title": "X"}, format="json").status_code
        == 400
    )
    activity.refresh_from_db()
    assert activity.title == "Original" and Activity.objects.count() == 1


def test_milestone_met_on_is_recorded_on_an_approved_plan(world, api_client):
    """Once approved, a milestone's date met and evidence may be recorded, but not its due date."""
    milestone = MilestoneFactory(workplan=make_workplan(world.own, WorkplanStatus.APPROVED))
    api_client.force_authenticate(world.users["ma_focal_point"])
    api_client.credentials(HTTP_IF_MATCH="*")  # not about concurrency: any version
    url = f"/api/v1/milestones/{milestone.pk}/"
    response = api_client.patch(
        url, {"met_on": "2024-06-15", "evidence": "Minutes of the meeting"}, format="json"
    )
    assert response.status_code == 200
    response = api_client.patch(url, {"due_on": "2025-01-01"}, format="json")
    assert response.status_code == 400 and attrs(response) == {"due_on"}


def test_only_a_never_submitted_draft_is_deleted(world, api_client, draft):
    api_client.force_authenticate(world.users["case_manager"])
    api_client.credentials(HTTP_IF_MATCH="*")  # not about concurrency: any version
    services.workplan_transition(workplan=draft, action="submit", user=world.users["ma_focal_point"])
    services.workplan_transition(
        workplan=draft, action="return", user=world.users["case_manager"], comment="x"
    )
    assert api_client.delete(f"/api/v1/workplans/{draft.pk}/").status_code == 400
    assert Workplan.objects.filter(pk=draft.pk).exists()


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, payload, field",
    [
        ("activities", {"planned_start": "2024-05-01", "planned_end": "2024-04-01"}, "planned_end"),
        ("activities", {"percent_complete": 101}, "percent_complete"),
        ("activities", {"percent_complete": -1}, "percent_complete"),
        ("activities", {"area": "astrology"}, "area"),
        ("events", {"start_on": "2024-05-02", "end_on": "2024-05-01"}, "end_on"),
        ("events", {"participants_female": -3}, "participants_female"),
        ("events", {"is_online": False, "venue": ""}, "venue"),
        ("workplans", {"starts_on": "2025-01-01", "ends_on": "2024-01-01"}, "ends_on"),
    ],
)
def test_bad_input_is_400_on_the_field_and_writes_nothing(url, payload, field, world, api_client):
    workplan = make_workplan(world.own)
    base = {
        "activities": {
            "workplan": workplan.pk,
            "code": "X1",
            "title": "T",
            "area": "legislative",
            "planned_start": "2024-02-01",
            "planned_end": "2024-03-01",
        },
        "events": {
            "cap_case": workplan.cap_case_id,
            "kind": "workshop",
            "title": "T",
            "start_on": "2024-02-01",
            "end_on": "2024-02-02",
            "venue": "Honiara",
        },
        "workplans": {"cap_case": cap_case_for(world.other).pk, "title": "T"},
    }[url]
    api_client.force_authenticate(world.users["case_manager"])
    before = Workplan.objects.count(), Activity.objects.count()
    response = api_client.post(f"/api/v1/{url}/", {**base, **payload}, format="json")
    assert response.status_code == 400, response.json()
    assert field in attrs(response)
    assert (Workplan.objects.count(), Activity.objects.count()) == before


# --- Progress updates -----------------------------------------------------------------------------


def progress_payload(activity, **changes):
    payload = {
        "activity": activity.pk,
        "period_start": "2024-01-01",
        "period_end": "2024-03-31",
        "narrative": "Consultant recruited.",
        "status": "ongoing",
        "percent_complete": 40,
        "actual_start": "2024-02-15",
    }
    payload.update(changes)
    return payload


def test_progress_accept_updates_the_activity(world, api_client):
    """A focal point reports; the case manager accepts; the activity takes the status, percent and dates."""
    activity = approved_activity(world.own)
    api_client.force_authenticate(world.users["ma_focal_point"])
    api_client.credentials(HTTP_IF_MATCH="*")  # not about concurrency: any version
    response = api_client.post("/api/v1/progress-updates/", progress_payload(activity), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["review_status"] == "submitted" and body["submitted_by"] == "ma_focal_point"
    # The focal point may not accept it.
    assert api_client.post(f"/api/v1/progress-updates/{body['id']}/accept/").status_code == 403
    api_client.force_authenticate(world.users["case_manager"])
    response = api_client.post(f"/api/v1/progress-updates/{body['id']}/accept/", {"comment": "Thanks"})
    assert response.status_code == 200 and response.json()["review_status"] == "accepted"
    activity.refresh_from_db()
    assert (activity.status, activity.percent_complete, activity.actual_start) == (
        ActivityStatus.ONGOING,
        40,
        datetime.date(2024, 2, 15),
    )
    # An accepted update can no longer be changed or deleted.
    api_client.force_authenticate(world.users["ma_focal_point"])
    url = f"/api/v1/progress-updates/{body['id']}/"
    assert api_client.patch(url, {"narrative": "Edited"}, format="json").status_code == 400
    assert api_client.delete(url).status_code == 400


def test_progress_return_needs_a_comment_and_resubmission_goes_back_for_review(world, api_client):
    update = ProgressUpdateFactory(
        activity=approved_activity(world.own), submitted_by=world.users["ma_focal_point"]
    )
    api_client.force_authenticate(world.users["case_manager"])
    api_client.credentials(HTTP_IF_MATCH="*")  # not about concurrency: any version
    url = f"/api/v1/progress-updates/{update.pk}/"
    assert attrs(api_client.post(url + "return/")) == {"comment"}
    response = api_client.post(url + "return/", {"comment": "Give the number of officers trained."})
    assert response.json()["review_status"] == "returned"
    assert api_client.post(url + "accept/").status_code == 400  # no longer waiting for review
    api_client.force_authenticate(world.users["ma_focal_point"])
    response = api_client.patch(url, {"narrative": "32 officers trained."}, format="json")
    assert response.status_code == 200 and response.json()["review_status"] == "submitted"
    update.activity.refresh_from_db()
    assert update.activity.percent_complete == 0


def test_sa_focal_point_reports_only_on_sa_and_enforcement_activities(world, api_client):
    sa_activity = approved_activity(world.own, responsible_entity=ResponsibleEntity.ENFORCEMENT)
    ma_activity = approved_activity(world.own, responsible_entity=ResponsibleEntity.MANAGEMENT_AUTHORITY)
    api_client.force_authenticate(world.users["sa_focal_point"])
    assert (
        api_client.post("/api/v1/progress-updates/", progress_payload(sa_activity), format="json").status_code
        == 201
    )
    response = api_client.post("/api/v1/progress-updates/", progress_payload(ma_activity), format="json")
    assert response.status_code == 400 and attrs(response) == {"activity"}
    assert ProgressUpdate.objects.count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"period_end": "2026-03-31"}, "period_end"),
        ({"period_start": "2023-10-01"}, "period_start"),
        ({"percent_complete": 120}, "percent_complete"),
        ({"period_start": "2024-04-01", "period_end": "2024-03-01"}, "period_end"),
    ],
)
def test_progress_bad_input(changes, field, world, api_client):
    activity = approved_activity(world.own)
    api_client.force_authenticate(world.users["ma_focal_point"])
    response = api_client.post(
        "/api/v1/progress-updates/", progress_payload(activity, **changes), format="json"
    )
    assert response.status_code == 400 and field in attrs(response)
    assert not ProgressUpdate.objects.exists()


def test_progress_is_reported_on_an_approved_plan_only(world, api_client):
    activity = ActivityFactory(workplan=make_workplan(world.own))
    api_client.force_authenticate(world.users["ma_focal_point"])
    response = api_client.post("/api/v1/progress-updates/", progress_payload(activity), format="json")
    assert response.status_code == 400 and attrs(response) == {"activity"}


def test_review_services_refuse_other_roles(world):
    update = ProgressUpdateFactory(activity=approved_activity(world.own))
    with pytest.raises(PermissionDenied):
        services.progress_update_review(update=update, user=world.users["secretariat_viewer"], accept=True)
    with pytest.raises(ValidationError):
        services.progress_update_review(update=update, user=world.users["case_manager"], accept=False)
    assert ProgressUpdate.objects.get().review_status == ReviewStatus.SUBMITTED


# --- Milestones and indicators --------------------------------------------------------------------


def test_overdue_milestones_are_flagged_and_filtered(world, api_client):
    """Overdue = not met and due before today; derived, never stored."""
    workplan = make_workplan(world.own, WorkplanStatus.APPROVED)
    late = MilestoneFactory(workplan=workplan, title="Late", due_on=datetime.date(2020, 1, 1))
    MilestoneFactory(
        workplan=workplan, title="Met", due_on=datetime.date(2020, 1, 1), met_on=datetime.date(2019, 12, 1)
    )
    MilestoneFactory(
        workplan=workplan, title="Future", due_on=datetime.date.today() + datetime.timedelta(days=30)
    )
    assert list(Milestone.objects.overdue()) == [late]
    api_client.force_authenticate(world.users["sa_focal_point"])
    rows = api_client.get("/api/v1/milestones/", {"overdue": "true"}).json()["results"]
    assert [(r["title"], r["is_overdue"]) for r in rows] == [("Late", True)]
    rows = api_client.get("/api/v1/milestones/", {"overdue": "false"}).json()["results"]
    assert {r["title"] for r in rows} == {"Met", "Future"}


def test_indicator_values_by_sex_sum_to_the_value(world, api_client):
    workplan = make_workplan(world.own, WorkplanStatus.APPROVED)
    people = IndicatorFactory(workplan=workplan, counts_people=True)
    things = IndicatorFactory(workplan=workplan, counts_people=False, unit="NDFs")
    api_client.force_authenticate(world.users["ma_focal_point"])
    period = {"period_start": "2024-01-01", "period_end": "2024-06-30"}
    response = api_client.post(
        "/api/v1/indicator-values/",
        {"indicator": people.pk, "female": 14, "male": 20, "other_or_not_recorded": 1, **period},
        format="json",
    )
    assert response.status_code == 201 and response.json()["value"] == "35.00"
    response = api_client.post(
        "/api/v1/indicator-values/",
        {"indicator": things.pk, "female": 3, "value": 2, **period},
        format="json",
    )
    assert response.status_code == 400 and attrs(response) == {"female"}
    response = api_client.post(
        "/api/v1/indicator-values/", {"indicator": people.pk, "male": -2, **period}, format="json"
    )
    assert response.status_code == 400 and attrs(response) == {"male"}


def test_coverage_lists_pending_recommendations_no_activity_addresses(world, api_client, draft):
    """The workplan (API detail, coverage endpoint) shows the Party's open or in-progress
    recommendations that no activity of the version addresses; closed ones and other Parties' are left out."""
    addressed = make_recommendation(world.own, reference="SC77 SR", text="Make NDFs.")
    open_one = make_recommendation(world.own, area="legislative", reference="SC77 SR", text="Revise the law.")
    in_progress = make_recommendation(
        world.own, area="enforcement", status="in_progress", text="Train officers."
    )
    make_recommendation(world.own, status="implemented", text="Done already.")
    make_recommendation(world.other, text="Another Party's.")
    draft.activities.get().recommendations.add(addressed)
    api_client.force_authenticate(world.users["ma_focal_point"])
    body = api_client.get(f"/api/v1/workplans/{draft.pk}/coverage/").json()
    assert body["pending"] == 3
    assert [r["id"] for r in body["addressed"]] == [addressed.pk]
    assert {r["id"] for r in body["unaddressed"]} == {open_one.pk, in_progress.pk}
    detail = api_client.get(f"/api/v1/workplans/{draft.pk}/").json()
    assert {r["id"] for r in detail["unaddressed_recommendations"]} == {open_one.pk, in_progress.pk}
    page = _page(world, draft)
    unaddressed = page[page.index('id="unaddressed"') :].split("</ul>")[0]
    assert "Revise the law." in unaddressed and "Train officers." in unaddressed
    assert "Make NDFs." not in unaddressed


def _page(world, workplan):
    from django.test import Client

    client = Client()
    client.force_login(world.users["secretariat_viewer"])
    return client.get(workplan.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ["case_manager", "ma_focal_point"])
def test_activity_addressing_another_partys_recommendation_is_400(role, world, api_client, draft):
    foreign = make_recommendation(world.other)
    api_client.force_authenticate(world.users[role])
    api_client.credentials(HTTP_IF_MATCH="*")  # activities require If-Match
    activity = draft.activities.get()
    response = api_client.patch(
        f"/api/v1/activities/{activity.pk}/", {"recommendations": [foreign.pk]}, format="json"
    )
    assert response.status_code == 400 and attrs(response) == {"recommendations"}
    assert not activity.recommendations.exists()
    own = make_recommendation(world.own)
    response = api_client.patch(
        f"/api/v1/activities/{activity.pk}/", {"recommendations": [own.pk]}, format="json"
    )
    assert response.status_code == 200 and response.json()["recommendations"] == [own.pk]


def test_revision_copies_recommendations_and_compare_shows_them(world, api_client, draft):
    first, second = make_recommendation(world.own, text="One."), make_recommendation(world.own, text="Two.")
    draft.activities.get().recommendations.add(first)
    _approve(draft, world)
    new = services.workplan_transition(
        workplan=draft, action="revise", user=world.users["case_manager"], reason="other"
    )
    copy = new.activities.get()
    assert list(copy.recommendations.all()) == [first]
    copy.recommendations.add(second)
    api_client.force_authenticate(world.users["case_manager"])
    [changed] = api_client.get(f"/api/v1/workplans/{new.pk}/compare/").json()["activities"]["changed"]
    assert changed["changes"][0]["field"] == "recommendations"


def test_duplicate_activity_code_is_400_on_code(world, api_client, draft):
    api_client.force_authenticate(world.users["ma_focal_point"])
    payload = {
        "workplan": draft.pk,
        "code": "A1",
        "title": "Duplicate",
        "area": "outreach",
        "planned_start": "2024-02-01",
        "planned_end": "2024-03-01",
    }
    response = api_client.post("/api/v1/activities/", payload, format="json")
    assert response.status_code == 400 and "code" in attrs(response)
