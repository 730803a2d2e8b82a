"""A small funded portfolio on the test world: Togo (the own Party) funded by the EU (observed
by the donor observer), Nigeria (the other) by Switzerland; each with an approved workplan, a
budget line, an installment received, expenditure and an indicator with a value."""

import datetime
from decimal import Decimal

from tests.budgets import factories as ff
from tests.workplans.factories import IndicatorFactory, IndicatorValueFactory, make_workplan
from workplans.choices import WorkplanStatus

AS_OF = datetime.date(2025, 6, 30)


def funded_case(party):
    """The Party's CAP case with an agreement, an installment received, an approved workplan with
    a budget line, expenditure on it and an indicator with one value."""
    instrument = ff.instrument_for(party)
    installment = ff.make_installment(
        party,
        instrument=instrument,
        amount=Decimal("1000.00"),
        transferred_on=datetime.date(2024, 2, 1),
        received_on=datetime.date(2024, 2, 10),
    )
    workplan = make_workplan(party, status=WorkplanStatus.APPROVED)
    line = ff.BudgetLineFactory(workplan=workplan, funding_source=ff.source_for(party))
    expenditure = ff.ExpenditureFactory(budget_line=line)
    indicator = IndicatorFactory(workplan=workplan)
    value = IndicatorValueFactory(indicator=indicator)
    return {
        "cap_case": instrument.cap_case,
        "instrument": instrument,
        "installment": installment,
        "workplan": workplan,
        "line": line,
        "expenditure": expenditure,
        "indicator": indicator,
        "value": value,
    }
