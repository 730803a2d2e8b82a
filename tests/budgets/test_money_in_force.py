"""Draft money is not programme money (issue 14, point 2): only the budget of the workplan
version in force — approved, not superseded — counts in the programme, Party and donor figures
(funding pages, dashboard, SC report); a draft budget is shown apart and labelled. And a budget
line takes only a funding source of one of its CAP case's legal instruments (model, form, API)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgets import selectors
from budgets.forms import BudgetLineForm
from budgets.models import BudgetLine
from portfolio.dashboard import portfolio
from tests.workplans.factories import make_workplan
from workplans.choices import WorkplanStatus

from .factories import make_installment, make_instrument, make_line, source_for

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = datetime.date.today()


@pytest.fixture
def programme(world):
    """Togo: an approved plan with a budget of USD 80,000, USD 60,000 received, nothing spent yet.
    Nigeria, short-listed: a funding agreement, and a first plan still a draft with USD 50,000."""
    make_instrument(world.own, amount=Decimal("100000.00"))
    make_installment(world.own, amount=Decimal("60000.00"), received_on=D(2024, 3, 1),
                     transferred_on=D(2024, 2, 1))  # fmt: skip
    approved = make_workplan(world.own, WorkplanStatus.APPROVED)
    make_line(world.own, workplan=approved, units=Decimal("1"), rate=Decimal("80000.00"))
    make_instrument(world.other, amount=Decimal("50000.00"))
    draft = make_workplan(world.other, WorkplanStatus.DRAFT)
    make_line(world.other, workplan=draft, units=Decimal("5"), rate=Decimal("10000.00"))
    return approved, draft


def test_a_short_listed_partys_draft_budget_does_not_move_the_programme_budget(world, programme):
    """The case of the issue: a draft budget for a short-listed Party moved the programme budget
    (and so the absorption of budget). It counts nowhere until the plan is approved."""
    summary = selectors.absorption_summary(user=world.users["case_manager"], as_of=TODAY)
    assert summary.programme.budget == Decimal("80000.00")
    parties = {party.code: f for party, f in summary.parties}
    assert parties["NG"].budget == Decimal("0.00")
    donors = {donor.short_name: f for donor, f in summary.donors}
    assert "CH" not in donors or donors["CH"].budget == Decimal("0.00")
    figures = selectors.report_budget_figures([world.own.pk, world.other.pk], TODAY)
    assert figures["programme"]["budget"] == Decimal("80000.00")
    assert {p["party_id"]: p["budget"] for p in figures["parties"]}.get(world.other.pk, 0) == 0
    rows = {row.cap_case.party.code: row for row in portfolio(world.users["case_manager"], today=TODAY).rows}
    assert rows["NG"].budget_figures is None or rows["NG"].budget_figures.budget == 0
    assert rows["TG"].budget_figures.budget == Decimal("80000.00")


def test_the_budget_counts_from_the_day_its_version_is_approved(world, programme, api_client):
    _approved, draft = programme
    draft.status = WorkplanStatus.APPROVED
    draft.save(update_fields=["status"])
    summary = selectors.absorption_summary(user=world.users["case_manager"], as_of=TODAY)
    assert summary.programme.budget == Decimal("130000.00")


def test_only_in_force_is_the_one_rule_of_the_lines(world, programme):
    approved, draft = programme
    assert set(BudgetLine.objects.in_force().values_list("workplan_id", flat=True)) == {approved.pk}
    assert set(BudgetLine.objects.not_in_force().values_list("workplan_id", flat=True)) == {draft.pk}
    # A revision in preparation: the approved version still counts, not the draft's copy.
    revision = make_workplan(world.own, WorkplanStatus.DRAFT, revises=approved)
    make_line(world.own, workplan=revision, units=Decimal("1"), rate=Decimal("99000.00"))
    assert selectors.cap_case_figures(
        user=world.users["case_manager"], cap_case_id=approved.cap_case_id, as_of=TODAY
    ).budget == Decimal("80000.00")


def test_funding_page_shows_a_draft_budget_apart_and_labelled(world, programme, client):
    _approved, draft = programme
    client.force_login(world.users["case_manager"])
    page = client.get(reverse("budgets:case_funding", kwargs={"pk": draft.cap_case_id}))
    assert page.status_code == 200
    funding = page.context["funding"]
    assert funding.workplan is None and funding.figures.budget == 0
    assert funding.draft_workplan == draft and funding.draft_table.totals.period == Decimal("50000.00")
    html = page.content.decode()
    assert 'id="draft-budget"' in html and "Draft budget" in html
    assert "counts in no programme, Party or donor figure" in html
    budget_page = client.get(reverse("budgets:workplan_budget", kwargs={"pk": draft.pk}))
    assert "This version is not in force" in budget_page.content.decode()


def test_funding_page_of_a_revision_shows_the_approved_budget_and_the_draft_apart(world, programme, client):
    approved, _draft = programme
    revision = make_workplan(world.own, WorkplanStatus.DRAFT, revises=approved)
    make_line(world.own, workplan=revision, units=Decimal("1"), rate=Decimal("90000.00"))
    client.force_login(world.users["ma_focal_point"])
    page = client.get(reverse("budgets:case_funding", kwargs={"pk": approved.cap_case_id}))
    funding = page.context["funding"]
    assert funding.workplan == approved and funding.table.totals.period == Decimal("80000.00")
    assert funding.draft_workplan == revision and funding.draft_table.totals.period == Decimal("90000.00")
    assert page.context["can_edit_draft_budget"] and not page.context["can_edit_budget"]
    budget_page = client.get(reverse("budgets:workplan_budget", kwargs={"pk": approved.pk}))
    assert "This version is not in force" not in budget_page.content.decode()


# --- a line's funding source funds a legal instrument of its CAP case --------------------------


def test_a_line_cannot_take_a_source_that_funds_no_instrument_of_its_case(world, programme):
    """Nigeria is funded by Switzerland: the EU's source is refused on the funding source field."""
    _approved, draft = programme
    line = BudgetLine(
        workplan=draft, category="workshops", description="Workshop", unit="Flat rate",
        units=Decimal("1"), rate=Decimal("1000.00"), funding_source=source_for(world.own),
    )  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        line.full_clean()
    assert set(raised.value.message_dict) == {"funding_source"}
    line.funding_source = source_for(world.other)
    line.full_clean()


