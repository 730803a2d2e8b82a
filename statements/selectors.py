"""What a donor statement shows, composed from the data as a JSON snapshot (amounts as strings of
``Decimal`` USD, dates ISO), and the donor observer's home page.

Every money figure is read through ``budgets``: an amount in USD is ``MoneyMixin.amount_usd`` row
by row, a budget line's amount is ``BudgetLine.amount``, sums per group are
``budgets.selectors._grouped_sums`` (rounded row by row, then summed), the budget that counts is
``budgets.selectors.budget_lines_that_count`` (the workplan version in force at the period's
end), and absorption is ``budgets.selectors.absorption_rate``. Nothing here re-states a money rule.

What is the instrument's: its installments; and, of its CAP case, the budget lines funded by one
of its funding sources and the expenditure against them (docs/donor-statements.md).
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from budgets.models import ZERO, BudgetCategory, BudgetLine, Expenditure, Installment, LegalInstrument
from budgets.selectors import (
    USD,
    _grouped_sums,
    absorption_rate,
    absorption_summary,
    budget_lines_that_count,
    instrument_figures,
)
from cap_portal.access import Action
from workplans.choices import ReviewStatus
from workplans.models import ProgressUpdate

from .models import DonorStatement

NARRATIVE_CHARS = 600  # "a short narrative": each accepted update's text, cut at a word


def default_period(instrument, start=None, end=None) -> tuple[datetime.date, datetime.date]:
    """The period of a statement: the instrument's start to today unless given."""
    return start or instrument.starts_on, end or timezone.localdate()


def _money(value) -> str:
    return str(value if value is not None else ZERO)


def _rate(value) -> str | None:
    return None if value is None else str(value)


def _day(value) -> str | None:
    return value.isoformat() if value else None


