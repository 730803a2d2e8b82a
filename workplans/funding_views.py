"""Funding pages: the absorption summary (programme, Parties, donors), legal instruments with their
extensions, installments, figures and delay flags, a workplan's budget in the layout of CoP18
Doc. 28 Annex 2, and expenditure. Figures come from ``funding_selectors``."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import generic

from cap_portal.views import ObjectDetailView, ObjectEditView, ObjectListView

from . import funding_selectors as selectors
from .api.funding import xlsx_response
from .funding import BudgetLine, Expenditure, LegalInstrument
from .funding_exports import absorption_workbook, budget_workbook
from .funding_filtersets import ExpenditureFilterSet, LegalInstrumentFilterSet
from .funding_forms import ExpenditureForm
from .models import Workplan


class AbsorptionView(LoginRequiredMixin, generic.TemplateView):
    """The programme's funding page: figures per Party, per donor and per fund, over what the user
    may see (a donor observer: what its donor funds)."""

    template_name = "workplans/funding/absorption.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = selectors.absorption_summary(user=self.request.user)
        return context


class AbsorptionExportView(LoginRequiredMixin, generic.View):
    def get(self, request):
        summary = selectors.absorption_summary(user=request.user)
        return xlsx_response(absorption_workbook(summary), f"absorption-{summary.as_of.isoformat()}.xlsx")


class InstrumentListView(ObjectListView):
    model = LegalInstrument
    filterset_class = LegalInstrumentFilterSet
    template_name = "workplans/funding/instrument_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["object_list"])
        flags = selectors.delay_flags(LegalInstrument.objects.filter(pk__in=[i.pk for i in page]))
        context["rows"] = [(instrument, flags[instrument.pk]) for instrument in page]
        return context


class InstrumentDetailView(ObjectDetailView):
    """A legal instrument: period with its extensions, installments, the CAP case's figures, delays."""

    model = LegalInstrument
    template_name = "workplans/funding/instrument_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .with_current_end()
            .select_related("cap_case__party")
            .prefetch_related("funding_sources__donor", "extensions", "installments__funding_source")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instrument = self.object
        today = timezone.localdate()
        context["instrument_figures"] = selectors.instrument_figures(instrument, as_of=today)
        context["case_figures"] = selectors.cap_case_figures(
            user=self.request.user, cap_case_id=instrument.cap_case_id, as_of=today
        )
        context["delays"] = selectors.delay_flags(
            LegalInstrument.objects.filter(pk=instrument.pk), as_of=today
        )[instrument.pk]
        workplan_id = selectors.budget_workplan_ids([instrument.cap_case_id]).get(instrument.cap_case_id)
        context["budget_workplan_id"] = workplan_id
        return context


class BudgetMixin(LoginRequiredMixin):
    """The budget lines of a workplan the user may see (404 when none and the workplan is hidden)."""

    def get_table(self):
        workplan = get_object_or_404(Workplan.objects.select_related("cap_case__party"), pk=self.kwargs["pk"])
        lines = BudgetLine.objects.restrict(self.request.user).for_table().filter(workplan=workplan)
        visible = Workplan.objects.restrict(self.request.user).filter(pk=workplan.pk).exists()
        lines = list(lines)
        if not visible and not lines:
            from django.http import Http404

            raise Http404
        return workplan, selectors.budget_table(lines)


class BudgetView(BudgetMixin, generic.TemplateView):
    """A workplan's budget in the layout of CoP18 Doc. 28 Annex 2."""

    template_name = "workplans/funding/budget.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["workplan"], context["table"] = self.get_table()
        context["later_years"] = [y for y in context["table"].years if y != 1]
        return context


class BudgetExportView(BudgetMixin, generic.View):
    def get(self, request, pk):
        workplan, table = self.get_table()
        content = budget_workbook(table, title=str(workplan))
        return xlsx_response(content, f"budget-{workplan.cap_case.party.code}-v{workplan.version}.xlsx")


class ExpenditureListView(ObjectListView):
    model = Expenditure
    filterset_class = ExpenditureFilterSet
    template_name = "workplans/funding/expenditure_list.html"


class ExpenditureEditView(ObjectEditView):
    """Report expenditure (focal points for their own Party) or correct it."""

    model = Expenditure
    form_class = ExpenditureForm
    template_name = "workplans/funding/expenditure_form.html"

    def get_initial_object_values(self) -> dict:
        return {"reported_by": self.request.user}

    def get_success_url(self):
        from django.urls import reverse

        return reverse("funding:expenditure_list")
