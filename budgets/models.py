"""Budgets and funding (issue 5): donors' funding sources, legal instruments, no-cost
extensions, installments, budget lines and expenditure.

Money is ``Decimal``: amounts ``max_digits=14, decimal_places=2``, exchange rates
``max_digits=18, decimal_places=8``. USD is the reporting currency: an amount in another currency
keeps its original value and the rate used (USD per unit of the currency); a missing rate is a
field error, never a silent 1:1. Every figure (USD equivalents, budget line amounts, totals,
absorption) is computed, never stored — see ``budgets.selectors``.
"""

import os
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import DecimalField, F, Func, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cap_portal.access import (
    BUDGET_WRITER_ROLES,
    CASE_MANAGER_ROLES,
    FUNDED_READER_ROLES,
    AccessPolicy,
    RestrictedQuerySet,
)
from cap_portal.models import BaseModel
from workplans.models import Workplan, activity_errors
from workplans.validators import validate_deliverable_file
from workplans.workflow import EDITABLE_STATES

from .choices import BudgetCategory, CounterpartKind, Currency, Fund

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
AMOUNT = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 18, "decimal_places": 8}
POSITIVE = [MinValueValidator(CENT)]


def money(value) -> Decimal:
    """Round to the cent, half up (the rounding of financial statements)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(units, rate) -> Decimal:
    """A budget line's amount: units × rate (USD), rounded to the cent, half up. The Python form
    of the rule; :class:`LineAmount` is the same rule in SQL."""
    return money(units * rate)


class LineAmount(Func):
    """A budget line's amount in SQL: units × rate rounded to the cent, half up — the value
    :func:`line_amount` gives in Python, to the cent, for every line.

    PostgreSQL's ``numeric`` is exact and its ``ROUND`` rounds half away from zero (half up for
    these positive amounts). SQLite multiplies decimals as floats (2.5 × 1,234.57 is
    3,086.4249…, which ``ROUND`` takes down), so there the product is taken in whole hundredths
    — ``units`` and ``rate`` have two decimals, so both are exact integers — and rounded half up
    by integer division.
    """

    output_field = DecimalField(max_digits=28, decimal_places=2)

    def __init__(self, units="units", rate="rate", **extra):
        super().__init__(F(units), F(rate), **extra)

    def _operands(self, compiler):
        units, units_params = compiler.compile(self.source_expressions[0])
        rate, rate_params = compiler.compile(self.source_expressions[1])
        return units, rate, (*units_params, *rate_params)

    def as_sql(self, compiler, connection, **extra_context):
        units, rate, params = self._operands(compiler)
        return f"ROUND(({units}) * ({rate}), 2)", params

    def as_sqlite(self, compiler, connection, **extra_context):
        units, rate, params = self._operands(compiler)
        hundredths = f"CAST(ROUND(({units}) * 100) AS INTEGER) * CAST(ROUND(({rate}) * 100) AS INTEGER)"
        return f"((({hundredths}) + 50) / 100) / 100.0", params


def to_usd(amount, currency, rate) -> Decimal | None:
    """An amount in its currency in USD, rounded to the cent; None while a rate is missing."""
    if amount is None:
        return None
    if currency == Currency.USD:
        return money(amount)
    if rate is None:
        return None
    return money(amount * rate)


# --- access ---------------------------------------------------------------------------------


def _funding_policy(writers: frozenset, party: str, donor: str) -> AccessPolicy:
    """A funding record: viewed by the roles that read funded records (a donor observer, those its
    donor funds, through ``donor``); added, changed and deleted by ``writers``."""
    return AccessPolicy.written_by(writers, party_path=party, donor_path=donor, view=FUNDED_READER_ROLES)


def agreement_policy(*, via: str = "") -> AccessPolicy:
    """A legal instrument (``via=""``) or a record under one (``via="instrument__"``): written by
    case managers only."""
    return _funding_policy(CASE_MANAGER_ROLES, f"{via}cap_case__party", f"{via}funding_sources__donor")


def budget_policy(*, via: str = "") -> AccessPolicy:
    """A budget line (``via=""``) or expenditure against one (``via="budget_line__"``): written by
    the planners (case managers and the Party's Management Authority)."""
    party = f"{via}workplan__cap_case__party"
    return _funding_policy(BUDGET_WRITER_ROLES, party, f"{via}funding_source__donor")


# --- money ---------------------------------------------------------------------------------


class MoneyMixin(models.Model):
    """An amount in a currency, with the rate to USD used (USD per unit of the currency)."""

    amount = models.DecimalField(_("amount"), validators=POSITIVE, **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.USD)
    exchange_rate = models.DecimalField(
        _("exchange rate to USD"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.00000001"))],
        help_text=_("USD per unit of the currency; required unless the amount is in USD."),
        **RATE,
    )

    class Meta:
        abstract = True

    @property
    def amount_usd(self) -> Decimal | None:
        """The amount in USD, rounded to the cent (None while the rate is missing)."""
        return to_usd(self.amount, self.currency, self.exchange_rate)

    def clean_money(self, errors: dict) -> None:
        if self.currency == Currency.USD:
            if self.exchange_rate is None:
                self.exchange_rate = Decimal("1")
            elif self.exchange_rate != 1:
                errors["exchange_rate"] = _("An amount in USD has an exchange rate of 1.")
        elif self.currency and self.exchange_rate is None:
            errors["exchange_rate"] = _(
                "Give the exchange rate to USD used for an amount in %(currency)s."
            ) % {"currency": self.currency}


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# --- funding sources -------------------------------------------------------------------------


class FundingSource(BaseModel):
    """Where CAP money comes from: the CITES Trust Fund (CTL) or a donor's external funds (QTL)."""

    fund = models.CharField(_("fund"), max_length=3, choices=Fund.choices)
    donor = models.ForeignKey(
        "parties.Donor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_sources",
        verbose_name=_("donor"),
        help_text=_("Required for external funds (QTL)."),
    )
    name = models.CharField(_("name"), max_length=200)

    # Reference data, like the donors themselves: readable by every signed-in user.
    access_policy = AccessPolicy.written_by(
        CASE_MANAGER_ROLES, party_path=None, view=FUNDED_READER_ROLES, public_view=True
    )
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["fund", "donor__name", "name"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self):
        if self.fund == Fund.CTL and not self.donor_id:
            # The Trust Fund itself: named as the fund is, in the reader's language.
            return str(Fund.CTL.label)
        return f"{self.name} ({self.fund})"

    def clean(self):
        if self.fund == Fund.QTL and not self.donor_id:
            raise ValidationError(
                {
                    "donor": ValidationError(
                        _("External funds (QTL) come from a donor: choose one."), code="required"
                    )
                }
            )


# --- legal instruments ---------------------------------------------------------------------


class LegalInstrumentQuerySet(RestrictedQuerySet):
    def with_current_end(self):
        """Annotate ``current_end``: the latest no-cost extension's new end date, else ``ends_on``."""
        latest = (
            NoCostExtension.objects.filter(instrument=OuterRef("pk"))
            .order_by("-new_end_date", "-pk")
            .values("new_end_date")[:1]
        )
        return self.annotate(current_end=Coalesce(Subquery(latest), F("ends_on")))

    def for_table(self):
        return (
            self.with_current_end()
            .select_related("cap_case__party")
            .prefetch_related("funding_sources__donor")
        )


class LegalInstrument(MoneyMixin, BaseModel):
    """The funding agreement operationalizing one Party's CAP (SC78 Doc. paras. 43–48): signed with
    the Management Authority or, as in Suriname, a UNDP country office; its implementation period
    is extended by no-cost extensions, kept as history."""

    cap_case = models.ForeignKey(
        "cases.CapCase",
        on_delete=models.PROTECT,
        related_name="legal_instruments",
        verbose_name=_("CAP case"),
    )
    counterpart_kind = models.CharField(
        _("counterpart"),
        max_length=30,
        choices=CounterpartKind.choices,
        default=CounterpartKind.MANAGEMENT_AUTHORITY,
    )
    counterpart_name = models.CharField(_("counterpart name"), max_length=255)
    funding_sources = models.ManyToManyField(
        FundingSource, related_name="legal_instruments", verbose_name=_("funding sources")
    )
    reference = models.CharField(_("reference"), max_length=100)
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(
        _("original end date"), help_text=_("As signed; no-cost extensions move the current end date.")
    )
    notes = models.TextField(_("notes"), blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Sample data: dates or figures invented where the documents give none."),
    )

    access_policy = agreement_policy()
    objects = LegalInstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["cap_case__party__name", "signed_on", "pk"]
        verbose_name = _("legal instrument")
        verbose_name_plural = _("legal instruments")

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("budgets:instrument_detail", kwargs={"pk": self.pk})

    @property
    def current_end_date(self):
        """The end date in force: the latest extension's new end date, else the original one."""
        if "current_end" in self.__dict__:
            return self.__dict__["current_end"]
        if self.pk is None:
            return self.ends_on
        latest = (
            self.extensions.order_by("-new_end_date", "-pk").values_list("new_end_date", flat=True).first()
        )
        return latest or self.ends_on

    @property
    def is_extended(self) -> bool:
        return self.current_end_date != self.ends_on

    def clean(self):
        errors: dict = {}
        self.clean_money(errors)
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date cannot be before the start date.")
        if self.pk and self.ends_on and self.extensions.filter(new_end_date__lte=self.ends_on).exists():
            errors["ends_on"] = _("No-cost extensions already end after this date.")
        _raise(errors)


class NoCostExtension(BaseModel):
    """A no-cost extension of a legal instrument: its new end date, the reason and when it was
    granted (SC78 Doc. para. 43). Written by ``no_cost_extension_grant``; kept as history."""

    instrument = models.ForeignKey(
        LegalInstrument,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("legal instrument"),
    )
    new_end_date = models.DateField(_("new end date"))
    reason = models.TextField(_("reason"))
    granted_on = models.DateField(_("granted on"))

    access_policy = agreement_policy(via="instrument__")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["instrument", "new_end_date", "pk"]
        verbose_name = _("no-cost extension")
        verbose_name_plural = _("no-cost extensions")

    def __str__(self):
        return _("Extension of %(instrument)s to %(date)s") % {
            "instrument": self.instrument,
            "date": self.new_end_date,
        }

    def get_absolute_url(self):
        return self.instrument.get_absolute_url()

    def clean(self):
        if not (self.instrument_id and self.new_end_date):
            return
        # The end date in force without this extension: it must move later.
        others = NoCostExtension.objects.filter(instrument_id=self.instrument_id).exclude(pk=self.pk)
        current = max([self.instrument.ends_on, *others.values_list("new_end_date", flat=True)])
        if self.new_end_date <= current:
            raise ValidationError(
                {
                    "new_end_date": _("The new end date must be after the current end date (%(date)s).")
                    % {"date": current}
                }
            )


# --- installments --------------------------------------------------------------------------


class InstallmentQuerySet(RestrictedQuerySet):
    def for_table(self):
        return self.select_related("instrument__cap_case__party", "funding_source__donor")

    def overdue(self, day):
        """Planned before ``day`` and not received by then."""
        return self.filter(planned_on__lt=day).exclude(received_on__lte=day)


class Installment(MoneyMixin, BaseModel):
    """A transfer of funds under a legal instrument: planned, transferred by the Secretariat and
    received by the Party (disbursement delays are a known problem, SC78 Doc. para. 47)."""

    instrument = models.ForeignKey(
        LegalInstrument,
        on_delete=models.CASCADE,
        related_name="installments",
        verbose_name=_("legal instrument"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    funding_source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="installments", verbose_name=_("funding source")
    )
    planned_on = models.DateField(_("planned on"))
    transferred_on = models.DateField(_("transferred on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    access_policy = agreement_policy(via="instrument__")
    objects = InstallmentQuerySet.as_manager()

    class Meta:
        ordering = ["instrument", "number", "pk"]
        verbose_name = _("installment")
        verbose_name_plural = _("installments")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="installment_number_unique"),
        ]

    def __str__(self):
        return _("Installment %(number)s of %(instrument)s") % {
            "number": self.number,
            "instrument": self.instrument,
        }

    def get_absolute_url(self):
        return self.instrument.get_absolute_url() + f"#installment-{self.pk}"

    def clean(self):
        errors: dict = {}
        self.clean_money(errors)
        if self.transferred_on and self.received_on and self.received_on < self.transferred_on:
            errors["received_on"] = _("Funds cannot be received before they are transferred.")
        if self.received_on and not self.transferred_on:
            errors["transferred_on"] = _("Give the transfer date of funds received.")
        if self.instrument_id and self.funding_source_id:
            if not self.instrument.funding_sources.filter(pk=self.funding_source_id).exists():
                errors["funding_source"] = _("Choose one of the legal instrument's funding sources.")
        if self.instrument_id and self.number is not None:
            if (
                Installment.objects.filter(instrument_id=self.instrument_id, number=self.number)
                .exclude(pk=self.pk)
                .exists()
            ):
                errors["number"] = _("This legal instrument has an installment with this number.")
        if not errors and self.instrument_id and self.amount_usd is not None:
            others = Installment.objects.filter(instrument_id=self.instrument_id).exclude(pk=self.pk)
            total = sum((i.amount_usd for i in others), ZERO) + self.amount_usd
            if self.instrument.amount_usd is not None and total > self.instrument.amount_usd:
                errors["amount"] = _(
                    "The installments would add up to USD %(total)s, "
                    "more than the agreement's USD %(agreed)s."
                ) % {"total": total, "agreed": self.instrument.amount_usd}
        _raise(errors)


# --- budget lines --------------------------------------------------------------------------


def _versions_in_force(as_of=None) -> list[int]:
    """The ids of the workplan versions whose budget counts on ``as_of``: approved by then, not
    superseded by then (``Workplan.objects.in_force`` with ``approved_only``)."""
    return list(Workplan.objects.in_force_ids(as_of=as_of, approved_only=True).values())


class BudgetLineQuerySet(RestrictedQuerySet):
    def with_amount(self):
        """Annotate ``line_amount``: the line's amount (``BudgetLine.AMOUNT``, units × rate rounded
        to the cent), for ordering, filtering and summing in SQL."""
        return self.annotate(line_amount=BudgetLine.AMOUNT)

    def for_table(self):
        return self.select_related("workplan__cap_case__party", "activity", "funding_source__donor")

    def in_force(self, as_of=None):
        """The lines of the workplan versions in force on ``as_of`` (today when None): per CAP
        case, the latest version approved by then (``Workplan.objects.in_force`` with
        ``approved_only``). Draft money is not programme money: the lines of a draft, submitted
        or returned version — a revision in preparation, or the first plan of a Party not yet
        approved — count in no programme, Party or donor figure. The versions are read at once
        (one query), so the lines' own query stays simple."""
        return self.filter(workplan_id__in=_versions_in_force(as_of))

    def not_in_force(self, as_of=None):
        """The lines that :meth:`in_force` leaves out (drafts, shown apart and labelled)."""
        return self.exclude(workplan_id__in=_versions_in_force(as_of))


class BudgetLine(BaseModel):
    """A line of a workplan's budget, in the layout of CoP18 Doc. 28 Annex 2: category, unit,
    number of units, rate (USD), funding source and year of the implementation period. The amount
    is units × rate, computed, never stored. Editable only while the workplan is a draft."""

    workplan = models.ForeignKey(
        "workplans.Workplan",
        on_delete=models.CASCADE,
        related_name="budget_lines",
        verbose_name=_("workplan"),
    )
    activity = models.ForeignKey(
        "workplans.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("activity"),
    )
    category = models.CharField(_("category"), max_length=30, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=255)
    unit = models.CharField(
        _("unit"), max_length=100, help_text=_("e.g. Years, Number of missions, Flat rate.")
    )
    units = models.DecimalField(_("number of units"), max_digits=12, decimal_places=2, validators=POSITIVE)
    rate = models.DecimalField(_("rate (USD)"), validators=[MinValueValidator(ZERO)], **AMOUNT)
    funding_source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("funding source")
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Year of the implementation period: 1, 2, 3…"),
    )
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    # The amount, one rule in its two forms: ``AMOUNT`` in SQL (annotations, sums), ``amount`` in
    # Python; both units × rate rounded to the cent, half up, equal to the cent on every backend.
    AMOUNT = LineAmount()

    access_policy = budget_policy()
    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["workplan", "year", "category", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self):
        return self.description

    def get_absolute_url(self):
        return reverse("budgets:workplan_budget", kwargs={"pk": self.workplan_id}) + f"#line-{self.pk}"

    @property
    def amount(self) -> Decimal | None:
        """Units × rate, in USD, rounded to the cent (:func:`line_amount`; ``AMOUNT`` in SQL)."""
        if self.units is None or self.rate is None:
            return None
        return line_amount(self.units, self.rate)

    def clean(self):
        errors: dict = {}
        if self.workplan_id:
            if self.workplan.status not in EDITABLE_STATES:
                errors["workplan"] = ValidationError(
                    _(
                        "This workplan version is %(status)s: "
                        "only a draft or returned version's budget can be edited."
                    ),
                    code="not_editable",
                    params={"status": self.workplan.get_status_display()},
                )
            errors.update(activity_errors(self))
            source = FundingSource.objects.filter(pk=self.funding_source_id).first()
            if source is not None and not self.funding_source_funds_case():
                errors["funding_source"] = ValidationError(
                    _(
                        "No legal instrument of this CAP case is funded by %(source)s: choose a "
                        "funding source of one of its legal instruments."
                    ),
                    code="not_funding_case",
                    params={"source": source},
                )
        _raise(errors)

    def funding_source_funds_case(self) -> bool:
        """Whether the line's funding source funds a legal instrument of the workplan's CAP case.
        The one rule of a line's source: a donor reads the lines on its sources (the access
        policy's ``funding_source__donor``), so a line on a source that does not fund the case
        would show a Party's budget to a donor that does not fund it."""
        return LegalInstrument.objects.filter(
            cap_case_id=self.workplan.cap_case_id, funding_sources=self.funding_source_id
        ).exists()

    @staticmethod
    def funding_sources_for(cap_case_id):
        """The funding sources a line of this CAP case may take (those of its legal instruments)."""
        return FundingSource.objects.filter(legal_instruments__cap_case_id=cap_case_id).distinct()

    def deletion_error(self):
        if self.workplan.status not in EDITABLE_STATES:
            return _("Only the budget of a draft or returned workplan version can be edited.")
        return None


# --- expenditure ---------------------------------------------------------------------------


def expenditure_upload_to(instance, filename: str) -> str:
    """Stored under MEDIA_ROOT with a random name, never served directly."""
    extension = os.path.splitext(filename)[1].lower()
    return f"expenditure/{uuid.uuid4().hex}{extension}"


class ExpenditureQuerySet(RestrictedQuerySet):
    def for_table(self):
        return self.select_related(
            "budget_line__workplan__cap_case__party", "budget_line__funding_source__donor", "reported_by"
        )


class Expenditure(MoneyMixin, BaseModel):
    """Money spent by the Party against a budget line, as it reports it (date, amount, description,
    optional supporting document). Reported through ``expenditure_report``."""

    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="expenditures", verbose_name=_("budget line")
    )
    spent_on = models.DateField(_("spent on"))
    description = models.CharField(_("description"), max_length=255)
    document = models.FileField(
        _("supporting document"),
        upload_to=expenditure_upload_to,
        validators=[validate_deliverable_file],
        blank=True,
        max_length=255,
        help_text=_("PDF, DOCX, XLSX, PNG or JPEG."),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("reported by"),
    )
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    access_policy = budget_policy(via="budget_line__")
    objects = ExpenditureQuerySet.as_manager()

    class Meta:
        ordering = ["-spent_on", "-pk"]
        # The list's order, read backwards: a deep page does not sort every expenditure line.
        indexes = [models.Index(fields=["spent_on", "id"], name="expenditure_spent_on_id")]
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")

    def __str__(self):
        return self.description

    def get_absolute_url(self):
        return reverse("budgets:expenditure_edit", kwargs={"pk": self.pk})

    def get_document_url(self) -> str | None:
        """The permission-checked download of the supporting document (None without one)."""
        if not self.document:
            return None
        return reverse("budgets:expenditure_document", kwargs={"pk": self.pk})

    @property
    def document_filename(self) -> str:
        """The name the document is downloaded under (the stored name is random)."""
        extension = os.path.splitext(self.document.name or "")[1].lower()
        return f"expenditure-{self.pk}{extension}"

    def clean(self):
        errors: dict = {}
        self.clean_money(errors)
        if self.budget_line_id and self.spent_on:
            cap_case_id = self.budget_line.workplan.cap_case_id
            periods = [
                (i.starts_on, i.current_end)
                for i in LegalInstrument.objects.filter(cap_case_id=cap_case_id).with_current_end()
            ]
            if not periods:
                errors["budget_line"] = _(
                    "This CAP case has no legal instrument to report expenditure under."
                )
            elif not any(start <= self.spent_on <= end for start, end in periods):
                errors["spent_on"] = _(
                    "The date is outside the implementation period of the legal instrument."
                )
        _raise(errors)