def statement_snapshot(instrument: LegalInstrument, *, period_start, period_end, language: str) -> dict:
    """The statement of ``instrument`` for the period, as stored with the version and laid out by
    the PDF and the XLSX. A fixed number of queries."""
    instrument = (
        LegalInstrument.objects.select_related("cap_case__party")
        .prefetch_related("funding_sources__donor")
        .get(pk=instrument.pk)
    )
    sources = list(instrument.funding_sources.all())
    source_ids = [s.pk for s in sources]
    extensions = list(instrument.extensions.filter(granted_on__lte=period_end).order_by("new_end_date", "pk"))
    current_end = max([instrument.ends_on, *(e.new_end_date for e in extensions)])

    installments = list(
        Installment.objects.filter(instrument=instrument)
        .select_related("funding_source")
        .order_by("number", "pk")
    )
    received_before = sum(
        (i.amount_usd or ZERO for i in installments if i.received_on and i.received_on < period_start), ZERO
    )
    received_rows = [i for i in installments if i.received_on and period_start <= i.received_on <= period_end]
    received = sum((i.amount_usd or ZERO for i in received_rows), ZERO)
    pending = [i for i in installments if not (i.received_on and i.received_on <= period_end)]

    # The budget that counts at the period's end, on the instrument's funding sources.
    case_lines = BudgetLine.objects.filter(
        workplan__cap_case_id=instrument.cap_case_id, funding_source_id__in=source_ids
    )
    lines = list(
        budget_lines_that_count(case_lines, period_end)
        .select_related("workplan", "activity")
        .order_by("category", "year", "pk")
    )
    spending = Expenditure.objects.filter(budget_line__in=case_lines)
    spent_in_period = _grouped_sums(
        spending.filter(spent_on__gte=period_start, spent_on__lte=period_end), ["budget_line_id"], USD
    )
    spent_to_date = _grouped_sums(spending.filter(spent_on__lte=period_end), ["budget_line_id"], USD)
    # Expenditure against lines of another version than the one in force (an earlier one): shown
    # on lines of their own, with no budget, so that no money spent is left out.
    other_ids = {key[0] for key in spent_to_date} - {line.pk for line in lines}
    others = list(
        case_lines.filter(pk__in=other_ids).select_related("workplan", "activity").order_by("category", "pk")
    )

    categories: OrderedDict[str, dict] = OrderedDict(
        (
            value,
            {"category": value, "label": str(label), "budget": ZERO, "spent": ZERO, "spent_to_date": ZERO},
        )
        for value, label in BudgetCategory.choices
    )
    line_rows = []
    for line, in_force in [(line, True) for line in lines] + [(line, False) for line in others]:
        budget = line.amount if in_force else ZERO
        spent = spent_in_period.get((line.pk,), ZERO)
        to_date = spent_to_date.get((line.pk,), ZERO)
        line_rows.append(
            {
                "id": line.pk,
                "category": line.category,
                "category_label": str(line.get_category_display()),
                "description": line.description,
                "activity": line.activity.code if line.activity_id else "",
                "year": line.year,
                "workplan_version": line.workplan.version,
                "in_force": in_force,
                "budget": _money(budget),
                "spent": _money(spent),
                "spent_to_date": _money(to_date),
                "remaining": _money(budget - to_date),
            }
        )
        block = categories[line.category]
        block["budget"] += budget
        block["spent"] += spent
        block["spent_to_date"] += to_date
    line_rows.sort(key=lambda row: (list(categories).index(row["category"]), not row["in_force"], row["id"]))

    budget = sum((c["budget"] for c in categories.values()), ZERO)
    spent = sum((c["spent"] for c in categories.values()), ZERO)
    spent_total = sum((c["spent_to_date"] for c in categories.values()), ZERO)
    spent_before = spent_total - spent
    received_total = received_before + received
    opening = received_before - spent_before

    return {
        "language": language,
        "currency": "USD",
        "composed_at": timezone.now().isoformat(),
        "period": {"start": period_start.isoformat(), "end": period_end.isoformat()},
        "instrument": {
            "id": instrument.pk,
            "reference": instrument.reference,
            "party": instrument.cap_case.party.name,
            "party_code": str(instrument.cap_case.party.code),
            "counterpart_kind": str(instrument.get_counterpart_kind_display()),
            "counterpart_name": instrument.counterpart_name,
            "donors": sorted({s.donor.name for s in sources if s.donor_id}),
            "funding_sources": [str(s) for s in sources],
            "signed_on": _day(instrument.signed_on),
            "starts_on": _day(instrument.starts_on),
            "ends_on": _day(instrument.ends_on),
            "current_end": _day(current_end),
            "is_illustrative": instrument.is_illustrative,
        },
        "agreed": {
            "amount": _money(instrument.amount),
            "currency": instrument.currency,
            "exchange_rate": _rate(instrument.exchange_rate),
            "usd": _money(instrument.amount_usd),
        },
        "installments": [_installment(i) for i in received_rows],
        "pending_installments": [_installment(i) for i in pending],
        "lines": line_rows,
        "categories": [
            {
                **{k: v for k, v in c.items() if k in ("category", "label")},
                "budget": _money(c["budget"]),
                "spent": _money(c["spent"]),
                "spent_to_date": _money(c["spent_to_date"]),
                "remaining": _money(c["budget"] - c["spent_to_date"]),
                "absorption": _rate(absorption_rate(c["spent_to_date"], c["budget"])),
            }
            for c in categories.values()
            if c["budget"] or c["spent_to_date"]
        ],
        "extensions": [
            {"new_end_date": _day(e.new_end_date), "granted_on": _day(e.granted_on), "reason": e.reason}
            for e in extensions
        ],
        "narratives": activity_narratives(instrument.cap_case_id, period_start, period_end),
        "totals": {
            "agreed": _money(instrument.amount_usd),
            "opening_balance": _money(opening),
            "received": _money(received),
            "spent": _money(spent),
            "closing_balance": _money(opening + received - spent),
            "received_to_date": _money(received_total),
            "spent_to_date": _money(spent_total),
            "to_disburse": _money((instrument.amount_usd or ZERO) - received_total),
            "budget": _money(budget),
            "budget_remaining": _money(budget - spent_total),
            "absorption_of_received": _rate(absorption_rate(spent_total, received_total)),
            "absorption_of_budget": _rate(absorption_rate(spent_total, budget)),
        },
    }