def test_the_form_offers_and_accepts_only_the_cases_sources(world, programme):
    _approved, draft = programme
    form = BudgetLineForm(instance=BudgetLine(workplan=draft))
    assert list(form.fields["funding_source"].queryset) == [source_for(world.other)]
    data = {"category": "workshops", "description": "Workshop", "unit": "Flat rate", "units": "1",
            "rate": "1000.00", "year": "1", "funding_source": source_for(world.own).pk}  # fmt: skip
    form = BudgetLineForm(data=data, instance=BudgetLine(workplan=draft))
    assert not form.is_valid() and "funding_source" in form.errors
    form = BudgetLineForm(data={**data, "funding_source": source_for(world.other).pk},
                          instance=BudgetLine(workplan=draft))  # fmt: skip
    assert form.is_valid(), form.errors


def test_the_api_refuses_the_eu_source_for_a_case_the_eu_does_not_fund(world, programme, api_client):
    """The line would show Nigeria's budget to the EU observer: 400 on ``funding_source``, nothing
    written, and the EU observer sees none of Nigeria's lines."""
    _approved, draft = programme
    api_client.force_authenticate(world.users["case_manager"])
    payload = {"workplan": draft.pk, "category": "workshops", "description": "Workshop",
               "unit": "Flat rate", "units": "1", "rate": "1000.00", "year": 1,
               "funding_source": source_for(world.own).pk}  # fmt: skip
    response = api_client.post("/api/v1/budget-lines/", payload, format="json")
    assert response.status_code == 400, response.json()
    assert {e["attr"] for e in response.json()["errors"]} == {"funding_source"}
    assert draft.budget_lines.count() == 1
    assert (
        api_client.post(
            "/api/v1/budget-lines/", {**payload, "funding_source": source_for(world.other).pk}, format="json"
        ).status_code
        == 201
    )
    observer = world.users["donor_observer"]
    assert not BudgetLine.objects.restrict(observer).filter(workplan__cap_case__party=world.other).exists()
