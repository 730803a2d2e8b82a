"""Workflow writes of the cases app: moving a CAP case between stages and recording a selection
decision. Plain create/update/delete goes through ``cap_portal.services``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import CapStage, SelectionDecision
from .models import CapCase, CapCaseTransition, EligibilityAssessment
from .workflow import can_transition, transition_between


@transaction.atomic
def cap_case_transition(*, cap_case: CapCase, to_stage: str, user, reason: str) -> CapCaseTransition:
    """Move ``cap_case`` to ``to_stage`` and record who did it, when and why.

    The one way a CAP case changes stage. Raises ``ValidationError`` (on ``to_stage`` or
    ``reason``) when the step is not in the workflow table or no reason is given, and
    ``PermissionDenied`` when the user's role may not take the step. Nothing is written then.
    Starting implementation sets ``started_on`` when it is still empty.
    """
    cap_case = CapCase.objects.select_for_update().get(pk=cap_case.pk)
    if to_stage not in CapStage.values:
        raise ValidationError({"to_stage": _("Unknown stage: %(stage)s.") % {"stage": to_stage}})
    allowed, why = can_transition(user, cap_case, to_stage)
    if transition_between(cap_case.stage, to_stage) is None:
        raise ValidationError({"to_stage": why})
    if not allowed:
        raise PermissionDenied(why)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the CAP case moves to this stage.")})

    record = CapCaseTransition(
        cap_case=cap_case, from_stage=cap_case.stage, to_stage=to_stage, taken_by=user, reason=reason.strip()
    )
    record.full_clean()
    record._history_user = user
    record.save()

    cap_case.stage = to_stage
    if to_stage == CapStage.IN_IMPLEMENTATION and cap_case.started_on is None:
        cap_case.started_on = timezone.localdate()
    cap_case._history_user = user
    cap_case._change_reason = reason.strip()[:100]
    cap_case.save()
    return record


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
    assessment._history_user = user
    assessment.save()
    return assessment
