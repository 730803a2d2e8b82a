"""Four eyes (issue 14.4): the person who submitted a progress update, a deliverable or a workplan
version is not the one who accepts or approves it; another case manager is. One rule for every
review (``workplans.workflow.reviewer_is_not_submitter``, declared in ``review_transitions``) and
one for workplan approval (``approver_did_not_submit``)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from parties.services import role_assign, user_create
from tests.workplans.factories import (
    ActivityFactory,
    approved_activity,
    cap_case_for,
    make_workplan,
)
from workplans import services
from workplans.choices import ReviewStatus, WorkplanAction, WorkplanStatus
from workplans.models import Deliverable, ProgressUpdate

pytestmark = pytest.mark.django_db


def second_case_manager():
    user = user_create(username="second_case_manager", password="pw-second")
    role_assign(user=user, role="case_manager")
    return user


def _update_by(user, activity):
    return services.progress_update_submit(
        user=user,
        data={
            "activity": activity,
            "period_start": activity.planned_start,
            "period_end": activity.planned_start,
            "narrative": "Terms of reference drafted.",
            "status": "ongoing",
            "percent_complete": 30,
        },
    )


def test_the_case_manager_who_reported_progress_does_not_accept_it(world):
    manager = world.users["case_manager"]
    update = _update_by(manager, approved_activity(world.own))
    with pytest.raises(ValidationError) as refused:
        services.progress_update_review(update=update, user=manager, accept=True)
    assert "another case manager accepts it" in str(refused.value.message_dict["review_status"])
    update.refresh_from_db()
    assert update.review_status == ReviewStatus.SUBMITTED and update.reviewed_by is None
    # Returning it with a comment stays open to them (nothing is accepted on their own word).
    services.progress_update_review(update=update, user=manager, accept=False, comment="Add the dates.")
    # Corrected by the focal point, it is theirs now: the case manager may accept it.
    focal = world.users["ma_focal_point"]
    services.progress_update_change(update=update, user=focal, data={"narrative": "ToR and dates."})
    accepted = services.progress_update_review(update=update, user=manager, accept=True)
    assert accepted.review_status == ReviewStatus.ACCEPTED and accepted.reviewed_by == manager


def test_another_case_manager_accepts_a_case_managers_progress_update(world):
    update = _update_by(world.users["case_manager"], approved_activity(world.own))
    other = second_case_manager()
    accepted = services.progress_update_review(update=update, user=other, accept=True)
    assert accepted.review_status == ReviewStatus.ACCEPTED
    assert ProgressUpdate.objects.get(pk=update.pk).reviewed_by == other


def test_the_api_refuses_the_submitter_s_own_acceptance_of_a_deliverable(world, api_client):
    """Recorded through the API by a case manager, a deliverable is accepted by another one."""
    manager = world.users["case_manager"]
    api_client.force_login(manager)
    created = api_client.post(
        reverse("api:deliverable-list"),
        {"cap_case": cap_case_for(world.own).pk, "kind": "guidelines", "title": "NDF guidelines"},
        format="json",
    )
    assert created.status_code == 201, created.content
    deliverable = Deliverable.objects.get(pk=created.json()["id"])
    assert deliverable.submitted_by == manager
    review = reverse("api:deliverable-review", kwargs={"pk": deliverable.pk})
    refused = api_client.post(review, {"decision": "accept"}, format="json")
    assert refused.status_code == 400, refused.content
    assert "review_status" in refused.content.decode()
    deliverable.refresh_from_db()
    assert deliverable.review_status == ReviewStatus.SUBMITTED
    api_client.force_login(second_case_manager())
    assert api_client.post(review, {"decision": "accept"}, format="json").status_code == 200
    deliverable.refresh_from_db()
    assert deliverable.review_status == ReviewStatus.ACCEPTED


def test_the_case_manager_who_submitted_a_workplan_does_not_approve_it(world):
    manager = world.users["case_manager"]
    workplan = make_workplan(world.own)
    ActivityFactory(workplan=workplan)
    services.workplan_transition(workplan=workplan, action=WorkplanAction.SUBMIT, user=manager)
    with pytest.raises(ValidationError) as refused:
        services.workplan_transition(workplan=workplan, action=WorkplanAction.APPROVE, user=manager)
    assert "another case manager approves it" in str(refused.value)
    workplan.refresh_from_db()
    assert workplan.status == WorkplanStatus.SUBMITTED
    approved = services.workplan_transition(
        workplan=workplan, action=WorkplanAction.APPROVE, user=second_case_manager()
    )
    assert approved.status == WorkplanStatus.APPROVED


def test_a_workplan_submitted_by_the_focal_point_is_approved_by_the_case_manager(world):
    workplan = make_workplan(world.own)
    ActivityFactory(workplan=workplan)
    services.workplan_transition(
        workplan=workplan, action=WorkplanAction.SUBMIT, user=world.users["ma_focal_point"]
    )
    approved = services.workplan_transition(
        workplan=workplan, action=WorkplanAction.APPROVE, user=world.users["case_manager"]
    )
    assert approved.status == WorkplanStatus.APPROVED
