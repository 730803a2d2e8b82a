"""Funding pages: the absorption summary (programme, Parties, donors), the funding page of a CAP
case (agreements with their extensions timeline, installments, budget, absorption chart, delays),
legal instruments, a workplan's budget in the layout of CoP18 Doc. 28 Annex 2, and expenditure.
Figures come from ``budgets.selectors``, charts and timelines from ``budgets.charts``.

The forms: case managers record funding agreements (legal instruments), no-cost extensions,
installments and budget lines (MA focal points their own Party's budget lines, drafts only); focal
points report expenditure for their own Party. They are the base edit and delete views (restricted
querysets, stale-edit check); creations with a domain service call it."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import generic

from cap_portal import services as generic_services
from cap_portal.access import Action
from cap_portal.responses import XLSX, attachment
from cap_portal.views import (
    ChildEditView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    message_validation_error,
)
from cases.models import CapCase
from workplans.models import Workplan
from workplans.workflow import EDITABLE_STATES

from . import charts, selectors, services
from .api.views import expenditure_document_response
from .exports import absorption_workbook, budget_workbook
from .filtersets import ExpenditureFilterSet, LegalInstrumentFilterSet
from .forms import (
    BudgetLineForm,
    ExpenditureForm,
    InstallmentForm,
    LegalInstrumentForm,
    NoCostExtensionForm,
)
from .models import BudgetLine, Expenditure, Installment, LegalInstrument, NoCostExtension


def _permits(user, model, action, obj) -> bool:
    return model.access_policy.permits(user, action, obj)


class AbsorptionView(LoginRequiredMixin, generic.TemplateView):
    """The programme's funding page: figures and absorption charts per Party, per donor and per
    fund, over what the user may see (a donor observer: what its donor funds)."""

    template_name = "budgets/absorption.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = selectors.absorption_summary(user=self.request.user)
        context["summary"] = summary
        # Each Party's CAP case, for the link to its funding page (one query).
        cases = dict(
            LegalInstrument.objects.restrict(self.request.user)
            .order_by("cap_case__party_id", "-signed_on")
            .values_list("cap_case__party_id", "cap_case_id")
        )
        context["party_rows"] = [(party, f, cases.get(party.pk)) for party, f in summary.parties]
        context["party_chart"] = charts.absorption_chart(summary.parties)
        context["donor_chart"] = charts.absorption_chart(summary.donors)
        return context


class AbsorptionExportView(LoginRequiredMixin, generic.View):
    def get(self, request):
        summary = selectors.absorption_summary(user=request.user)
        return attachment(absorption_workbook(summary), f"absorption-{summary.as_of.isoformat()}.xlsx", XLSX)


class CaseFundingView(LoginRequiredMixin, generic.TemplateView):
    """The funding page of a CAP case: its agreements (current end date, extensions timeline,
    installments planned, transferred and received, delay flags), the budget that counts in the
    Annex 2 layout and the absorption with its charts, over what the user may see.

    Open to the roles that read funding records (403 otherwise); 404 for a CAP case the user may
    not see and none of whose funding records they may see (a donor observer: what it funds)."""

    template_name = "budgets/case_funding.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not LegalInstrument.access_policy.allows(
            request.user, Action.VIEW
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        cap_case = get_object_or_404(CapCase.objects.select_related("party"), pk=self.kwargs["pk"])
        funding = selectors.case_funding(user=user, cap_case=cap_case)
        case_visible = CapCase.objects.restrict(user).filter(pk=cap_case.pk).exists()
        if not (case_visible or funding.agreements or funding.table.blocks or funding.draft_table.blocks):
            raise Http404
        workplan, draft = funding.workplan, funding.draft_workplan
        context.update(
            {
                "cap_case": cap_case,
                "funding": funding,
                "case_visible": case_visible,
                "table": funding.table,
                "later_years": funding.later_years,
                "figure_chart": charts.figures_chart(funding.figures),
                "category_chart": charts.category_chart(
                    funding.budget_by_category, funding.spent_by_category
                ),
                "agreement_timelines": [
                    (agreement, charts.agreement_timeline(agreement.instrument, today=funding.as_of))
                    for agreement in funding.agreements
                ],
                "can_add_instrument": _permits(
                    user, LegalInstrument, Action.ADD, LegalInstrument(cap_case=cap_case)
                ),
                "can_change_instrument": LegalInstrument.access_policy.allows(user, Action.CHANGE),
                # The version in force is approved: its budget is read-only, a draft's is edited.
                "can_edit_budget": False,
                "can_edit_draft_budget": draft is not None
                and draft.status in EDITABLE_STATES
                and _permits(user, BudgetLine, Action.ADD, BudgetLine(workplan=draft)),
                "can_report": (workplan or draft) is not None
                and _permits(
                    user,
                    Expenditure,
                    Action.ADD,
                    Expenditure(budget_line=BudgetLine(workplan=workplan or draft)),
                ),
            }
        )
        return context


class InstrumentListView(ObjectListView):
    model = LegalInstrument
    filterset_class = LegalInstrumentFilterSet
    template_name = "budgets/instrument_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["object_list"])
        flags = selectors.delay_flags(LegalInstrument.objects.filter(pk__in=[i.pk for i in page]))
        context["rows"] = [(instrument, flags[instrument.pk]) for instrument in page]
        return context


class InstrumentDetailView(ObjectDetailView):
    """A legal instrument: period with its extensions, installments, the CAP case's figures, delays."""

    model = LegalInstrument
    template_name = "budgets/instrument_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .with_current_end()
            .select_related("cap_case__party")
            .prefetch_related("funding_sources__donor", "extensions", "installments__funding_source__donor")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instrument, user = self.object, self.request.user
        today = timezone.localdate()
        context["instrument_figures"] = selectors.instrument_figures(instrument, as_of=today)
        context["case_figures"] = selectors.cap_case_figures(
            user=user, cap_case_id=instrument.cap_case_id, as_of=today
        )
        context["delays"] = selectors.delay_flags(
            LegalInstrument.objects.filter(pk=instrument.pk), as_of=today
        )[instrument.pk]
        context["timeline"] = charts.agreement_timeline(instrument, today=today)
        context["overdue"] = set(context["delays"].overdue_installments)
        context["budget_workplan_id"] = Workplan.objects.in_force_ids(
            [instrument.cap_case_id], as_of=today
        ).get(instrument.cap_case_id)
        context["can_change"] = _permits(user, LegalInstrument, Action.CHANGE, instrument)
        context["can_delete"] = _permits(user, LegalInstrument, Action.DELETE, instrument)
        context["can_add_extension"] = _permits(
            user, NoCostExtension, Action.ADD, NoCostExtension(instrument=instrument)
        )
        context["can_add_installment"] = _permits(
            user, Installment, Action.ADD, Installment(instrument=instrument)
        )
        return context