def _installment(installment: Installment) -> dict:
    return {
        "number": installment.number,
        "source": str(installment.funding_source),
        "planned_on": _day(installment.planned_on),
        "transferred_on": _day(installment.transferred_on),
        "received_on": _day(installment.received_on),
        "currency": installment.currency,
        "amount": _money(installment.amount),
        "exchange_rate": _rate(installment.exchange_rate),
        "usd": _money(installment.amount_usd),
    }


def activity_narratives(cap_case_id: int, start: datetime.date, end: datetime.date) -> list[dict]:
    """Per activity of the CAP case, the progress updates the Secretariat accepted in the period
    (reviewed on a day of it; one accepted with no review date recorded counts by its period's
    end), oldest first, each narrative cut short at a word."""
    accepted_in_period = Q(reviewed_at__date__gte=start, reviewed_at__date__lte=end) | Q(
        reviewed_at__isnull=True, period_end__gte=start, period_end__lte=end
    )
    updates = (
        ProgressUpdate.objects.filter(
            activity__workplan__cap_case_id=cap_case_id, review_status=ReviewStatus.ACCEPTED
        )
        .filter(accepted_in_period)
        .select_related("activity")
        .order_by("activity__code", "period_end", "pk")
    )
    activities: OrderedDict[str, dict] = OrderedDict()
    for update in updates:
        activity = update.activity
        entry = activities.setdefault(
            activity.code,
            {"code": activity.code, "title": activity.title, "updates": []},
        )
        entry["status"] = str(update.get_status_display())
        entry["percent"] = update.percent_complete
        entry["updates"].append(
            {
                "period_start": _day(update.period_start),
                "period_end": _day(update.period_end),
                "narrative": Truncator(update.narrative.strip()).chars(NARRATIVE_CHARS),
            }
        )
    return list(activities.values())


def instrument_statements(user, instrument):
    """The statements of an instrument the user may see, newest first (versions and jobs)."""
    return (
        DonorStatement.objects.restrict(user, Action.VIEW)
        .filter(instrument=instrument)
        .select_related("requested_by")
        .order_by("-created", "-pk")
    )


# --- the donor observer's home page (issue 14.13) --------------------------------------------


@dataclass
class DonorHome:
    """What a donor observer's home page shows: the donor's figures, its agreements, the
    installments still to come, and the latest statements and reports."""

    as_of: datetime.date
    donors: list  # [(Donor, Figures)]
    parties: list  # [(Party, Figures)]
    agreements: list  # [(LegalInstrument, figures dict)]
    next_installments: list = field(default_factory=list)  # [(Installment, overdue)]
    statements: list = field(default_factory=list)
    reports: list = field(default_factory=list)


def donor_home(user, *, as_of: datetime.date | None = None) -> DonorHome:
    """Over what ``user`` may see (a donor observer: what its donor funds): the absorption figures
    per donor and per Party (``budgets.selectors.absorption_summary``), each agreement's
    committed, received and to disburse (``instrument_figures``), the installments not received
    yet, the latest statements and the final SC reports. A fixed number of queries."""
    from reports.choices import ReportStatus
    from reports.models import Report

    as_of = as_of or timezone.localdate()
    summary = absorption_summary(user=user, as_of=as_of)
    instruments = list(
        LegalInstrument.objects.restrict(user)
        .for_table()
        .prefetch_related("installments")
        .order_by("cap_case__party__name", "signed_on", "pk")
    )
    upcoming = (
        Installment.objects.restrict(user)
        .for_table()
        .exclude(received_on__lte=as_of)
        .order_by("planned_on", "pk")[:10]
    )
    return DonorHome(
        as_of=as_of,
        donors=summary.donors,
        parties=summary.parties,
        agreements=[(i, instrument_figures(i, as_of=as_of)) for i in instruments],
        next_installments=[(i, i.planned_on < as_of) for i in upcoming],
        statements=list(DonorStatement.objects.restrict(user).done().for_table()[:5]),
        reports=list(
            Report.objects.restrict(user).filter(status=ReportStatus.FINAL).order_by("-meeting_start")[:3]
        ),
    )


def statement_total(snapshot: dict, key: str) -> Decimal:
    """A total of a stored statement, as ``Decimal``."""
    return Decimal(snapshot["totals"][key])
