"""Issue 16.1 done-when: from the sample data, a case manager produces the EU's statement for
Togo's legal instrument in PDF and XLSX, in the browser and through the API; the totals agree to
the cent with the funding page (budgets.selectors.case_funding) and the SC report's figures."""

import hashlib
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from budgets.models import LegalInstrument
from budgets.selectors import case_funding, report_budget_figures
from cap_portal.access import Role
from reports.composers.base import format_number
from statements.models import DonorStatement

from .workbook import labelled, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(django_user_model):
    """The sample portfolio, and a case manager to produce the statement."""
    call_command("load_sample_data", verbosity=0)
    from parties.services import role_assign, user_create

    manager = user_create(username="statement-manager", password="pw-statement-manager")
    role_assign(user=manager, role=Role.CASE_MANAGER)
    togo = LegalInstrument.objects.select_related("cap_case__party").get(reference="CITES/CAP/TG/1")
    return togo, manager


def _money(text: str) -> str:
    return format_number(Decimal(text), 2)


def test_the_eu_statement_for_togo_agrees_with_the_funding_page_to_the_cent(
    sample, api_client, django_capture_on_commit_callbacks
):
    """Through the API: the render is queued (202) and done; the PDF reads back with the
    instrument's reference and totals; the XLSX's totals are formulas whose values are the
    statement's totals; both agree with the funding page and the SC report's figures."""
    togo, manager = sample
    assert [s.donor.short_name for s in togo.funding_sources.all()] == ["EU"]
    api_client.force_authenticate(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(reverse("api:statement-list"), {"instrument": togo.pk}, format="json")
    assert response.status_code == 202, response.content
    body = api_client.get(reverse("api:statement-detail", kwargs={"pk": response.json()["id"]})).json()
    assert body["state"] == "done", body["message"]
    assert body["number"] == 1
    statement = DonorStatement.objects.get(pk=body["id"])
    totals = statement.snapshot["totals"]
    today = timezone.localdate()
    assert statement.period_start == togo.starts_on and statement.period_end == today

    funding = case_funding(user=manager, cap_case=togo.cap_case, as_of=today)
    assert Decimal(totals["agreed"]) == funding.figures.committed == Decimal("70000.00")
    assert Decimal(totals["received_to_date"]) == funding.figures.received
    assert Decimal(totals["spent_to_date"]) == funding.figures.spent
    assert Decimal(totals["budget"]) == funding.figures.budget
    absorption = funding.figures.absorption_of_received
    assert Decimal(totals["absorption_of_received"]) == absorption
    # The default period covers everything: in the period = to date, nothing brought forward.
    assert Decimal(totals["opening_balance"]) == 0
    assert Decimal(totals["received"]) == funding.figures.received
    assert Decimal(totals["closing_balance"]) == funding.figures.received - funding.figures.spent
    sc = report_budget_figures([togo.cap_case.party_id], today)["parties"][0]
    assert (sc["received"], sc["spent"], sc["budget"]) == (
        Decimal(totals["received_to_date"]),
        Decimal(totals["spent_to_date"]),
        Decimal(totals["budget"]),
    )
    # The budget by category sums to the budget; the lines' spending to the spending.
    assert sum(Decimal(c["budget"]) for c in statement.snapshot["categories"]) == Decimal(totals["budget"])
    assert sum(Decimal(line["spent"]) for line in statement.snapshot["lines"]) == Decimal(totals["spent"])
    assert len(statement.snapshot["extensions"]) == 1  # Togo's one-year period was extended

    # The PDF, downloaded through the API, read back.
    pdf = api_client.get(body["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)
    assert hashlib.sha256(content).hexdigest() == statement.sha256 == body["sha256"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "CITES/CAP/TG/1" in text
    for key in ("agreed", "received", "spent", "closing_balance", "budget"):
        assert _money(totals[key]) in text, (key, totals[key])
    assert "Togo" in text and "European Union" in text

    # The XLSX: totals as formulas, computing to the statement's totals.
    xlsx = api_client.get(body["xlsx_url"])
    assert xlsx.status_code == 200
    data = b"".join(xlsx.streaming_content)
    assert hashlib.sha256(data).hexdigest() == statement.xlsx_sha256
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    expected = {
        "Installments received in the period": "received",
        "Expenditure in the period": "spent",
        "Balance at the end of the period": "closing_balance",
        "Spent to the end of the period": "spent_to_date",
        "To disburse": "to_disburse",
        "Budget": "budget",
    }
    for label, key in expected.items():
        ref = labelled(sheet, label)
        assert str(sheet[ref].value).startswith("="), (label, sheet[ref].value)
        assert value(sheet, ref) == Decimal(totals[key]), (label, value(sheet, ref), totals[key])
    sums = [c.value for row in sheet.iter_rows() for c in row if str(c.value).startswith("=SUM(")]
    assert len(sums) >= 8, sums


def test_a_case_manager_produces_it_in_the_browser(sample, client, django_capture_on_commit_callbacks):
    """From the legal instrument's page: "Donor statement" → the form (period, language) → the
    statement's page with its progress, then its PDF and XLSX; the versions list shows it."""
    togo, manager = sample
    client.force_login(manager)
    page = client.get(togo.get_absolute_url())
    statements_url = reverse("statements:instrument_statements", kwargs={"pk": togo.pk})
    assert statements_url.encode() in page.content
    form_page = client.get(statements_url)
    assert b'id="statement-form"' in form_page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("statements:statement_request", kwargs={"pk": togo.pk}),
            {"period_start": "2023-01-01", "period_end": timezone.localdate().isoformat(), "language": "fr"},
        )
    statement = DonorStatement.objects.get()
    assert response.status_code == 302 and response["Location"] == statement.get_absolute_url()
    detail = client.get(statement.get_absolute_url())
    statement.refresh_from_db()
    assert statement.state == "done", statement.message
    assert statement.get_pdf_url().encode() in detail.content
    assert statement.get_xlsx_url().encode() in detail.content
    download = client.get(statement.get_pdf_url())
    assert download.status_code == 200
    text = PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages[0].extract_text()
    assert "CITES/CAP/TG/1" in text
    assert statement.language == "fr" and statement.snapshot["language"] == "fr"
    versions = client.get(statements_url)
    assert f'id="statement-{statement.pk}"'.encode() in versions.content
