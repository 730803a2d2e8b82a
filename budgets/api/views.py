"""API of budgets and funding: funding sources, legal instruments, no-cost extensions,
installments, budget lines, expenditure, and the read-only figures (absorption, budget table)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from budgets import selectors as selectors
from budgets import services as services
from budgets.exports import absorption_workbook, budget_workbook
from budgets.filtersets import (
    BudgetLineFilterSet,
    ExpenditureFilterSet,
    FundingSourceFilterSet,
    InstallmentFilterSet,
    LegalInstrumentFilterSet,
    NoCostExtensionFilterSet,
)
from budgets.models import (
    BudgetLine,
    Expenditure,
    FundingSource,
    Installment,
    LegalInstrument,
    NoCostExtension,
)
from cap_portal.access import Action
from cap_portal.api.serializers import BaseModelSerializer
from cap_portal.api.viewsets import BaseModelViewSet
from cap_portal.responses import XLSX, attachment, stored_file
from workplans.api.serializers import PartyCodeField
from workplans.models import Workplan


def as_of_param(request) -> datetime.date | None:
    value = request.query_params.get("as_of")
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise serializers.ValidationError({"as_of": _("Give a date as YYYY-MM-DD.")}) from error


def plain(value):
    """Decimals as strings (as the serializers write them), in nested figures."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description="Date of the figures (default: today)")


# --- serializers -----------------------------------------------------------------------------


class MoneyFields(serializers.Serializer):
    amount_usd = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True, allow_null=True)


def _usd(help_text):
    return serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True, help_text=help_text)


def _percent(help_text):
    return serializers.DecimalField(
        max_digits=None, decimal_places=1, read_only=True, allow_null=True, help_text=help_text
    )


class FiguresSerializer(serializers.Serializer):
    """The funding figures of a Party, a donor, a fund or the programme (``selectors.Figures``)."""

    committed = _usd(_("USD committed by the legal instruments (per donor: installments planned)."))
    received = _usd(_("USD received by the Party on or before the date of the figures."))
    spent = _usd(_("USD of expenditure reported on or before the date of the figures."))
    budget = _usd(_("USD of the budget lines of the workplan versions in force on that date."))
    balance = _usd(_("Received − spent, USD."))
    to_disburse = _usd(_("Committed − received, USD."))
    absorption_of_received = _percent(
        _(
            "Spent as a percentage of received, one decimal (81.3 means 81.3 %): the exact "
            "quotient × 100 rounded once, half up; null when nothing was received. The figure "
            "the pages, exports and the SC report show."
        )
    )
    absorption_of_budget = _percent(
        _(
            "Spent as a percentage of the budget, one decimal, rounded as absorption_of_received; "
            "null without a budget."
        )
    )


class AbsorptionRowSerializer(FiguresSerializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class AbsorptionFundSerializer(FiguresSerializer):
    fund = serializers.CharField(read_only=True)


@extend_schema_serializer(many=False)  # the ``list`` action answers one summary, not an array
class AbsorptionSummarySerializer(serializers.Serializer):
    """``/api/v1/absorption/``: the figures per Party, per donor, per fund and for the programme."""

    as_of = serializers.DateField(read_only=True)
    programme = FiguresSerializer(read_only=True)
    parties = AbsorptionRowSerializer(many=True, read_only=True)
    donors = AbsorptionRowSerializer(many=True, read_only=True)
    funds = AbsorptionFundSerializer(many=True, read_only=True)


class FundingSourceSerializer(BaseModelSerializer):
    class Meta:
        model = FundingSource
        fields = ["id", "fund", "donor", "name", "created", "updated"]


class NoCostExtensionSerializer(BaseModelSerializer):
    class Meta:
        model = NoCostExtension
        fields = ["id", "instrument", "new_end_date", "reason", "granted_on", "created", "updated"]


class LegalInstrumentSerializer(BaseModelSerializer):
    party = PartyCodeField(source="cap_case.party")
    amount_usd = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True, allow_null=True)
    current_end_date = serializers.DateField(read_only=True)

    class Meta:
        model = LegalInstrument
        fields = [
            "id",
            "cap_case",
            "party",
            "counterpart_kind",
            "counterpart_name",
            "funding_sources",
            "reference",
            "signed_on",
            "starts_on",
            "ends_on",
            "current_end_date",
            "amount",
            "currency",
            "exchange_rate",
            "amount_usd",
            "notes",
            "is_illustrative",
            "created",
            "updated",
        ]

    def validate_funding_sources(self, value):
        if not value:
            raise serializers.ValidationError(_("Choose at least one funding source."))
        return value


