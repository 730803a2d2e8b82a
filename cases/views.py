"""The cases UI: lists and pages for the compliance record, the CAP cases and the selection
board. Every view restricts its queryset through the models' access policies (cap_portal.views);
workflow steps go through cases.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import generic

from cap_portal.access import Action, holds_role
from cap_portal.views import (
    ChildEditView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    RestrictedViewMixin,
    TransitionView,
    message_validation_error,
)
from parties.models import Contact, Party
from workplans.forms import ReviewForm

from . import forms
from .choices import SELECTION_STAGES
from .filtersets import (
    CapCaseFilterSet,
    ComplianceCaseFilterSet,
    ComplianceMechanismFilterSet,
    MeetingFilterSet,
    RecommendationFilterSet,
    ResultFilterSet,
)
from .models import (
    CapCase,
    CapCaseTransition,
    ComplianceCase,
    ComplianceMeasure,
    ComplianceMechanism,
    EligibilityAssessment,
    Meeting,
    ProgressRating,
    Recommendation,
    Result,
    Stakeholder,
    TechnicalMission,
)
from .selectors import candidate_ranking, recommendation_status_history
from .services import eligibility_decide, result_change, result_record
from .workflow import RESULT_REVIEW, transition_between

# --- Reference data ------------------------------------------------------------------------------


class MeetingListView(ObjectListView):
    queryset = Meeting.objects.all()
    filterset_class = MeetingFilterSet
    template_name = "cases/meeting_list.html"


class MeetingEditView(ObjectEditView):
    queryset = Meeting.objects.all()
    form_class = forms.MeetingForm


class MechanismListView(ObjectListView):
    queryset = ComplianceMechanism.objects.all()
    filterset_class = ComplianceMechanismFilterSet
    template_name = "cases/mechanism_list.html"


class MechanismEditView(ObjectEditView):
    queryset = ComplianceMechanism.objects.all()
    form_class = forms.ComplianceMechanismForm


# --- A Party's compliance record -----------------------------------------------------------------


class PartyPresetMixin:
    """On a new record, preset the Party from ``?party=CODE`` (the Party page's add links)."""

    def get_initial(self):
        initial = super().get_initial()
        code = self.request.GET.get("party")
        if code:
            initial["party"] = Party.objects.filter(code=code.upper()).first()
        return initial


class ComplianceCaseListView(ObjectListView):
    queryset = ComplianceCase.objects.select_related("party", "mechanism", "opened_at", "closed_at")
    filterset_class = ComplianceCaseFilterSet
    template_name = "cases/compliancecase_list.html"
    export_fields = ("party.name", "mechanism", "species", "status", "opened_on", "closed_on")


class ComplianceCaseDetailView(ObjectDetailView):
    queryset = ComplianceCase.objects.select_related("party", "mechanism", "opened_at", "closed_at")
    template_name = "cases/compliancecase_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, case = self.request.user, self.object
        context["recommendations"] = (
            Recommendation.objects.restrict(user, Action.VIEW)
            .filter(compliance_case=case)
            .select_related("adopted_at")
        )
        context["measures"] = (
            ComplianceMeasure.objects.restrict(user, Action.VIEW)
            .filter(compliance_case=case)
            .select_related("adopted_at")
        )
        context["ratings"] = (
            ProgressRating.objects.restrict(user, Action.VIEW)
            .filter(compliance_case=case)
            .select_related("meeting")
        )
        context["can_edit"] = ComplianceCase.access_policy.permits(user, Action.CHANGE, case)
        context["history"] = case.history.select_related("history_user")[:10]
        return context


class ComplianceCaseEditView(PartyPresetMixin, ObjectEditView):
    queryset = ComplianceCase.objects.select_related("party", "mechanism")
    form_class = forms.ComplianceCaseForm


class RecommendationListView(ObjectListView):
    queryset = Recommendation.objects.select_related("party", "adopted_at")
    filterset_class = RecommendationFilterSet
    template_name = "cases/recommendation_list.html"
    export_fields = ("party.name", "reference", "adopted_at", "area", "text", "deadline", "status")


class RecommendationDetailView(ObjectDetailView):
    queryset = Recommendation.objects.select_related("party", "adopted_at", "compliance_case__mechanism")
    template_name = "cases/recommendation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_history"] = recommendation_status_history(self.object)
        context["can_edit"] = Recommendation.access_policy.permits(
            self.request.user, Action.CHANGE, self.object
        )
        return context


