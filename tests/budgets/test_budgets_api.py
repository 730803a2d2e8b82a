"""The funding API: generic CRUD and access per role for each model, If-Match, bad input."""

import datetime

import pytest
from django.urls import reverse

from budgets.models import (
    BudgetLine,
    Expenditure,
    FundingSource,
    Installment,
    LegalInstrument,
    NoCostExtension,
)
from cap_portal.concurrency import etag_for
from tests.budgets.factories import (
    donor_for,
    draft_workplan_for,
    instrument_for,
    make_expenditure,
    make_extension,
    make_installment,
    make_instrument,
    make_line,
    make_source,
    source_for,
)
from tests.mixins import APIViewTestCases
from tests.workplans.factories import cap_case_for, make_workplan
from workplans.choices import WorkplanStatus


class IfMatchSent:
    """For viewsets that require If-Match: every write carries the ETag of the last object made."""

    def make_object(self, party):
        obj = self.build(party)
        self._etag = etag_for(obj)
        return obj

    def client_for(self, api_client, world, role):
        client = super().client_for(api_client, world, role)
        if getattr(self, "_etag", None):
            client.credentials(HTTP_IF_MATCH=self._etag)
        return client


class TestFundingSourceAPI(APIViewTestCases.CRUD):
    model = FundingSource
    basename = "fundingsource"

    def make_object(self, party):
        return make_source(party)

    def create_payload(self, party):
        return {"fund": "QTL", "donor": donor_for(party).pk, "name": "New external funds"}

    def update_payload(self):
        return {"name": "Renamed"}


class TestLegalInstrumentAPI(IfMatchSent, APIViewTestCases.CRUD):
    model = LegalInstrument
    basename = "fundingagreement"
    party_field = "cap_case"

    def build(self, party):
        return make_instrument(party)

    def create_payload(self, party):
        return {
            "cap_case": cap_case_for(party).pk,
            "counterpart_kind": "management_authority",
            "counterpart_name": "Ministry of Environment",
            "funding_sources": [source_for(party).pk],
            "reference": "CAP/2024/01",
            "signed_on": "2024-01-15",
            "starts_on": "2024-02-01",
            "ends_on": "2025-01-31",
            "amount": "85000.00",
            "currency": "EUR",
            "exchange_rate": "1.08500000",
        }

    def update_payload(self):
        return {"notes": "Amended by letter."}


class TestNoCostExtensionAPI(APIViewTestCases.CRUD):
    model = NoCostExtension
    basename = "nocostextension"
    party_field = "instrument"

    def make_object(self, party):
        return make_extension(party)

    def create_payload(self, party):
        instrument = instrument_for(party)
        return {
            "instrument": instrument.pk,
            "new_end_date": str(instrument.current_end_date + datetime.timedelta(days=180)),
            "reason": "Disbursement delays.",
            "granted_on": "2024-12-01",
        }

    def update_payload(self):
        return {"reason": "Funds received late by the MA."}


class TestInstallmentAPI(APIViewTestCases.CRUD):
    model = Installment
    basename = "installment"
    party_field = "instrument"

    def make_object(self, party):
        return make_installment(party)

    def create_payload(self, party):
        instrument = instrument_for(party)
        return {
            "instrument": instrument.pk,
            "number": 9,
            "funding_source": source_for(party).pk,
            "planned_on": "2024-03-01",
            "amount": "40000.00",
            "currency": "USD",
        }

    def update_payload(self):
        return {"transferred_on": "2024-03-01"}


class TestBudgetLineAPI(IfMatchSent, APIViewTestCases.CRUD):
    model = BudgetLine
    basename = "budgetline"
    party_field = "workplan"

    def build(self, party):
        return make_line(party)

    def create_payload(self, party):
        return {
            "workplan": draft_workplan_for(party).pk,
            "category": "technical_missions",
            "description": "Technical compliance missions",
            "unit": "Number of missions",
            "units": "4",
            "rate": "10000.00",
            "funding_source": source_for(party).pk,
            "year": 1,
        }

    def update_payload(self):
        return {"description": "Technical missions (revised)"}


