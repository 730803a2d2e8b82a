"""Exports that cannot fail or be turned into code (issue 21, Deliver 3): every XLSX the portal
writes keeps stored text as text, never as a formula, and does not fail on stored text."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from parties.models import Party
from tests.budgets import factories as ff
from tests.workplans.factories import ActivityFactory, make_workplan

FORMULA = '=HYPERLINK("http://example.org/x","Click")'
CONTROL = "Inspection\x07 of\x1b facilities"


def _cells(content: bytes):
    """Every non-empty cell of every sheet, as (data type, value)."""
    book = load_workbook(io.BytesIO(content))
    return [
        (cell.data_type, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


@pytest.mark.django_db
def test_list_xlsx_export_writes_a_formula_looking_name_as_text(world, client):
    Party.objects.create(code="ZZ", name=FORMULA, region="europe")
    client.force_login(world.users["case_manager"])
    response = client.get(reverse("parties:party_list"), {"q": "HYPERLINK", "export": "xlsx"})
    assert response.status_code == 200
    cells = _cells(response.content)
    assert ("s", FORMULA) in cells
    assert not [value for kind, value in cells if kind == "f"]


@pytest.mark.django_db
def test_workplan_export_keeps_titles_as_text_and_survives_control_characters(world, client):
    workplan = make_workplan(world.own)
    ActivityFactory(workplan=workplan, code="A1", title=FORMULA)
    ActivityFactory(workplan=workplan, code="A2", title=CONTROL)
    client.force_login(world.users["case_manager"])
    response = client.get(reverse("workplans:workplan_export", args=[workplan.pk]))
    assert response.status_code == 200
    cells = _cells(response.content)
    assert ("s", FORMULA) in cells
    assert ("s", "Inspection of facilities") in cells
    assert not [value for kind, value in cells if kind == "f"]


@pytest.mark.django_db
def test_list_xlsx_export_survives_control_characters(world, client):
    Party.objects.create(code="ZZ", name=CONTROL, region="europe")
    client.force_login(world.users["case_manager"])
    response = client.get(reverse("parties:party_list"), {"q": "Inspection", "export": "xlsx"})
    assert response.status_code == 200
    assert ("s", "Inspection of facilities") in _cells(response.content)


@pytest.mark.django_db
def test_budget_workbook_keeps_a_formula_looking_description_as_text(world, client):
    line = ff.make_line(world.own, description=FORMULA)
    client.force_login(world.users["case_manager"])
    response = client.get(reverse("budgets:workplan_budget_export", args=[line.workplan_id]))
    assert response.status_code == 200
    cells = _cells(response.content)
    assert ("s", FORMULA) in cells
    assert not [value for kind, value in cells if kind == "f" and FORMULA in str(value)]


@pytest.mark.django_db
def test_dashboard_xlsx_export_answers(world, client):
    """It answered 500 ("Cannot convert 'Party' to Excel") before the one cell rule."""
    make_workplan(world.own)
    client.force_login(world.users["case_manager"])
    response = client.get(reverse("home"), {"export": "xlsx"})
    assert response.status_code == 200
    assert _cells(response.content)
