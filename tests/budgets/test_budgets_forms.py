"""The funding forms: case managers record agreements, no-cost extensions, installments and budget
lines; focal points report expenditure for their own Party. For each form: create, edit, bad input
(field-level error, nothing written), access per role, and the stale-edit check."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import BudgetLine, Expenditure, Installment, LegalInstrument, NoCostExtension
from tests.budgets.factories import (
    draft_workplan_for,
    instrument_for,
    make_expenditure,
    make_extension,
    make_installment,
    make_instrument,
    make_line,
    source_for,
)
from tests.mixins import ALL, NONE, OWN, ROLES, UIViewTestCases, expected_status
from tests.workplans.factories import ActivityFactory, cap_case_for, make_workplan
from workplans.choices import WorkplanStatus

D = datetime.date

CASE_MANAGER_ONLY = {
    "case_manager": ALL,
    "secretariat_viewer": NONE,
    "ma_focal_point": NONE,
    "sa_focal_point": NONE,
    "donor_observer": NONE,
}
PARTY_WRITERS = {
    "case_manager": ALL,
    "secretariat_viewer": NONE,
    "ma_focal_point": OWN,
    "sa_focal_point": NONE,
    "donor_observer": NONE,
}


def login(client, world, role):
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def form_errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


def edit_version(client, url) -> str:
    return client.get(url).context["form"]["edit_version"].value()


class EditForm(UIViewTestCases.Edit):
    """The edit form ``budgets:<url_name>_edit`` of the records ``make(party)`` makes."""

    url_name: str
    make = None

    def make_object(self, party):
        return type(self).make(party)

    def edit_url(self, obj):
        return reverse(f"budgets:{self.url_name}_edit", kwargs={"pk": obj.pk})


# The add forms of records added under a parent: the parent of a Party's record, who may add.
ADD_PAGES = {
    "instrument_add": (cap_case_for, CASE_MANAGER_ONLY),
    "extension_add": (instrument_for, CASE_MANAGER_ONLY),
    "installment_add": (instrument_for, CASE_MANAGER_ONLY),
    "budgetline_add": (draft_workplan_for, PARTY_WRITERS),
}


@pytest.mark.parametrize("target", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ADD_PAGES)
def test_add_page_access(page, role, target, world, client):
    """GET an add form: 200 when allowed, 404 for another Party's parent, 403 for a role that may
    never add; anonymous users are sent to sign in. Only case managers record agreements,
    extensions and installments, for any Party; case managers and the Party's MA focal point add
    to a draft budget (404 for another Party's workplan)."""
    parent_for, rule = ADD_PAGES[page]
    url = reverse(f"budgets:{page}", kwargs={"parent": parent_for(world.party(target)).pk})
    response = login(client, world, role).get(url)
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == expected_status(rule[role], target)


# --- funding agreements (legal instruments) -------------------------------------------------------


def instrument_data(party, **changes):
    data = {
        "reference": "CAP/TG/2025",
        "counterpart_kind": "management_authority",
        "counterpart_name": "Ministère de l'Environnement",
        "funding_sources": [source_for(party).pk],
        "signed_on": "2025-01-15",
        "starts_on": "2025-02-01",
        "ends_on": "2026-01-31",
        "amount": "85000.00",
        "currency": "EUR",
        "exchange_rate": "1.085",
        "notes": "",
    }
    data.update(changes)
    return data


class TestInstrumentForm(EditForm):
    model, url_name, make = LegalInstrument, "instrument", staticmethod(make_instrument)


def test_case_manager_records_an_agreement(world, client):
    login(client, world, "case_manager")
    cap_case = cap_case_for(world.own)
    url = reverse("budgets:instrument_add", kwargs={"parent": cap_case.pk})
    response = client.post(url, instrument_data(world.own))
    instrument = LegalInstrument.objects.get()
    assert response.status_code == 302 and response["Location"] == instrument.get_absolute_url()
    assert instrument.cap_case == cap_case
    assert list(instrument.funding_sources.all()) == [source_for(world.own)]
    assert instrument.amount_usd == Decimal("92225.00")
    assert instrument.history.first().history_user == world.users["case_manager"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"exchange_rate": ""}, "exchange_rate"),  # EUR without a rate: never a silent 1:1
        ({"currency": "USD", "exchange_rate": "0.9"}, "exchange_rate"),
        ({"ends_on": "2025-01-01"}, "ends_on"),  # before the start
        ({"funding_sources": []}, "funding_sources"),
        ({"signed_on": "not a date"}, "signed_on"),
    ],
)
def test_agreement_bad_input(world, client, changes, field):
    """Bad money or dates: the form names the field, nothing is written."""
    login(client, world, "case_manager")
    url = reverse("budgets:instrument_add", kwargs={"parent": cap_case_for(world.own).pk})
    errors = form_errors(client.post(url, instrument_data(world.own, **changes)))
    assert field in errors
    assert not LegalInstrument.objects.exists()


