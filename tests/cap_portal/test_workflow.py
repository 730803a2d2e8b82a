"""The one workflow engine (``cap_portal.workflow``) and the history it leaves: every workflow
step, whichever model it moves, shows in ``/history/`` as a change of its state field with the
acting user and the comment (or the step's label) as reason; the acting user is recorded outside
a request too."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cap_portal import access
from cap_portal.workflow import available_transitions, transition_take, workflow_for
from cases.models import CapCase
from reports.models import Report
from tests.cases.factories import CapCaseFactory
from tests.workplans.factories import (
    ActivityFactory,
    DeliverableFactory,
    ProgressUpdateFactory,
    approved_activity,
    make_workplan,
)
from workplans import services as workplan_services
from workplans.choices import ReviewStatus, WorkplanStatus
from workplans.models import Deliverable, ProgressUpdate, Workplan, WorkplanStep

pytestmark = pytest.mark.django_db


def history(api_client, url):
    response = api_client.get(url + "history/")
    assert response.status_code == 200, response.content
    return response.json()


def changed(entry, field):
    """The (old, new) of ``field`` in a history entry, or None when it did not change."""
    return next(((c["old"], c["new"]) for c in entry["changes"] if c["field"] == field), None)


# --- The tables ----------------------------------------------------------------------------------

WORKFLOW_MODELS = [CapCase, Workplan, ProgressUpdate, Deliverable, Report]
NAMED_ROLE_SETS = {
    value for name, value in vars(access).items() if name.endswith("_ROLES") and isinstance(value, frozenset)
}


@pytest.mark.parametrize("model", WORKFLOW_MODELS, ids=lambda m: m._meta.label)
def test_every_workflow_is_a_table_of_named_role_sets(model):
    """Each workflow is declared as data: its steps move one field between its choices, and who
    may take a step is a role set named in cap_portal.access."""
    workflow = workflow_for(model)
    choices = {value for value, _label in model._meta.get_field(workflow.field).choices}
    assert workflow.transitions
    for transition in workflow.transitions:
        assert transition.roles in NAMED_ROLE_SETS, transition
        assert transition.sources <= choices and transition.target in choices, transition
        assert str(transition.label)


# --- The service ---------------------------------------------------------------------------------


def test_transition_take_checks_the_table_the_role_and_the_comment_and_writes_nothing_on_refusal(world):
    """Unknown step: 400 on the action; a role not in the step's set: PermissionDenied; a step not
    possible from the state: 400; a missing comment: 400. The state and the records stay."""
    update = ProgressUpdateFactory(activity=approved_activity(world.own))
    cm = world.users["case_manager"]
    with pytest.raises(ValidationError) as error:
        transition_take(obj=update, action="publish", user=cm)
    assert set(error.value.message_dict) == {"action"}
    with pytest.raises(PermissionDenied):
        transition_take(obj=update, action="accept", user=world.users["ma_focal_point"])
    with pytest.raises(ValidationError) as error:
        transition_take(obj=update, action="return", user=cm, comment="  ")
    assert set(error.value.message_dict) == {"comment"}
    update.refresh_from_db()
    assert update.review_status == ReviewStatus.SUBMITTED and update.reviewed_by is None
    assert update.history.count() == 1
    transition_take(obj=update, action="accept", user=cm)
    with pytest.raises(ValidationError) as error:
        transition_take(obj=update, action="return", user=cm, comment="Late")
    assert error.value.message_dict == {"review_status": ["This progress update is Accepted already."]}


def test_available_transitions_follow_the_state_and_the_party(world):
    """Buttons: the steps from the current state that the user's roles allow for the object's Party."""
    own, other = make_workplan(world.own), make_workplan(world.other)
    ma = world.users["ma_focal_point"]
    assert [t.action for t in available_transitions(ma, own)] == ["submit"]
    assert available_transitions(ma, other) == []
    assert available_transitions(world.users["secretariat_viewer"], own) == []
    submitted = make_workplan(world.other, WorkplanStatus.SUBMITTED)
    assert [t.action for t in available_transitions(world.users["case_manager"], submitted)] == [
        "approve",
        "return",
    ]


# --- History: every workflow step is a change with its user and reason -------------------------


def test_returning_a_progress_update_shows_the_review_status_change_with_user_and_comment(world, api_client):
    """/history/ of a returned progress update: review_status submitted → returned, the review
    comment and reviewer, by the case manager, the comment as reason (was: "changes": [])."""
    update = ProgressUpdateFactory(
        activity=approved_activity(world.own), submitted_by=world.users["ma_focal_point"]
    )
    api_client.force_authenticate(world.users["case_manager"])
    url = f"/api/v1/progress-updates/{update.pk}/"
    assert api_client.post(url + "return/", {"comment": "Give the number of officers."}).status_code == 200
    latest = history(api_client, url)[0]
    assert latest["user"] == "case_manager"
    assert latest["reason"] == "Give the number of officers."
    assert changed(latest, "review_status") == ("submitted", "returned")
    assert changed(latest, "review_comment") == ("", "Give the number of officers.")
    assert changed(latest, "reviewed_by") == (None, world.users["case_manager"].pk)


def test_workplan_history_shows_submit_approve_and_revise_with_user_and_reason(world, api_client):
    """/history/ of a workplan version: each step a status change by its user with the comment
    (or the step's name) as reason; the revision's new version is created with the revision's
    comment, and approving it supersedes the old one, with the reason saying so."""
    ma, cm = world.users["ma_focal_point"], world.users["case_manager"]
    workplan = make_workplan(world.own)
    ActivityFactory(workplan=workplan)
    url = f"/api/v1/workplans/{workplan.pk}/"
    api_client.force_authenticate(ma)
    assert api_client.post(url + "submit/").status_code == 200
    api_client.force_authenticate(cm)
    assert api_client.post(url + "approve/", {"comment": "Agreed at SC78."}).status_code == 200
    api_client.force_authenticate(ma)
    response = api_client.post(url + "revise/", {"reason": "delays", "comment": "Start moved to May."})
    assert response.status_code == 201
    revision_url = f"/api/v1/workplans/{response.json()['id']}/"

    approved, submitted, created = history(api_client, url)
    assert (submitted["user"], submitted["reason"]) == ("ma_focal_point", "Submit")
    assert changed(submitted, "status") == ("draft", "submitted")
    assert (approved["user"], approved["reason"]) == ("case_manager", "Agreed at SC78.")
    assert changed(approved, "status") == ("submitted", "approved")
    assert created["action"] == "created"

    revision = history(api_client, revision_url)
    assert [(e["action"], e["user"], e["reason"]) for e in revision] == [
        ("created", "ma_focal_point", "Start moved to May.")
    ]

    api_client.post(revision_url + "submit/")
    api_client.force_authenticate(cm)
    assert api_client.post(revision_url + "approve/").status_code == 200
    superseded = history(api_client, url)[0]
    assert superseded["user"] == "case_manager"
    assert changed(superseded, "status") == ("approved", "superseded")
    assert superseded["reason"] == "Superseded by version 2."


def test_a_cap_case_stage_move_shows_the_stage_change_with_the_reason(world, api_client):
    """/history/ of a CAP case after a move: stage candidate → long list, by the case manager,
    the move's reason as the history's reason."""
    cap_case = CapCaseFactory(party=world.own)
    api_client.force_authenticate(world.users["case_manager"])
    url = f"/api/v1/cap-cases/{cap_case.pk}/"
    response = api_client.post(url + "transition/", {"to_stage": "long_list", "reason": "Desk review, SC78."})
    assert response.status_code == 200, response.content
    latest = history(api_client, url)[0]
    assert (latest["user"], latest["reason"]) == ("case_manager", "Desk review, SC78.")
    assert changed(latest, "stage") == ("candidate", "long_list")


def test_reviewing_a_deliverable_shows_the_review_in_the_history(world, api_client):
    """/history/ of a returned deliverable: review status and comment, by the case manager."""
    deliverable = DeliverableFactory(cap_case=CapCaseFactory(party=world.own))
    api_client.force_authenticate(world.users["case_manager"])
    url = f"/api/v1/deliverables/{deliverable.pk}/"
    response = api_client.post(url + "review/", {"decision": "return", "comment": "Sign the cover page."})
    assert response.status_code == 200, response.content
    latest = history(api_client, url)[0]
    assert (latest["user"], latest["reason"]) == ("case_manager", "Sign the cover page.")
    assert changed(latest, "review_status") == ("submitted", "returned")


def test_a_long_comment_is_kept_whole_in_the_history_and_in_the_step(world, api_client):
    """Returning a workplan with a 300-character comment: /history/ shows the whole comment as
    the reason (a text column, not simple-history's 100 characters), as the step record does."""
    workplan = make_workplan(world.own, WorkplanStatus.SUBMITTED)
    comment = ("Add the budget lines. " * 14)[:300]
    assert len(comment) == 300
    url = f"/api/v1/workplans/{workplan.pk}/"
    api_client.force_authenticate(world.users["case_manager"])
    assert api_client.post(url + "return/", {"comment": comment}).status_code == 200
    latest = history(api_client, url)[0]
    assert (latest["user"], latest["reason"]) == ("case_manager", comment)
    assert changed(latest, "status") == ("submitted", "returned")
    assert workplan.history.first().history_change_reason == comment
    assert WorkplanStep.objects.get(workplan=workplan).comment == comment


# --- The acting user, outside a request ----------------------------------------------------------


def test_deleting_outside_a_request_names_the_user_on_the_cascaded_records(world):
    """Deleting a workplan version deletes its workflow steps: their history names the user too
    (``_stamp`` named it on the deleted object only)."""
    from cap_portal.services import object_delete

    ma = world.users["ma_focal_point"]
    workplan = make_workplan(world.own)
    ActivityFactory(workplan=workplan)
    workplan_services.workplan_transition(workplan=workplan, action="submit", user=ma)
    workplan = Workplan.objects.get(pk=workplan.pk)
    workplan.status = WorkplanStatus.DRAFT  # a draft again, so that it may be deleted
    workplan.save()
    object_delete(instance=workplan, user=ma)
    step = WorkplanStep.history.get(history_type="-")
    assert step.history_user == ma


# --- One UI view ---------------------------------------------------------------------------------


def test_the_generic_transition_view_serves_every_workflow(world, client):
    """The CAP case, workplan, review and report URLs are one view: 403 for a role that may never
    take the step, 404 for an object outside the user's records, the step taken otherwise."""
    cm, ma = world.users["case_manager"], world.users["ma_focal_point"]
    update = ProgressUpdateFactory(activity=approved_activity(world.own), submitted_by=ma)
    other = ProgressUpdateFactory(activity=approved_activity(world.other))
    client.force_login(ma)
    assert (
        client.post(
            reverse("workplans:progress_review", args=[update.pk]), {"decision": "accept"}
        ).status_code
        == 403
    )
    draft = make_workplan(world.other)
    response = client.post(reverse("workplans:workplan_transition", args=[draft.pk, "submit"]))
    assert response.status_code == 404
    client.force_login(cm)
    assert (
        client.post(
            reverse("workplans:progress_review", args=[update.pk]), {"decision": "accept"}
        ).status_code
        == 302
    )
    update.refresh_from_db()
    assert update.review_status == ReviewStatus.ACCEPTED and update.reviewed_by == cm
    assert update.history.first().history_change_reason == "Accept"
    response = client.post(
        reverse("workplans:progress_review", args=[other.pk]),
        {"decision": "return", "comment": "x", "next": "https://evil.example/"},
    )
    assert response["Location"] == other.get_absolute_url()  # an off-site next is refused