class TestExpenditureAPI(APIViewTestCases.CRUD):
    model = Expenditure
    basename = "expenditure"
    party_field = "budget_line"

    def make_object(self, party):
        return make_expenditure(party)

    def create_payload(self, party):
        instrument_for(party)
        return {
            "budget_line": make_line(party).pk,
            "spent_on": "2024-05-10",
            "amount": "1250.50",
            "currency": "USD",
            "description": "Workshop venue",
        }

    def update_payload(self):
        return {"description": "Workshop venue and catering"}


# --- If-Match, bad input -------------------------------------------------------------------


def _errors(response) -> set:
    return {e["attr"] for e in response.json()["errors"]}


@pytest.fixture
def manager(world, api_client):
    api_client.force_login(world.users["case_manager"])
    return api_client


def test_budget_line_write_needs_if_match(world, manager):
    """A budget line write without If-Match answers 428, with a stale one 412; nothing is written."""
    line = make_line(world.own)
    url = reverse("api:budgetline-detail", kwargs={"pk": line.pk})
    assert manager.patch(url, {"units": "3"}, format="json").status_code == 428
    etag = manager.get(url)["ETag"]
    ok = manager.patch(url, {"units": "3"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200
    assert ok.json()["amount"] == "3000.00"
    stale = manager.patch(url, {"units": "5"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    line.refresh_from_db()
    assert str(line.units) == "3.00"
    assert manager.delete(url).status_code == 428
    assert manager.delete(url, HTTP_IF_MATCH=ok["ETag"]).status_code == 204


def test_legal_instrument_write_needs_if_match(world, manager):
    instrument = make_instrument(world.own)
    url = reverse("api:fundingagreement-detail", kwargs={"pk": instrument.pk})
    assert manager.patch(url, {"notes": "x"}, format="json").status_code == 428


def _instrument_payload(world, **changes):
    payload = TestLegalInstrumentAPI().create_payload(world.own)
    payload.update(changes)
    return {k: v for k, v in payload.items() if v is not None}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"exchange_rate": None}, "exchange_rate"),  # EUR without a rate: never a silent 1:1
        ({"currency": "XYZ"}, "currency"),
        ({"amount": "-5.00"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"ends_on": "2023-12-31"}, "ends_on"),
        ({"funding_sources": []}, "funding_sources"),
        ({"currency": "USD", "exchange_rate": "0.9"}, "exchange_rate"),
    ],
)
def test_legal_instrument_bad_input(world, manager, changes, field):
    """Bad money or dates answer 400 naming the field, and nothing is written."""
    response = manager.post(
        reverse("api:fundingagreement-list"), _instrument_payload(world, **changes), format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in _errors(response)
    assert LegalInstrument.objects.count() == 0


def test_amount_in_another_currency_keeps_original_and_rate(world, manager):
    response = manager.post(reverse("api:fundingagreement-list"), _instrument_payload(world), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["amount"] == "85000.00"
    assert body["currency"] == "EUR"
    assert body["exchange_rate"] == "1.08500000"
    assert body["amount_usd"] == "92225.00"


def test_installments_cannot_exceed_the_agreement(world, manager):
    instrument = make_instrument(world.own)
    make_installment(world.own, instrument=instrument, amount="60000.00")
    payload = {
        "instrument": instrument.pk,
        "number": 2,
        "funding_source": source_for(world.own).pk,
        "planned_on": "2024-06-01",
        "amount": "40000.01",
        "currency": "USD",
    }
    response = manager.post(reverse("api:installment-list"), payload, format="json")
    assert response.status_code == 400
    assert _errors(response) == {"amount"}
    payload["amount"] = "40000.00"
    assert manager.post(reverse("api:installment-list"), payload, format="json").status_code == 201


def test_installment_received_before_transfer_is_refused(world, manager):
    installment = make_installment(world.own)
    url = reverse("api:installment-detail", kwargs={"pk": installment.pk})
    response = manager.patch(
        url,
        {"transferred_on": "2024-03-10", "received_on": "2024-03-01"},
        format="json",
        HTTP_IF_MATCH=manager.get(url)["ETag"],
    )
    assert response.status_code == 400
    assert _errors(response) == {"received_on"}


def test_extension_must_end_after_the_current_end(world, manager):
    """An extension ending on or before the current end date (extensions included) is refused."""
    instrument = make_instrument(world.own, ends_on=datetime.date(2024, 12, 31))
    make_extension(world.own, instrument=instrument, new_end_date=datetime.date(2025, 6, 30))
    url = reverse("api:nocostextension-list")
    payload = {
        "instrument": instrument.pk,
        "new_end_date": "2025-03-31",
        "reason": "x",
        "granted_on": "2025-01-01",
    }
    response = manager.post(url, payload, format="json")
    assert response.status_code == 400
    assert _errors(response) == {"new_end_date"}
    assert instrument.extensions.count() == 1
    payload["new_end_date"] = "2025-12-31"
    assert manager.post(url, payload, format="json").status_code == 201
    body = manager.get(reverse("api:fundingagreement-detail", kwargs={"pk": instrument.pk})).json()
    assert body["ends_on"] == "2024-12-31"
    assert body["current_end_date"] == "2025-12-31"
    assert [e["new_end_date"] for e in body["extensions"]] == ["2025-06-30", "2025-12-31"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "-1.00"}, "amount"),
        ({"currency": "GNF"}, "exchange_rate"),
        ({"currency": "EURO"}, "currency"),
        ({"spent_on": "2023-12-31"}, "spent_on"),  # before the agreement starts
        ({"spent_on": "2025-01-01"}, "spent_on"),  # after it ends
    ],
)
def test_expenditure_bad_input(world, api_client, changes, field):
    """Expenditure with bad money or dated outside the agreement: 400 naming the field, nothing written."""
    api_client.force_login(world.users["ma_focal_point"])
    instrument_for(world.own)
    payload = {
        "budget_line": make_line(world.own).pk,
        "spent_on": "2024-05-10",
        "amount": "100.00",
        "currency": "USD",
        "description": "Fuel",
    }
    payload.update(changes)
    response = api_client.post(reverse("api:expenditure-list"), payload, format="json")
    assert response.status_code == 400, response.json()
    assert field in _errors(response)
    assert Expenditure.objects.count() == 0