class LegalInstrumentDetailSerializer(LegalInstrumentSerializer):
    extensions = NoCostExtensionSerializer(many=True, read_only=True)

    class Meta(LegalInstrumentSerializer.Meta):
        fields = [*LegalInstrumentSerializer.Meta.fields, "extensions"]


class InstallmentSerializer(BaseModelSerializer):
    party = PartyCodeField(source="instrument.cap_case.party")
    amount_usd = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = Installment
        fields = [
            "id",
            "instrument",
            "party",
            "number",
            "funding_source",
            "planned_on",
            "amount",
            "currency",
            "exchange_rate",
            "amount_usd",
            "transferred_on",
            "received_on",
            "is_illustrative",
            "created",
            "updated",
        ]
        validators = []  # the model's clean() names the field (one number per instrument)


class BudgetLineSerializer(BaseModelSerializer):
    party = PartyCodeField(source="workplan.cap_case.party")
    amount = serializers.DecimalField(max_digits=28, decimal_places=2, read_only=True)
    fund = serializers.CharField(source="funding_source.fund", read_only=True)

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "workplan",
            "party",
            "activity",
            "category",
            "description",
            "unit",
            "units",
            "rate",
            "amount",
            "funding_source",
            "fund",
            "year",
            "is_illustrative",
            "created",
            "updated",
        ]
        lean_reads = {"amount": ("units", "rate")}  # cap_portal.api.lean


class ExpenditureSerializer(BaseModelSerializer):
    party = PartyCodeField(source="budget_line.workplan.cap_case.party")
    amount_usd = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True, allow_null=True)
    # The supporting document is uploaded (multipart) and read back through ``document_url``, the
    # permission-checked download: MEDIA_ROOT has no public address.
    document = serializers.FileField(write_only=True, required=False, allow_null=True)
    document_url = serializers.SerializerMethodField()
    # The username, or null for expenditure loaded without a reporter (sample data); a related
    # field so that a partial update's response still carries it.
    reported_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Expenditure
        fields = [
            "id",
            "budget_line",
            "party",
            "spent_on",
            "amount",
            "currency",
            "exchange_rate",
            "amount_usd",
            "description",
            "document",
            "document_url",
            "reported_by",
            "is_illustrative",
            "created",
            "updated",
        ]

    def validate_document(self, value):
        return value or ""  # null clears the document

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_document_url(self, obj) -> str | None:
        if not obj.document:
            return None
        return reverse("api:expenditure-document", kwargs={"pk": obj.pk})


# --- viewsets --------------------------------------------------------------------------------


# Business rules of the models' clean() and the viewsets, documented with their error codes so
# that the schema lists every 400 the API answers (drf-standardized-errors knows only the fields').
WRITE_ACTIONS = ["create", "update", "partial_update"]


@extend_validation_errors(["required"], field_name="donor", actions=WRITE_ACTIONS)
class FundingSourceViewSet(BaseModelViewSet):
    """The CITES Trust Fund (CTL) and donors' external funds (QTL)."""

    queryset = FundingSource.objects.select_related("donor")
    serializer_class = FundingSourceSerializer
    filterset_class = FundingSourceFilterSet


