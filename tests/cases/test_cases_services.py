"""CAP case transitions and selection decisions: the workflow table, who may take each step,
and the record of who did it, when and why."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.choices import CapStage
from cases.models import CapCase, CapCaseTransition, EligibilityAssessment
from cases.services import cap_case_transition, eligibility_decide
from cases.workflow import TRANSITIONS, can_transition

from .factories import CapCaseFactory, ComplianceCaseFactory, EligibilityAssessmentFactory

pytestmark = pytest.mark.django_db


def test_allowed_transition_is_recorded_with_who_when_and_why(world):
    cap_case = CapCaseFactory(party=world.own)
    user = world.users["case_manager"]
    before = timezone.now()
    record = cap_case_transition(
        cap_case=cap_case, to_stage="long_list", user=user, reason="Desk review, SC78."
    )
    cap_case.refresh_from_db()
    assert cap_case.stage == CapStage.LONG_LIST
    assert (record.from_stage, record.to_stage, record.taken_by, record.reason) == (
        "candidate",
        "long_list",
        user,
        "Desk review, SC78.",
    )
    assert record.taken_at >= before
    latest = cap_case.history.latest("history_date")
    assert latest.stage == "long_list" and latest.history_user == user


def test_transition_not_in_the_table_is_refused_and_writes_nothing(world):
    cap_case = CapCaseFactory(party=world.own)
    with pytest.raises(ValidationError) as error:
        cap_case_transition(
            cap_case=cap_case, to_stage="in_implementation", user=world.users["case_manager"], reason="x"
        )
    assert "to_stage" in error.value.message_dict
    assert "cannot move from 'Candidate' to 'In implementation'" in error.value.message_dict["to_stage"][0]
    cap_case.refresh_from_db()
    assert cap_case.stage == "candidate" and not CapCaseTransition.objects.exists()


@pytest.mark.parametrize("role", ["secretariat_viewer", "ma_focal_point", "sa_focal_point", "donor_observer"])
def test_transition_by_a_role_not_allowed_is_refused_and_writes_nothing(role, world):
    cap_case = CapCaseFactory(party=world.own)
    allowed, reason = can_transition(world.users[role], cap_case, "long_list")
    assert not allowed and "case manager" in reason
    with pytest.raises(PermissionDenied):
        cap_case_transition(cap_case=cap_case, to_stage="long_list", user=world.users[role], reason="x")
    cap_case.refresh_from_db()
    assert cap_case.stage == "candidate" and not CapCaseTransition.objects.exists()


def test_transition_needs_a_reason(world):
    cap_case = CapCaseFactory(party=world.own)
    with pytest.raises(ValidationError) as error:
        cap_case_transition(
            cap_case=cap_case, to_stage="long_list", user=world.users["case_manager"], reason="  "
        )
    assert "reason" in error.value.message_dict
    assert not CapCaseTransition.objects.exists()


def test_full_path_to_closed_and_start_date(world):
    """candidate → long list → short list → selected → in implementation (sets started_on) →
    closing → closed, each step recorded in order."""
    cap_case = CapCaseFactory(party=world.own)
    user = world.users["case_manager"]
    path = ["long_list", "short_list", "selected", "in_implementation", "closing", "closed"]
    for stage in path:
        cap_case_transition(cap_case=cap_case, to_stage=stage, user=user, reason=f"Step to {stage}")
    cap_case.refresh_from_db()
    assert cap_case.stage == "closed"
    assert cap_case.started_on == timezone.localdate()
    steps = list(cap_case.transitions.order_by("taken_at", "pk").values_list("to_stage", flat=True))
    assert steps == path


def test_workflow_table_is_data():
    """Every stage is reachable and only case managers take steps; closed is the end."""
    targets = {t.target for t in TRANSITIONS}
    assert targets | {"candidate"} == set(CapStage.values)
    assert all(t.roles == frozenset({"case_manager"}) for t in TRANSITIONS)
    assert not [t for t in TRANSITIONS if "closed" in t.sources]
    assert all(t.comment_required for t in TRANSITIONS)  # every move says why


# --- API ---------------------------------------------------------------------------------------


def _transition(api_client, cap_case, **payload):
    return api_client.post(reverse("api:capcase-transition", args=[cap_case.pk]), payload, format="json")


def test_api_transition_by_case_manager(world, api_client):
    cap_case = CapCaseFactory(party=world.own)
    api_client.force_login(world.users["case_manager"])
    response = _transition(api_client, cap_case, to_stage="long_list", reason="Meets criteria a and c.")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["stage"] == "long_list"
    assert body["transitions"][0]["taken_by"] == "case_manager"
    assert body["transitions"][0]["reason"] == "Meets criteria a and c."


@pytest.mark.parametrize("role", ["secretariat_viewer", "ma_focal_point", "sa_focal_point", "donor_observer"])
def test_api_transition_by_other_roles_is_403(role, world, api_client):
    cap_case = CapCaseFactory(party=world.own)
    api_client.force_login(world.users[role])
    response = _transition(api_client, cap_case, to_stage="long_list", reason="x")
    assert response.status_code == 403
    cap_case.refresh_from_db()
    assert cap_case.stage == "candidate" and not CapCaseTransition.objects.exists()


def test_api_transition_not_in_table_is_400_with_a_clear_message(world, api_client):
    cap_case = CapCaseFactory(party=world.own)
    api_client.force_login(world.users["case_manager"])
    response = _transition(api_client, cap_case, to_stage="closed", reason="Skip ahead")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["attr"] for e in errors] == ["to_stage"]
    assert "cannot move from 'Candidate' to 'Closed'" in errors[0]["detail"]
    cap_case.refresh_from_db()
    assert cap_case.stage == "candidate" and not CapCaseTransition.objects.exists()


def test_api_transition_needs_a_valid_stage_and_a_reason(world, api_client):
    cap_case = CapCaseFactory(party=world.own)
    api_client.force_login(world.users["case_manager"])
    response = _transition(api_client, cap_case, to_stage="paradise")
    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"to_stage", "reason"}
    assert not CapCaseTransition.objects.exists()


# --- Selection decisions -----------------------------------------------------------------------


def test_decision_is_recorded_with_the_score_and_moves_the_case(world):
    cap_case = CapCaseFactory(party=world.own)
    ComplianceCaseFactory(party=world.own)
    assessment = EligibilityAssessmentFactory(cap_case=cap_case, committed=True)
    user = world.users["case_manager"]
    eligibility_decide(
        assessment=assessment, decision="long_list", reason="Under Article XIII since 2019.", user=user
    )
    assessment.refresh_from_db()
    cap_case.refresh_from_db()
    assert cap_case.stage == "long_list"
    assert assessment.decision == "long_list" and assessment.decided_by == user
    assert assessment.decided_on == timezone.localdate()
    assert assessment.decision_reason == "Under Article XIII since 2019."
    assert assessment.score_at_decision > 0
    assert any("criterion a" in line for line in assessment.reasons_at_decision)
    assert cap_case.transitions.get().reason == "Under Article XIII since 2019."


def test_decision_not_in_the_table_writes_nothing(world, api_client):
    """Selecting straight from candidate is not a step of the table: 400, assessment unchanged."""
    cap_case = CapCaseFactory(party=world.own)
    assessment = EligibilityAssessmentFactory(cap_case=cap_case)
    api_client.force_login(world.users["case_manager"])
    response = api_client.post(
        reverse("api:eligibilityassessment-decide", args=[assessment.pk]),
        {"decision": "selected", "reason": "Skip the lists"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "to_stage"
    assessment.refresh_from_db()
    cap_case.refresh_from_db()
    assert assessment.decision == "" and cap_case.stage == "candidate"


@pytest.mark.parametrize("role", ["secretariat_viewer", "ma_focal_point", "donor_observer"])
def test_only_case_managers_record_decisions(role, world, api_client):
    assessment = EligibilityAssessmentFactory(cap_case=CapCaseFactory(party=world.own))
    api_client.force_login(world.users[role])
    response = api_client.post(
        reverse("api:eligibilityassessment-decide", args=[assessment.pk]),
        {"decision": "long_list", "reason": "x"},
        format="json",
    )
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.decision == "" and CapCase.objects.get().stage == "candidate"


def test_api_decision_by_case_manager(world, api_client):
    assessment = EligibilityAssessmentFactory(cap_case=CapCaseFactory(party=world.own))
    api_client.force_login(world.users["case_manager"])
    response = api_client.post(
        reverse("api:eligibilityassessment-decide", args=[assessment.pk]),
        {"decision": "not_selected", "reason": "No compliance mechanism applies."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["decision"] == "not_selected"
    assert EligibilityAssessment.objects.get().decided_on == datetime.date.today()