class BudgetMixin(LoginRequiredMixin):
    """The budget lines of a workplan the user may see (404 when none and the workplan is hidden)."""

    def get_table(self):
        workplan = get_object_or_404(Workplan.objects.select_related("cap_case__party"), pk=self.kwargs["pk"])
        lines = BudgetLine.objects.restrict(self.request.user).for_table().filter(workplan=workplan)
        visible = Workplan.objects.restrict(self.request.user).filter(pk=workplan.pk).exists()
        lines = list(lines)
        if not visible and not lines:
            raise Http404
        return workplan, selectors.budget_table(lines)


class BudgetView(BudgetMixin, generic.TemplateView):
    """A workplan's budget in the layout of CoP18 Doc. 28 Annex 2, with the lines to edit (for
    those who may, while the version is a draft or returned)."""

    template_name = "budgets/budget.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        workplan, table = self.get_table()
        context["workplan"], context["table"] = workplan, table
        context["later_years"] = [y for y in table.years if y != 1]
        # Only the version in force counts in the figures: a draft's budget is labelled so.
        in_force = Workplan.objects.in_force_ids([workplan.cap_case_id], approved_only=True)
        context["counts_in_figures"] = in_force.get(workplan.cap_case_id) == workplan.pk
        context["can_edit_budget"] = workplan.status in EDITABLE_STATES and _permits(
            self.request.user, BudgetLine, Action.ADD, BudgetLine(workplan=workplan)
        )
        return context


class BudgetExportView(BudgetMixin, generic.View):
    def get(self, request, pk):
        workplan, table = self.get_table()
        content = budget_workbook(table, title=str(workplan))
        return attachment(content, f"budget-{workplan.cap_case.party.code}-v{workplan.version}.xlsx", XLSX)


class ExpenditureListView(ObjectListView):
    model = Expenditure
    filterset_class = ExpenditureFilterSet
    template_name = "budgets/expenditure_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = Expenditure.access_policy.allows(self.request.user, Action.CHANGE)
        return context


# --- forms ---------------------------------------------------------------------------------


class FundingEditView(ChildEditView):
    """Create (under the parent named by ``parent`` in the address) or edit a funding record;
    saving shows the record, cancelling a new one returns to its parent."""

    template_name = "budgets/form.html"
    delete_name = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["delete_url"] = None
        if not self.is_create and _permits(self.request.user, self.get_model(), Action.DELETE, self.object):
            context["delete_url"] = reverse(f"budgets:{self.delete_name}", kwargs={"pk": self.object.pk})
        return context


class InstrumentEditView(FundingEditView):
    """Record a funding agreement of a CAP case, or correct one (case managers)."""

    queryset = LegalInstrument.objects.select_related("cap_case__party")
    form_class = LegalInstrumentForm
    delete_name = "instrument_delete"
    parent_model = CapCase
    parent_field = "cap_case"
    parent_related = ("party",)

    def get_parent_url(self, parent):
        return reverse("budgets:case_funding", kwargs={"pk": parent.pk})