def test_expenditure_records_who_reported_it(world, api_client):
    api_client.force_login(world.users["ma_focal_point"])
    instrument_for(world.own)
    payload = {
        "budget_line": make_line(world.own).pk,
        "spent_on": "2024-05-10",
        "amount": "2500000.00",
        "currency": "GNF",
        "exchange_rate": "0.00011600",
        "description": "Printing",
    }
    response = api_client.post(reverse("api:expenditure-list"), payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["reported_by"] == "ma_focal_point"
    assert response.json()["amount_usd"] == "290.00"


def test_budget_lines_of_an_approved_workplan_are_read_only(world, api_client):
    """Only a draft (or returned) workplan's budget can be edited, by the MA focal point too."""
    api_client.force_login(world.users["ma_focal_point"])
    approved = make_workplan(world.own, WorkplanStatus.APPROVED)
    payload = TestBudgetLineAPI().create_payload(world.own)
    payload["workplan"] = approved.pk
    response = api_client.post(reverse("api:budgetline-list"), payload, format="json")
    assert response.status_code == 400
    assert _errors(response) == {"workplan"}
    line = make_line(world.own, workplan=approved)
    url = reverse("api:budgetline-detail", kwargs={"pk": line.pk})
    response = api_client.patch(url, {"units": "9"}, format="json", HTTP_IF_MATCH=etag_for(line))
    assert response.status_code == 400
    response = api_client.delete(url, HTTP_IF_MATCH=etag_for(line))
    assert response.status_code == 400
    assert BudgetLine.objects.filter(pk=line.pk).exists()


@pytest.mark.django_db
def test_budget_table_of_a_hidden_workplan_is_404(world, api_client):
    """The budget table endpoint does not reveal that another Party's workplan exists."""
    from tests.workplans.factories import make_workplan

    hidden = make_workplan(world.other)
    api_client.force_login(world.users["ma_focal_point"])
    assert api_client.get("/api/v1/budget-lines/table/", {"workplan": hidden.pk}).status_code == 404
    assert api_client.get("/api/v1/budget-lines/table/", {"workplan": 999999}).status_code == 404


# --- paths, response shapes and documented error codes (found by the API fuzzer) -------------------


def test_agreements_are_at_funding_agreements(world, manager):
    instrument = make_instrument(world.own)
    assert reverse("api:fundingagreement-list") == "/api/v1/funding-agreements/"
    body = manager.get("/api/v1/funding-agreements/").json()
    assert [row["id"] for row in body["results"]] == [instrument.pk]
    assert manager.get(f"/api/v1/funding-agreements/{instrument.pk}/figures/").status_code == 200
    assert manager.get("/api/v1/legal-instruments/").status_code == 404


@pytest.fixture
def schema_components():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator(api_version="1").get_schema(request=None, public=True)["components"]["schemas"]


def _codes(components, name) -> set:
    return set(components[name]["properties"]["code"]["enum"])


def test_expenditure_reads_back_reporter_and_document_address(world, api_client):
    """``reported_by`` is in every response (null for expenditure loaded without one, a partial
    update included); the document is read back as ``document_url``, null without one."""
    expenditure = make_expenditure(world.own)
    api_client.force_login(world.users["ma_focal_point"])
    url = reverse("api:expenditure-detail", kwargs={"pk": expenditure.pk})
    body = api_client.get(url).json()
    assert body["reported_by"] is None and body["document_url"] is None and "document" not in body
    response = api_client.patch(
        url, {"description": "Venue and catering"}, format="json", HTTP_IF_MATCH=api_client.get(url)["ETag"]
    )
    assert response.status_code == 200
    assert response.json()["reported_by"] is None and response.json()["document_url"] is None
    Expenditure.objects.filter(pk=expenditure.pk).update(reported_by=world.users["ma_focal_point"])
    response = api_client.patch(
        url, {"description": "Venue"}, format="json", HTTP_IF_MATCH=api_client.get(url)["ETag"]
    )
    assert response.json()["reported_by"] == "ma_focal_point"


def test_expenditure_schema_allows_the_nulls_it_answers(schema_components):
    fields = schema_components["Expenditure"]["properties"]
    assert fields["reported_by"]["nullable"] and fields["document_url"]["nullable"]
    assert "document" not in fields  # write-only: in the request bodies only


def test_qtl_source_without_donor_is_a_documented_400(world, manager, schema_components):
    response = manager.post(reverse("api:fundingsource-list"), {"fund": "QTL", "name": "X"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"code": "required", "detail": "External funds (QTL) come from a donor: choose one.", "attr": "donor"}
    ]
    assert "required" in _codes(schema_components, "V1FundingSourcesCreateDonorErrorComponent")
    assert not FundingSource.objects.filter(name="X").exists()


def test_budget_table_without_workplan_is_a_documented_400(world, manager, schema_components):
    for action in ("table", "export"):
        response = manager.get(reverse(f"api:budgetline-{action}"))
        assert response.status_code == 400
        assert response.json()["type"] == "validation_error"
        assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [("workplan", "required")]
    assert _codes(schema_components, "V1BudgetLinesTableRetrieveWorkplanErrorComponent") == {"required"}
    assert _codes(schema_components, "V1BudgetLinesExportRetrieveWorkplanErrorComponent") == {"required"}


def test_approved_budget_line_delete_is_a_documented_400(world, manager, schema_components):
    line = make_line(world.own, workplan=make_workplan(world.own, WorkplanStatus.APPROVED))
    url = reverse("api:budgetline-detail", kwargs={"pk": line.pk})
    response = manager.delete(url, HTTP_IF_MATCH=etag_for(line))
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [("workplan", "not_editable")]
    response = manager.patch(url, {"units": "9"}, format="json", HTTP_IF_MATCH=etag_for(line))
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [("workplan", "not_editable")]
    assert "not_editable" in _codes(schema_components, "V1BudgetLinesDestroyWorkplanErrorComponent")
    assert "not_editable" in _codes(schema_components, "V1BudgetLinesPartialUpdateWorkplanErrorComponent")
    assert BudgetLine.objects.filter(pk=line.pk).exists()


@pytest.mark.parametrize(
    "url", ["/api/v1/funding-sources/", "/api/v1/installments/", "/api/v1/expenditures/"]
)
def test_donor_id_beyond_64_bits_is_a_400_not_a_500(world, manager, url):
    """Found by fuzzing: SQLite cannot bind such an id (a 500); it is no donor, so an invalid choice."""
    response = manager.get(url, {"donor": ["122787397466277221965053334388736", "1"]})
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [("donor", "invalid_choice")]
    assert manager.get(url, {"donor": world.donor.pk}).status_code == 200