class RecommendationEditView(PartyPresetMixin, ObjectEditView):
    queryset = Recommendation.objects.select_related("party", "adopted_at")
    form_class = forms.RecommendationForm


class ComplianceMeasureEditView(PartyPresetMixin, ObjectEditView):
    queryset = ComplianceMeasure.objects.select_related("party")
    form_class = forms.ComplianceMeasureForm


class ProgressRatingEditView(ObjectEditView):
    queryset = ProgressRating.objects.select_related("compliance_case__party")
    form_class = forms.ProgressRatingForm


# --- CAP cases -----------------------------------------------------------------------------------


class CapCaseListView(ObjectListView):
    queryset = CapCase.objects.select_related("party", "case_manager")
    filterset_class = CapCaseFilterSet
    template_name = "cases/capcase_list.html"
    export_fields = ("party.code", "party.name", "stage", "case_manager", "started_on")


class CapCaseDetailView(ObjectDetailView):
    queryset = CapCase.objects.select_related("party", "case_manager")
    template_name = "cases/capcase_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, cap_case = self.request.user, self.object
        context["transitions"] = (
            CapCaseTransition.objects.restrict(user, Action.VIEW)
            .filter(cap_case=cap_case)
            .select_related("taken_by")
        )
        context["missions"] = TechnicalMission.objects.restrict(user, Action.VIEW).filter(cap_case=cap_case)
        context["stakeholders"] = Stakeholder.objects.restrict(user, Action.VIEW).filter(cap_case=cap_case)
        context["focal_points"] = (
            Contact.objects.restrict(user, Action.VIEW)
            .filter(party=cap_case.party, is_focal_point=True)
            .select_related("authority")
        )
        context["can_edit"] = CapCase.access_policy.permits(user, Action.CHANGE, cap_case)
        context["can_add_records"] = TechnicalMission.access_policy.permits(
            user, Action.ADD, TechnicalMission(cap_case=cap_case)
        )
        context["can_add_result"] = Result.access_policy.permits(user, Action.ADD, Result(cap_case=cap_case))
        if context["can_edit"]:
            context["transition_form"] = forms.TransitionForm(cap_case=cap_case)
        return context


class CapCaseEditView(PartyPresetMixin, ObjectEditView):
    queryset = CapCase.objects.select_related("party")
    form_class = forms.CapCaseForm


class CapCaseTransitionView(TransitionView):
    """POST: move a CAP case to another stage (the form names the stage and the reason): the
    generic transition view, on CAP cases."""

    queryset = CapCase.objects.select_related("party")
    access_action = Action.CHANGE
    form_class = forms.TransitionForm
    success_message = _("The CAP case moved to the new stage.")

    def get_form_kwargs(self):
        return {"cap_case": self.object}

    def get_step(self, form):
        # The form offers only the stages the table allows from the current one.
        transition = transition_between(self.object.stage, form.cleaned_data["to_stage"])
        return transition.action, form.cleaned_data["reason"], {}


class CapRecordEditView(ChildEditView):
    """Create a record of the CAP case named in the URL, or edit one by its id."""

    parent_model = CapCase
    parent_field = "cap_case"
    parent_kwarg = "case_pk"


class TechnicalMissionEditView(CapRecordEditView):
    queryset = TechnicalMission.objects.select_related("cap_case__party")
    form_class = forms.TechnicalMissionForm


class StakeholderEditView(CapRecordEditView):
    queryset = Stakeholder.objects.select_related("cap_case__party")
    form_class = forms.StakeholderForm


# --- Results -------------------------------------------------------------------------------------


