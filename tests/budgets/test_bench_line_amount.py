"""The API benchmark's raw-SQL baseline (``bench/bench_api.py``) computes a budget line's amount
with ``BudgetLine.AMOUNT`` compiled for the database, not with a second spelling of units × rate:
run on the backend under test, it gives the cents ``BudgetLine.amount`` gives."""

import re
from decimal import Decimal

import pytest
from django.db import connection

from bench import bench_api
from budgets.models import CENT

from .factories import make_line
from .test_budget_line_amount import AWKWARD

pytestmark = pytest.mark.django_db


def test_the_baseline_spells_no_amount_of_its_own():
    """The budget lines' query takes its amount from the model's expression, and no query of the
    baseline multiplies units by a rate itself."""
    assert "{amount} AS amount" in bench_api.SQL["/api/v1/budget-lines/"]
    for sql in bench_api.raw_queries().values():
        assert "{amount}" not in sql
        assert not re.search(r"\bb\.units\s*\*", sql), sql


def test_the_compiled_amount_equals_the_models(world):
    """The fragment, in a raw query on the budget lines table, gives each awkward line's amount
    to the cent, half-cent products included."""
    lines = [make_line(world.own, units=Decimal(u), rate=Decimal(r)) for u, r, _amount in AWKWARD]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT b.id, {bench_api.budget_line_amount_sql()} FROM budgets_budgetline b")
        found = {pk: Decimal(str(amount)).quantize(CENT) for pk, amount in cursor.fetchall()}
    for line, (_units, _rate, amount) in zip(lines, AWKWARD, strict=True):
        line.refresh_from_db()
        assert found[line.pk] == line.amount == Decimal(amount), (line.units, line.rate)
