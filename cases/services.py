"""Workflow writes of the cases app: moving a CAP case between stages, recording a selection
decision, recording results and their review. Plain create/update/delete goes through
``cap_portal.services``."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cap_portal import services as generic
from cap_portal.history import acting_user
from cap_portal.workflow import transition_take
from workplans.choices import ReviewDecision, ReviewStatus

from .choices import CapStage, SelectionDecision
from .models import CapCase, CapCaseTransition, EligibilityAssessment, Result
from .workflow import transition_between


@transaction.atomic
def cap_case_transition(*, cap_case: CapCase, to_stage: str, user, reason: str) -> CapCaseTransition:
    """Move ``cap_case`` to ``to_stage`` and record who did it, when and why.

    The API and the UI name the target stage; this finds the step of the workflow table
    (``cases.workflow``) and takes it through the one engine. Raises ``ValidationError`` (on
    ``to_stage`` or ``reason``) when the step is not in the workflow table or no reason is given,
    and ``PermissionDenied`` when the user's role may not take the step. Nothing is written then.
    Starting implementation sets ``started_on`` when it is still empty.
    """
    action = cap_case_step(cap_case=cap_case, to_stage=to_stage)
    cap_case = transition_take(obj=cap_case, action=action, user=user, comment=reason)
    return cap_case.workflow_step


def cap_case_step(*, cap_case: CapCase, to_stage: str) -> str:
    """The step of the workflow table that moves the CAP case from its stage to ``to_stage``;
    ``ValidationError`` on ``to_stage`` when the table has none."""
    if to_stage not in CapStage.values:
        raise ValidationError({"to_stage": _("Unknown stage: %(stage)s.") % {"stage": to_stage}})
    current = CapCase.objects.only("stage").get(pk=cap_case.pk).stage
    transition = transition_between(current, to_stage)
    if transition is None:
        raise ValidationError(
            {
                "to_stage": _("A CAP case cannot move from '%(source)s' to '%(target)s'.")
                % {"source": CapStage(current).label, "target": CapStage(to_stage).label}
            }
        )
    return transition.action


@transaction.atomic
def eligibility_decide(
    *, assessment: EligibilityAssessment, decision: str, reason: str, user
) -> EligibilityAssessment:
    """Record a selection decision on a candidate and move its CAP case to the decided stage.

    The proposed score and its reasons are frozen on the assessment as they stood at the
    decision. The stage change goes through :func:`cap_case_transition`, so the workflow table
    and its roles apply, and the decision is written only if the transition is.
    """
    from .selectors import score_cap_cases

    if decision not in SelectionDecision.values:
        raise ValidationError({"decision": _("Choose a decision from the list.")})
    if not (reason or "").strip():
        raise ValidationError({"decision_reason": _("Record the reasons for the decision.")})
    # The score as it stands before the case leaves the selection stages.
    row = score_cap_cases([assessment.cap_case], assessments={assessment.cap_case_id: assessment})[0]
    cap_case_transition(cap_case=assessment.cap_case, to_stage=decision, user=user, reason=reason)

    assessment.decision = decision
    assessment.decision_reason = reason.strip()
    assessment.decided_by = user
    assessment.decided_on = timezone.localdate()
    assessment.score_at_decision = row.score
    assessment.reasons_at_decision = [reason_line.as_text() for reason_line in row.reasons]
    assessment.full_clean()
    with acting_user(user):
        assessment.save()
    return assessment


# --- Results -------------------------------------------------------------------------------------

RESULT_LINKS = ("activities", "recommendations", "compliance_cases")


def _check_result_links(result: Result, data: dict) -> None:
    """The links the data sets (or, on a CAP case change, the stored ones) must be of the CAP
    case's Party: ``ValidationError`` naming the field otherwise, before anything is written."""
    links = {}
    for name in RESULT_LINKS:
        if name in data:
            links[name] = list(data[name])
        elif result.pk:
            links[name] = list(getattr(result, name).all())
    result.clean_links(**links)


@transaction.atomic
def result_record(*, user, data: dict) -> Result:
    """Record a result of a CAP case; it waits for a case manager's review before it counts."""
    data = {**data, "submitted_by": user, "review_status": ReviewStatus.SUBMITTED}
    probe = Result(**{k: v for k, v in data.items() if k not in RESULT_LINKS})
    probe.full_clean()
    _check_result_links(probe, data)
    return generic.object_create(model=Result, user=user, data=data)


@transaction.atomic
def result_change(*, result: Result, user, data: dict) -> Result:
    """Correct a result not yet accepted; it goes back for review as submitted by ``user``."""
    data = {**data, "submitted_by": user, "review_status": ReviewStatus.SUBMITTED}
    for name, value in data.items():
        if name not in RESULT_LINKS:
            setattr(result, name, value)
    result.full_clean()
    _check_result_links(result, data)
    return generic.object_update(instance=result, user=user, data=data)


@transaction.atomic
def result_delete(*, result: Result, user) -> None:
    """Delete a result not yet accepted (an accepted one is part of the record)."""
    error = result.deletion_error()
    if error:
        raise ValidationError({result.deletion_error_field: error})
    generic.object_delete(instance=result, user=user)


@transaction.atomic
def result_review(*, result: Result, user, accept: bool, comment: str = "") -> Result:
    """A case manager accepts a result (not the one who submitted it) or returns it with a
    comment; the table is ``cases.workflow.RESULT_REVIEW``, taken by the one engine."""
    action = ReviewDecision.ACCEPT if accept else ReviewDecision.RETURN
    return transition_take(obj=result, action=action, user=user, comment=comment)