def test_case_manager_edits_an_agreement_and_a_stale_edit_is_refused(world, client):
    instrument = make_instrument(world.own)
    login(client, world, "case_manager")
    url = reverse("budgets:instrument_edit", kwargs={"pk": instrument.pk})
    opened = edit_version(client, url)
    data = instrument_data(world.own, reference=instrument.reference, notes="Amended by letter.")
    response = client.post(url, {**data, "edit_version": opened})
    assert response.status_code == 302
    instrument.refresh_from_db()
    assert instrument.notes == "Amended by letter." and instrument.currency == "EUR"
    # A second save from the page opened before the first one is refused, naming who changed it.
    response = client.post(url, {**data, "notes": "Overwritten", "edit_version": opened})
    assert response.status_code == 200
    assert "after you opened it" in str(response.context["form"].non_field_errors())
    instrument.refresh_from_db()
    assert instrument.notes == "Amended by letter."


def test_agreement_end_cannot_move_before_its_extensions(world, client):
    instrument = make_instrument(world.own, ends_on=D(2024, 12, 31))
    make_extension(world.own, instrument=instrument, new_end_date=D(2025, 6, 30))
    login(client, world, "case_manager")
    url = reverse("budgets:instrument_edit", kwargs={"pk": instrument.pk})
    data = instrument_data(world.own, reference=instrument.reference, ends_on="2025-12-31", currency="USD")
    data["exchange_rate"] = "1"
    assert "ends_on" in form_errors(client.post(url, data))
    instrument.refresh_from_db()
    assert instrument.ends_on == D(2024, 12, 31)


def test_case_manager_deletes_an_agreement(world, client):
    instrument = make_instrument(world.own)
    login(client, world, "case_manager")
    response = client.post(reverse("budgets:instrument_delete", kwargs={"pk": instrument.pk}))
    assert response["Location"] == reverse("budgets:case_funding", kwargs={"pk": instrument.cap_case_id})
    assert not LegalInstrument.objects.exists()


# --- no-cost extensions ---------------------------------------------------------------------------


class TestExtensionForm(EditForm):
    model, url_name, make = NoCostExtension, "extension", staticmethod(make_extension)


def test_case_manager_grants_an_extension(world, client):
    """Granting an extension moves the current end date shown on the agreement's pages."""
    instrument = make_instrument(world.own, ends_on=D(2024, 12, 31))
    login(client, world, "case_manager")
    url = reverse("budgets:extension_add", kwargs={"parent": instrument.pk})
    data = {"new_end_date": "2025-09-30", "granted_on": "2024-11-15", "reason": "Funds received late."}
    response = client.post(url, data)
    assert response.status_code == 302
    extension = NoCostExtension.objects.get()
    assert extension.instrument == instrument
    assert extension.history.first().history_user == world.users["case_manager"]
    assert instrument.current_end_date == D(2025, 9, 30)
    page = client.get(reverse("budgets:case_funding", kwargs={"pk": instrument.cap_case_id}))
    assert page.context["funding"].agreements[0].instrument.current_end == D(2025, 9, 30)


