"""The SC report takes its money figures from the budgets module, frozen as of its date."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command

from budgets.selectors import report_budget_figures
from parties.models import Party
from reports.snapshot import build_snapshot

from .conftest import make_report

pytestmark = pytest.mark.django_db


def test_report_annex_shows_the_sample_portfolio_budget():
    """Over the SC78 sample portfolio the annex budget table is recorded: each Party's received
    and spent match the budgets module's figures, absorption = spent ÷ received in percent rounded
    once, half up, to one decimal; per donor too."""
    call_command("load_sample_data", verbosity=0)
    parties = list(Party.objects.filter(code__in=["KH", "GN", "LA", "NG", "SB", "SR", "TG", "VN"]))
    as_of = datetime.date(2025, 1, 15)
    report = make_report(parties, as_of=as_of)
    snapshot = build_snapshot(report)
    table = snapshot["annex"]["budget"]
    assert table["recorded"] is True
    figures = report_budget_figures([p.pk for p in parties], as_of)
    by_name = {p.pk: p.name for p in parties}
    expected = {by_name[row["party_id"]]: row for row in figures["parties"]}
    assert {row["name"] for row in table["parties"]} == set(expected)
    for row in table["parties"]:
        assert Decimal(row["received"]) == expected[row["name"]]["received"]
        assert Decimal(row["spent"]) == expected[row["name"]]["spent"]
        if Decimal(row["received"]):
            assert Decimal(row["absorption"]) == (
                Decimal(row["spent"]) * 100 / Decimal(row["received"])
            ).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert {row["name"] for row in table["donors"]} <= {
        "European Union",
        "Switzerland",
        "United Kingdom of Great Britain and Northern Ireland",
        "United States of America",
    }
    assert sum(p["no_cost_extensions"] for p in figures["parties"]) >= 1