class ResultListView(ObjectListView):
    queryset = Result.objects.select_related("cap_case__party", "submitted_by")
    filterset_class = ResultFilterSet
    template_name = "cases/result_list.html"
    export_fields = (
        "cap_case.party.name",
        "title",
        "achieved_on",
        "species",
        "quota",
        "quota_unit",
        "document_reference",
        "notification",
        "is_example",
        "review_status",
    )


class ResultDetailView(ObjectDetailView):
    queryset = Result.objects.select_related(
        "cap_case__party", "submitted_by", "reviewed_by", "progress_rating__meeting"
    )
    template_name = "cases/result_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, result = self.request.user, self.object
        context["activities"] = result.activities.restrict(user, Action.VIEW).select_related("workplan")
        context["recommendations"] = result.recommendations.restrict(user, Action.VIEW).select_related(
            "adopted_at"
        )
        context["compliance_cases"] = result.compliance_cases.restrict(user, Action.VIEW).select_related(
            "mechanism"
        )
        context["can_edit"] = (
            Result.access_policy.permits(user, Action.CHANGE, result) and not result.is_accepted
        )
        context["may_review"] = holds_role(user, RESULT_REVIEW.roles, result.cap_case.party_id)
        context["review_form"] = ReviewForm()
        context["history"] = result.history.select_related("history_user")[:10]
        return context


class ResultEditView(CapRecordEditView):
    """Record a result of the CAP case named in the address, or correct one not yet accepted;
    both go (back) to the case manager's review."""

    queryset = Result.objects.select_related("cap_case__party")
    form_class = forms.ResultForm

    def create(self, data):
        return result_record(user=self.request.user, data=data)

    def update(self, data):
        return result_change(result=self.object, user=self.request.user, data=data)


class ResultReviewView(TransitionView):
    """POST accept or return (with a comment) on a result (case managers; not the submitter):
    the generic transition view, the form naming the step."""

    queryset = Result.objects.select_related("cap_case__party")
    form_class = ReviewForm
    action_field = "decision"
    success_message = _("Review recorded.")
    invalid_message = _("Choose accept or return.")


# --- Selection (prong 1) -------------------------------------------------------------------------


class SelectionBoardView(RestrictedViewMixin, generic.TemplateView):
    """The proposed ranking of the candidates, with the reasons for each rank; case managers
    record decisions from here. Only the Secretariat sees eligibility assessments."""

    model = EligibilityAssessment
    template_name = "cases/selection_board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["rows"] = candidate_ranking(user=user)
        context["can_decide"] = EligibilityAssessment.access_policy.allows(user, Action.CHANGE)
        context["decision_form"] = forms.DecisionForm()
        context["decided"] = (
            EligibilityAssessment.objects.restrict(user, Action.VIEW)
            .exclude(decision="")
            .select_related("cap_case__party", "decided_by")
            .order_by("-decided_on", "-pk")[:20]
        )
        context["selection_stages"] = SELECTION_STAGES
        return context


class EligibilityAssessmentEditView(ObjectEditView):
    queryset = EligibilityAssessment.objects.select_related("cap_case__party")
    form_class = forms.EligibilityAssessmentForm

    def get_initial(self):
        initial = super().get_initial()
        if self.is_create and self.request.GET.get("cap_case"):
            initial["cap_case"] = self.request.GET["cap_case"]
        return initial

    def get_initial_object_values(self):
        return {"assessor": self.request.user}

    def get_success_url(self):
        return reverse("cases:selection_board")

    def get_cancel_url(self):
        return reverse("cases:selection_board")


class EligibilityDecideView(RestrictedViewMixin, generic.detail.SingleObjectMixin, generic.View):
    """POST: record a selection decision through ``eligibility_decide``."""

    queryset = EligibilityAssessment.objects.select_related("cap_case__party")
    access_action = Action.CHANGE
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        assessment = self.get_object()
        form = forms.DecisionForm(request.POST)
        board = reverse("cases:selection_board")
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(board)
        try:
            eligibility_decide(
                assessment=assessment,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except DjangoValidationError as error:
            message_validation_error(request, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("The decision on %(party)s was recorded.") % {"party": assessment.cap_case.party}
            )
        return HttpResponseRedirect(board)