@pytest.mark.parametrize("new_end_date", ["2024-12-31", "2024-06-30"])
def test_extension_must_end_after_the_current_end(world, client, new_end_date):
    instrument = make_instrument(world.own, ends_on=D(2024, 12, 31))
    login(client, world, "case_manager")
    url = reverse("budgets:extension_add", kwargs={"parent": instrument.pk})
    data = {"new_end_date": new_end_date, "granted_on": "2024-11-15", "reason": "x"}
    assert "new_end_date" in form_errors(client.post(url, data))
    assert not NoCostExtension.objects.exists()


def test_case_manager_corrects_an_extension(world, client):
    extension = make_extension(world.own, new_end_date=D(2025, 6, 30))
    login(client, world, "case_manager")
    url = reverse("budgets:extension_edit", kwargs={"pk": extension.pk})
    data = {
        "new_end_date": "2025-07-31",
        "granted_on": str(extension.granted_on),
        "reason": "Corrected date.",
        "edit_version": edit_version(client, url),
    }
    assert client.post(url, data).status_code == 302
    extension.refresh_from_db()
    assert extension.new_end_date == D(2025, 7, 31) and extension.reason == "Corrected date."


# --- installments ----------------------------------------------------------------------------------


class TestInstallmentForm(EditForm):
    model, url_name, make = Installment, "installment", staticmethod(make_installment)


def installment_data(party, **changes):
    data = {
        "number": "1",
        "funding_source": source_for(party).pk,
        "planned_on": "2024-03-01",
        "amount": "60000.00",
        "currency": "USD",
        "exchange_rate": "",
        "transferred_on": "",
        "received_on": "",
    }
    data.update(changes)
    return data


def test_case_manager_plans_an_installment(world, client):
    instrument = make_instrument(world.own)
    login(client, world, "case_manager")
    url = reverse("budgets:installment_add", kwargs={"parent": instrument.pk})
    assert client.get(url).context["form"].initial["number"] == 1
    response = client.post(url, installment_data(world.own))
    installment = Installment.objects.get()
    assert response["Location"] == installment.get_absolute_url()
    assert installment.instrument == instrument and installment.amount_usd == Decimal("60000.00")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "100000.01"}, "amount"),  # more than the agreement's USD 100,000
        ({"amount": "-1"}, "amount"),
        ({"currency": "XOF"}, "exchange_rate"),
        ({"transferred_on": "2024-03-10", "received_on": "2024-03-01"}, "received_on"),
        ({"received_on": "2024-03-01"}, "transferred_on"),
    ],
)
def test_installment_bad_input(world, client, changes, field):
    instrument = make_instrument(world.own)
    login(client, world, "case_manager")
    url = reverse("budgets:installment_add", kwargs={"parent": instrument.pk})
    assert field in form_errors(client.post(url, installment_data(world.own, **changes)))
    assert not Installment.objects.exists()


def test_installments_cannot_add_up_to_more_than_the_agreement(world, client):
    instrument = make_instrument(world.own)
    make_installment(world.own, instrument=instrument, amount=Decimal("60000.00"))
    login(client, world, "case_manager")
    url = reverse("budgets:installment_add", kwargs={"parent": instrument.pk})
    data = installment_data(world.own, number="2", amount="40000.01")
    assert "amount" in form_errors(client.post(url, data))
    assert instrument.installments.count() == 1
    data["amount"] = "40000.00"
    assert client.post(url, data).status_code == 302


def test_case_manager_records_receipt_of_an_installment(world, client):
    installment = make_installment(world.own)
    login(client, world, "case_manager")
    url = reverse("budgets:installment_edit", kwargs={"pk": installment.pk})
    data = installment_data(
        world.own,
        amount="1000.00",
        planned_on="2024-02-01",
        transferred_on="2024-02-05",
        received_on="2024-02-20",
        edit_version=edit_version(client, url),
    )
    assert client.post(url, data).status_code == 302
    installment.refresh_from_db()
    assert installment.received_on == D(2024, 2, 20)


# --- budget lines ----------------------------------------------------------------------------------


class TestBudgetLineForm(EditForm):
    model, url_name, make = BudgetLine, "budgetline", staticmethod(make_line)


