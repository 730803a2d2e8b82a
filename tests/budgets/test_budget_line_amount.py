"""A budget line's amount is one rule, units × rate rounded to the cent half up, written once for
Python (``BudgetLine.amount``) and once for SQL (``BudgetLine.AMOUNT``), which agree to the cent
on the backend under test — half-cent products included, where SQLite's floating-point product
falls just below the half (2.5 × 1,234.57 = 3,086.4249…)."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from budgets import selectors
from budgets.models import BudgetLine

from .factories import make_line

pytestmark = pytest.mark.django_db

# (units, rate, amount): half cents, and products a float puts on either side of the half.
AWKWARD = [
    ("2.5", "1234.57", "3086.43"),  # 3,086.425
    ("3", "333.33", "999.99"),
    ("0.5", "0.01", "0.01"),  # half a cent
    ("0.5", "0.03", "0.02"),  # 0.015
    ("1.15", "0.5", "0.58"),  # 0.575: 0.57499… as a float
    ("1.5", "0.03", "0.05"),  # 0.045
    ("0.01", "0.5", "0.01"),  # 0.005
    ("12.35", "80.10", "989.24"),  # 989.235
    ("3", "333.35", "1000.05"),
    ("9999999.99", "12345.67", "123456699876.54"),  # 123,456,699,876.5433
]


def test_python_and_sql_give_the_same_amount(world):
    """Each line's ``amount`` (Python), its ``with_amount()`` annotation (SQL) and the expected
    cents are equal."""
    lines = [make_line(world.own, units=Decimal(u), rate=Decimal(r)) for u, r, _amount in AWKWARD]
    annotated = dict(BudgetLine.objects.with_amount().values_list("pk", "line_amount"))
    for line, (_units, _rate, amount) in zip(lines, AWKWARD, strict=True):
        line.refresh_from_db()
        assert line.amount == Decimal(amount), (line.units, line.rate)
        assert annotated[line.pk] == Decimal(amount), (line.units, line.rate)


def test_sums_in_sql_and_in_python_agree(world, monkeypatch):
    """The budget summed by the database (``BudgetLine.AMOUNT``) and summed in Python
    (``BudgetLine.amount`` row by row) are the same cents, and the sum of the expected amounts."""
    for units, rate, _amount in AWKWARD:
        make_line(world.own, units=Decimal(units), rate=Decimal(rate))
    expected = sum((Decimal(amount) for _u, _r, amount in AWKWARD), Decimal("0"))
    assert BudgetLine.objects.aggregate(total=Sum(BudgetLine.AMOUNT))["total"] == expected
    lines = BudgetLine.objects.all()
    keys = ["workplan__cap_case__party_id"]
    monkeypatch.setattr(selectors, "_sums_in_sql", lambda queryset: True)
    in_sql = selectors._grouped_sums(lines, keys, selectors.LINE)
    monkeypatch.setattr(selectors, "_sums_in_sql", lambda queryset: False)
    in_python = selectors._grouped_sums(lines, keys, selectors.LINE)
    assert in_sql == in_python == {(world.own.pk,): expected}