class LegalInstrumentViewSet(BaseModelViewSet):
    """Funding agreements per CAP case, with their current end date (no-cost extensions included)
    and ``figures``: committed, received, the CAP case's absorption and the delay flags."""

    queryset = LegalInstrument.objects.for_table()
    serializer_class = LegalInstrumentSerializer
    filterset_class = LegalInstrumentFilterSet
    extra_action_access = {"figures": Action.VIEW}

    def get_serializer_class(self):
        if self.action == "retrieve":
            return LegalInstrumentDetailSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in ("retrieve", "figures"):
            queryset = queryset.prefetch_related("extensions", "installments")
        return queryset

    @extend_schema(parameters=[AS_OF], responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def figures(self, request, pk=None):
        """Committed, received and to disburse for this instrument; the CAP case's figures and
        absorption over what you may see; the delay flags."""
        instrument = self.get_object()
        as_of = as_of_param(request)
        delays = selectors.delay_flags(LegalInstrument.objects.filter(pk=instrument.pk), as_of=as_of)
        case = selectors.cap_case_figures(user=request.user, cap_case_id=instrument.cap_case_id, as_of=as_of)
        return Response(
            plain(
                {
                    "instrument": selectors.instrument_figures(instrument, as_of=as_of),
                    "current_end_date": instrument.current_end_date,
                    "cap_case": case.as_dict(),
                    "delays": delays[instrument.pk].as_dict(),
                }
            )
        )


class NoCostExtensionViewSet(BaseModelViewSet):
    """No-cost extensions of legal instruments, as history; granting one moves the current end date."""

    queryset = NoCostExtension.objects.select_related("instrument__cap_case__party")
    serializer_class = NoCostExtensionSerializer
    filterset_class = NoCostExtensionFilterSet

    def perform_create(self, serializer):
        serializer.instance = services.no_cost_extension_grant(
            user=self.request.user, **serializer.validated_data
        )


class InstallmentViewSet(BaseModelViewSet):
    """Installments: planned date and amount, date transferred, date received by the Party."""

    queryset = Installment.objects.all()
    serializer_class = InstallmentSerializer
    filterset_class = InstallmentFilterSet

    def get_queryset(self):
        return super().get_queryset().for_table()

    def perform_create(self, serializer):
        serializer.instance = services.installment_save(
            user=self.request.user, data=dict(serializer.validated_data)
        )

    @transaction.atomic
    def perform_update(self, serializer):
        instance = self.lock_and_check_version(serializer.instance)
        serializer.instance = services.installment_save(
            installment=instance, user=self.request.user, data=dict(serializer.validated_data)
        )
        self._object_for_etag = serializer.instance


@extend_validation_errors(["not_editable"], field_name="workplan", actions=[*WRITE_ACTIONS, "destroy"])
@extend_validation_errors(["required"], field_name="workplan", actions=["table", "export"])
class BudgetLineViewSet(BaseModelViewSet):
    """Budget lines of workplans (editable while the workplan is a draft); ``table`` and ``export``
    give a workplan's budget in the layout of CoP18 Doc. 28 Annex 2."""

    queryset = BudgetLine.objects.all()
    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilterSet
    extra_action_access = {"table": Action.VIEW, "export": Action.VIEW}

    def get_queryset(self):
        return super().get_queryset().for_table()

    def perform_destroy(self, instance):
        message = instance.deletion_error()
        if message:
            raise serializers.ValidationError({"workplan": [message]}, code="not_editable")
        super().perform_destroy(instance)

    def _table_lines(self, request):
        workplan_id = request.query_params.get("workplan")
        if not workplan_id or not str(workplan_id).isdigit():
            raise serializers.ValidationError(
                {"workplan": [_("Name the workplan (its id).")]}, code="required"
            )
        # The workplan must be one the user may see, or one whose budget lines they may see
        # (donor observers): another Party's workplan id answers 404, like any hidden object.
        lines = list(self.get_queryset().filter(workplan_id=workplan_id))
        visible = (
            Workplan.objects.restrict(request.user).select_related("cap_case__party").filter(pk=workplan_id)
        )
        workplan = visible.first() or (lines[0].workplan if lines else None)
        if workplan is None:
            raise Http404
        return workplan, lines

    @extend_schema(
        parameters=[OpenApiParameter("workplan", int, required=True)],
        responses=OpenApiTypes.OBJECT,
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def table(self, request):
        """A workplan's budget (the lines you may see) grouped by category, with totals per source,
        per year and for the whole period."""
        workplan, lines = self._table_lines(request)
        return Response(plain({"workplan": workplan.pk, **selectors.budget_table(lines).as_dict()}))

    @extend_schema(
        parameters=[OpenApiParameter("workplan", int, required=True)],
        responses={(200, XLSX): OpenApiTypes.BINARY},
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def export(self, request):
        """The budget table as XLSX."""
        workplan, lines = self._table_lines(request)
        content = budget_workbook(selectors.budget_table(lines), title=str(workplan))
        return attachment(content, f"budget-{workplan.cap_case.party.code}-v{workplan.version}.xlsx", XLSX)


class ExpenditureViewSet(BaseModelViewSet):
    """Expenditure reported by the Parties against budget lines (JSON or multipart with a document)."""

    queryset = Expenditure.objects.all()
    serializer_class = ExpenditureSerializer
    filterset_class = ExpenditureFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return super().get_queryset().for_table()

    def perform_create(self, serializer):
        serializer.instance = services.expenditure_report(user=self.request.user, **serializer.validated_data)

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def document(self, request, pk=None):
        """The supporting document, to those who may see the expenditure (404 when there is none)."""
        return expenditure_document_response(self.get_object())


def expenditure_document_response(expenditure: Expenditure):
    """An expenditure's supporting document (the caller has checked access)."""
    return stored_file(expenditure.document, expenditure.document_filename)


class AbsorptionViewSet(viewsets.ViewSet):
    """Budget absorption (read-only) per Party, per donor, per fund and for the programme, over the
    records you may see; ``export`` gives the same as XLSX."""

    permission_classes = [IsAuthenticated]

    def _summary(self, request):
        return selectors.absorption_summary(user=request.user, as_of=as_of_param(request))

    @extend_schema(parameters=[AS_OF], responses=AbsorptionSummarySerializer)
    def list(self, request):
        """Amounts in USD (strings with two decimals); absorption as a percentage with one decimal
        (``budgets.selectors.absorption_rate``, the figure every page shows)."""
        summary = self._summary(request)

        def rows(pairs, name):
            return [{"id": obj.pk, "name": name(obj), **figures.as_dict()} for obj, figures in pairs]

        return Response(
            AbsorptionSummarySerializer(
                {
                    "as_of": summary.as_of,
                    "programme": summary.programme.as_dict(),
                    "parties": rows(summary.parties, lambda p: p.name),
                    "donors": rows(summary.donors, lambda d: d.name),
                    "funds": [{"fund": fund.value, **figures.as_dict()} for fund, figures in summary.funds],
                }
            ).data
        )

    @extend_schema(parameters=[AS_OF], responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"])
    def export(self, request):
        summary = self._summary(request)
        return attachment(absorption_workbook(summary), f"absorption-{summary.as_of.isoformat()}.xlsx", XLSX)


# Registered on the portal's one router in cap_portal/api/urls.py.
routes = [
    ("funding-sources", FundingSourceViewSet, "fundingsource"),
    ("funding-agreements", LegalInstrumentViewSet, "fundingagreement"),
    ("no-cost-extensions", NoCostExtensionViewSet, "nocostextension"),
    ("installments", InstallmentViewSet, "installment"),
    ("budget-lines", BudgetLineViewSet, "budgetline"),
    ("expenditures", ExpenditureViewSet, "expenditure"),
    ("absorption", AbsorptionViewSet, "absorption"),
]