def line_data(party, **changes):
    data = {
        "category": "technical_missions",
        "description": "Technical compliance missions",
        "activity": "",
        "unit": "Number of missions",
        "units": "4",
        "rate": "10000.00",
        "funding_source": source_for(party).pk,
        "year": "1",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["case_manager", "ma_focal_point"])
def test_budget_line_is_added_to_a_draft(world, client, role):
    workplan = draft_workplan_for(world.own)
    activity = ActivityFactory(workplan=workplan)
    login(client, world, role)
    url = reverse("budgets:budgetline_add", kwargs={"parent": workplan.pk})
    response = client.post(url, line_data(world.own, activity=activity.pk))
    line = BudgetLine.objects.get()
    assert response["Location"] == line.get_absolute_url()
    assert line.workplan == workplan and line.activity == activity and line.amount == Decimal("40000.00")
    table = client.get(reverse("budgets:workplan_budget", kwargs={"pk": workplan.pk})).context["table"]
    assert table.totals.period == Decimal("40000.00")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"units": "0"}, "units"),
        ({"units": "-2"}, "units"),
        ({"rate": "-1"}, "rate"),
        ({"year": "0"}, "year"),
        ({"category": "travel"}, "category"),
    ],
)
def test_budget_line_bad_input(world, client, changes, field):
    workplan = draft_workplan_for(world.own)
    login(client, world, "case_manager")
    url = reverse("budgets:budgetline_add", kwargs={"parent": workplan.pk})
    assert field in form_errors(client.post(url, line_data(world.own, **changes)))
    assert not BudgetLine.objects.exists()


def test_activity_of_another_workplan_is_not_a_choice(world, client):
    workplan = draft_workplan_for(world.own)
    other_activity = ActivityFactory(workplan=make_workplan(world.own))
    login(client, world, "case_manager")
    url = reverse("budgets:budgetline_add", kwargs={"parent": workplan.pk})
    assert "activity" in form_errors(client.post(url, line_data(world.own, activity=other_activity.pk)))
    assert not BudgetLine.objects.exists()


def test_approved_budget_is_read_only(world, client):
    """The budget of an approved version cannot be added to, changed or deleted; the form says why."""
    approved = make_workplan(world.own, WorkplanStatus.APPROVED)
    login(client, world, "ma_focal_point")
    response = client.post(
        reverse("budgets:budgetline_add", kwargs={"parent": approved.pk}), line_data(world.own)
    )
    assert "only a draft or returned version" in str(response.context["form"].non_field_errors())
    assert not BudgetLine.objects.exists()
    line = make_line(world.own, workplan=approved)
    budget = client.get(reverse("budgets:workplan_budget", kwargs={"pk": approved.pk}))
    assert not budget.context["can_edit_budget"]
    assert reverse("budgets:budgetline_add", kwargs={"parent": approved.pk}).encode() not in budget.content
    response = client.post(reverse("budgets:budgetline_delete", kwargs={"pk": line.pk}), follow=True)
    assert BudgetLine.objects.filter(pk=line.pk).exists()
    assert "draft or returned" in str(list(response.context["messages"])[0])


def test_budget_line_with_expenditure_is_not_deleted(world, client):
    expenditure = make_expenditure(world.own)
    login(client, world, "case_manager")
    url = reverse("budgets:budgetline_delete", kwargs={"pk": expenditure.budget_line_id})
    response = client.post(url, follow=True)
    assert BudgetLine.objects.filter(pk=expenditure.budget_line_id).exists()
    assert "expenditures" in str(list(response.context["messages"])[0])


def test_ma_focal_point_edits_and_deletes_own_budget_line(world, client):
    line = make_line(world.own)
    login(client, world, "ma_focal_point")
    url = reverse("budgets:budgetline_edit", kwargs={"pk": line.pk})
    data = line_data(world.own, units="3", edit_version=edit_version(client, url))
    assert client.post(url, data).status_code == 302
    line.refresh_from_db()
    assert line.amount == Decimal("30000.00")
    assert client.post(reverse("budgets:budgetline_delete", kwargs={"pk": line.pk})).status_code == 302
    assert not BudgetLine.objects.exists()


