"""The synthetic portfolio generator (issue 9): deterministic for a seed, valid rows, and a portfolio
the portal's pages and API work on. Run at a small scale; the benchmarks run it at scale 100."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Sum

from budgets.models import BudgetLine, Expenditure, Installment, LegalInstrument, NoCostExtension
from cases.models import CapCase, ComplianceCase, ComplianceMeasure, Recommendation
from sampledata.generator import generate_portfolio, portfolio_clear, split, target
from workplans.choices import WorkplanStatus
from workplans.models import Activity, Deliverable, Event, Milestone, Workplan

pytestmark = pytest.mark.django_db

SCALE = 1


def fingerprint() -> dict:
    """Key values of the generated portfolio, independent of primary keys and timestamps."""
    return {
        "workplans": list(
            Workplan.objects.order_by("cap_case__party__code", "version").values_list(
                "cap_case__party__code", "version", "status", "starts_on", "ends_on", "revises__version"
            )
        ),
        "activities": list(
            Activity.objects.order_by(
                "workplan__cap_case__party__code", "workplan__version", "code"
            ).values_list(
                "workplan__cap_case__party__code", "code", "title", "planned_start", "planned_end", "status"
            )
        ),
        "recommendations": list(
            Recommendation.objects.order_by("party__code", "reference").values_list(
                "party__code", "reference", "deadline", "status"
            )
        ),
        "expenditure": list(
            Expenditure.objects.order_by("currency").values("currency").annotate(total=Sum("amount"))
        ),
        "instruments": list(
            LegalInstrument.objects.order_by("reference").values_list("reference", "amount", "currency")
        ),
        "events": list(
            Event.objects.order_by("cap_case__party__code", "title").values_list(
                "title", "start_on", "participants_female", "participants_male"
            )
        ),
    }


def test_targets_grow_from_the_sample_size_to_the_full_portfolio():
    """Scale 1 is about the sample portfolio, scale 100 the issue's figures, linear in between."""
    assert target("parties", 1) == 8
    assert target("parties", 100) == 185
    assert target("expenditures", 100) == 500_000
    assert target("activities", 100) == 100_000
    assert (
        target("workplans", 0.5) < target("workplans", 1) < target("workplans", 50) < target("workplans", 100)
    )
    assert split(10, 3) == [4, 3, 3]


def test_same_seed_gives_the_same_portfolio_and_another_seed_another():
    """Two runs with one seed make the same counts and the same key values; another seed differs."""
    first_counts = generate_portfolio(scale=SCALE, seed=7)
    first = fingerprint()
    portfolio_clear()
    assert not CapCase.objects.exists() and not Expenditure.objects.exists()
    second_counts = generate_portfolio(scale=SCALE, seed=7)
    # Meetings are reference data, kept by the clear: the second run finds them.
    first_counts.pop("meeting"), second_counts.pop("meeting")
    assert second_counts == first_counts
    assert fingerprint() == first
    portfolio_clear()
    generate_portfolio(scale=SCALE, seed=8)
    assert fingerprint() != first


def test_generated_rows_pass_the_models_validation():
    """Every row passes ``full_clean()``; rows of the plan of an approved version are checked as if
    the version were still a draft (the edit lock is a rule about editing, not about the data)."""
    generate_portfolio(scale=SCALE, seed=3)
    assert Workplan.objects.filter(status=WorkplanStatus.APPROVED).count() >= 1
    # One version in force per CAP case: exactly one approved, the older ones superseded.
    for cap_case in CapCase.objects.all():
        statuses = list(cap_case.workplans.order_by("version").values_list("status", flat=True))
        assert statuses.count(WorkplanStatus.APPROVED) == 1
        assert set(statuses[:-2]) <= {WorkplanStatus.SUPERSEDED}
    for workplan in Workplan.objects.all():
        workplan.clean_fields()
        workplan.validate_constraints()
        assert workplan.starts_on <= workplan.ends_on
    for model in (Activity, Milestone, BudgetLine):
        for row in model.objects.select_related("workplan"):
            row.workplan.status = WorkplanStatus.DRAFT
            row.full_clean()
    for model in (
        ComplianceCase,
        Recommendation,
        ComplianceMeasure,
        LegalInstrument,
        NoCostExtension,
        Installment,
        Expenditure,
        Event,
        Deliverable,
    ):
        rows = list(model.objects.all())
        assert rows, model
        for row in rows:
            try:
                row.full_clean()
            except ValidationError as error:  # pragma: no cover - shows which row failed
                pytest.fail(f"{model.__name__} {row.pk}: {error}")
    # Money: amounts in USD carry the rate 1, the others their rate.
    assert not Expenditure.objects.filter(currency="USD").exclude(exchange_rate=Decimal("1")).exists()
    assert not Expenditure.objects.exclude(currency="USD").filter(exchange_rate__isnull=True).exists()


def test_the_portal_works_on_the_generated_portfolio(client):
    """The dashboard, the lists and the API answer on the generated data for a case manager."""
    call_command("generate_portfolio", scale=SCALE, seed=5, stdout=open("/dev/null", "w"))  # noqa: SIM115
    manager = get_user_model().objects.get(username="portfolio.cm1")
    client.force_login(manager)
    for url in (
        "/",
        "/api/v1/activities/",
        "/api/v1/budget-lines/",
        "/api/v1/recommendations/",
        "/api/v1/expenditures/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    data = client.get("/api/v1/activities/").json()
    assert data["count"] == Activity.objects.count()


def test_the_command_refuses_to_add_to_a_portfolio_without_clear():
    """A second run without --clear stops instead of mixing two portfolios; with --clear it replaces."""
    from django.core.management.base import CommandError

    call_command("generate_portfolio", scale=0.5, seed=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    with pytest.raises(CommandError):
        call_command("generate_portfolio", scale=0.5, seed=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    before = CapCase.objects.count()
    call_command("generate_portfolio", scale=0.5, seed=1, clear=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert CapCase.objects.count() == before