class ExtensionEditView(FundingEditView):
    """Grant a no-cost extension (through ``no_cost_extension_grant``) or correct one."""

    queryset = NoCostExtension.objects.select_related("instrument__cap_case__party")
    form_class = NoCostExtensionForm
    delete_name = "extension_delete"
    parent_model = LegalInstrument
    parent_field = "instrument"
    parent_related = ("cap_case__party",)

    def create(self, data):
        return services.no_cost_extension_grant(user=self.request.user, **data)


class InstallmentEditView(FundingEditView):
    """Plan an installment or record it as transferred or received (``installment_save``)."""

    queryset = Installment.objects.select_related("instrument__cap_case__party")
    form_class = InstallmentForm
    delete_name = "installment_delete"
    parent_model = LegalInstrument
    parent_field = "instrument"
    parent_related = ("cap_case__party",)

    def create(self, data):
        return services.installment_save(user=self.request.user, data=data)

    def update(self, data):
        return services.installment_save(installment=self.object, user=self.request.user, data=data)

    def get_initial(self):
        initial = super().get_initial()
        if self.is_create:
            numbers = self.get_parent().installments.values_list("number", flat=True)
            initial["number"] = max(numbers, default=0) + 1
            sources = list(self.get_parent().funding_sources.values_list("pk", flat=True)[:2])
            if len(sources) == 1:
                initial["funding_source"] = sources[0]
        return initial


class BudgetLineEditView(FundingEditView):
    """A line of a draft (or returned) workplan's budget."""

    queryset = BudgetLine.objects.select_related("workplan__cap_case__party")
    form_class = BudgetLineForm
    delete_name = "budgetline_delete"
    parent_model = Workplan
    parent_field = "workplan"
    parent_related = ("cap_case__party",)

    def get_parent_url(self, parent):
        return reverse("budgets:workplan_budget", kwargs={"pk": parent.pk})


class ExpenditureEditView(FundingEditView):
    """Report expenditure (through ``expenditure_report``: focal points for their own Party) or
    correct it, with an optional supporting document."""

    queryset = Expenditure.objects.select_related("budget_line__workplan__cap_case__party", "reported_by")
    form_class = ExpenditureForm
    delete_name = "expenditure_delete"
    template_name = "budgets/expenditure_form.html"

    def get_initial(self):
        initial = super().get_initial()
        if self.is_create and str(self.request.GET.get("budget_line", "")).isdigit():
            initial["budget_line"] = self.request.GET["budget_line"]
        return initial

    def create(self, data):
        return services.expenditure_report(user=self.request.user, **data)

    def get_success_url(self):
        return reverse("budgets:expenditure_list")

    def get_cancel_url(self):
        return reverse("budgets:expenditure_list")


class FundingDeleteView(ObjectDeleteView):
    """Delete a funding record; a rule that forbids it (a budget line of an approved workplan,
    expenditure reported against it) is shown as a message, nothing deleted."""

    def get_success_url(self):
        return self.object.get_absolute_url()

    def refusal(self) -> str | None:
        check = getattr(self.object, "deletion_error", None)
        return check() if check else None

    def form_valid(self, form):
        target, success_url = str(self.object), self.get_success_url()
        message = self.refusal()
        if message:
            messages.error(self.request, message)
            return HttpResponseRedirect(success_url)
        try:
            generic_services.object_delete(instance=self.object, user=self.request.user)
        except (ProtectedError, RestrictedError) as error:
            kinds = sorted({str(obj._meta.verbose_name_plural) for obj in error.args[1]})
            messages.error(
                self.request,
                _("This record cannot be deleted while other records depend on it: %(kinds)s.")
                % {"kinds": ", ".join(kinds)},
            )
            return HttpResponseRedirect(success_url)
        except DjangoValidationError as error:
            message_validation_error(self.request, error)
            return HttpResponseRedirect(success_url)
        messages.success(self.request, _("%(object)s was deleted.") % {"object": target})
        return HttpResponseRedirect(success_url)


class InstrumentDeleteView(FundingDeleteView):
    queryset = LegalInstrument.objects.select_related("cap_case__party")

    def get_success_url(self):
        return reverse("budgets:case_funding", kwargs={"pk": self.object.cap_case_id})


class ExtensionDeleteView(FundingDeleteView):
    queryset = NoCostExtension.objects.select_related("instrument__cap_case__party")


class InstallmentDeleteView(FundingDeleteView):
    queryset = Installment.objects.select_related("instrument__cap_case__party")

    def get_success_url(self):
        return self.object.instrument.get_absolute_url()


class BudgetLineDeleteView(FundingDeleteView):
    queryset = BudgetLine.objects.select_related("workplan__cap_case__party")

    def get_success_url(self):
        return reverse("budgets:workplan_budget", kwargs={"pk": self.object.workplan_id})


class ExpenditureDeleteView(FundingDeleteView):
    queryset = Expenditure.objects.select_related("budget_line__workplan__cap_case__party")

    def get_success_url(self):
        return reverse("budgets:expenditure_list")


class ExpenditureDocumentView(ObjectDetailView):
    """The supporting document of expenditure, only to those who may see it (404 otherwise)."""

    queryset = Expenditure.objects.all()

    def get(self, request, *args, **kwargs):
        return expenditure_document_response(self.get_object())