# --- expenditure ----------------------------------------------------------------------------------


class TestExpenditureForm(EditForm):
    model, url_name, make = Expenditure, "expenditure", staticmethod(make_expenditure)


@pytest.mark.parametrize("role", ROLES)
def test_expenditure_add_page_access(role, world, client):
    response = login(client, world, role).get(reverse("budgets:expenditure_add"))
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
        return
    allowed = PARTY_WRITERS[role] != NONE
    assert response.status_code == (200 if allowed else 403)


def expenditure_data(line, **changes):
    data = {
        "budget_line": line.pk,
        "spent_on": "2024-05-10",
        "amount": "1250.50",
        "currency": "USD",
        "exchange_rate": "",
        "description": "Workshop venue",
    }
    data.update(changes)
    return data


def test_focal_point_reports_expenditure_for_own_party_only(world, client):
    instrument_for(world.own)
    instrument_for(world.other)
    own_line, other_line = make_line(world.own), make_line(world.other)
    login(client, world, "ma_focal_point")
    form = client.get(reverse("budgets:expenditure_add") + f"?budget_line={own_line.pk}").context["form"]
    assert list(form.fields["budget_line"].queryset) == [own_line]
    assert form.initial["budget_line"] == str(own_line.pk)
    # Another Party's budget line is not a choice: a field error, nothing written.
    response = client.post(reverse("budgets:expenditure_add"), expenditure_data(other_line))
    assert "budget_line" in form_errors(response)
    assert not Expenditure.objects.exists()
    response = client.post(reverse("budgets:expenditure_add"), expenditure_data(own_line))
    assert response.status_code == 302
    expenditure = Expenditure.objects.get()
    assert expenditure.reported_by == world.users["ma_focal_point"]
    assert expenditure.amount_usd == Decimal("1250.50")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "-1"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"currency": "GNF"}, "exchange_rate"),
        ({"spent_on": "2023-12-31"}, "spent_on"),  # before the agreement starts
        ({"spent_on": "2025-01-01"}, "spent_on"),  # after it ends
        ({"description": ""}, "description"),
    ],
)
def test_expenditure_bad_input(world, client, changes, field):
    instrument_for(world.own)
    line = make_line(world.own)
    login(client, world, "ma_focal_point")
    assert field in form_errors(
        client.post(reverse("budgets:expenditure_add"), expenditure_data(line, **changes))
    )
    assert not Expenditure.objects.exists()


def test_expenditure_after_an_extension_is_within_the_period(world, client):
    """The current end date (no-cost extensions included) bounds the expenditure's date."""
    instrument = instrument_for(world.own)
    make_extension(world.own, instrument=instrument, new_end_date=D(2025, 6, 30))
    line = make_line(world.own)
    login(client, world, "ma_focal_point")
    response = client.post(reverse("budgets:expenditure_add"), expenditure_data(line, spent_on="2025-03-01"))
    assert response.status_code == 302


def test_focal_point_corrects_and_deletes_own_expenditure(world, client):
    expenditure = make_expenditure(world.own)
    login(client, world, "ma_focal_point")
    url = reverse("budgets:expenditure_edit", kwargs={"pk": expenditure.pk})
    data = expenditure_data(
        expenditure.budget_line,
        amount="450.00",
        spent_on="2024-06-01",
        edit_version=edit_version(client, url),
    )
    assert client.post(url, data).status_code == 302
    expenditure.refresh_from_db()
    assert expenditure.amount == Decimal("450.00")
    assert (
        client.post(reverse("budgets:expenditure_delete", kwargs={"pk": expenditure.pk})).status_code == 302
    )
    assert not Expenditure.objects.exists()


def test_sa_focal_point_and_donor_cannot_delete_expenditure(world, client):
    expenditure = make_expenditure(world.own)
    for role in ("sa_focal_point", "donor_observer", "secretariat_viewer"):
        login(client, world, role)
        assert (
            client.post(reverse("budgets:expenditure_delete", kwargs={"pk": expenditure.pk})).status_code
            == 403
        )
    assert Expenditure.objects.exists()
