"""Re-importing a workplan's own export (issue 14, point 3): a revision already holds the plan's
activities, so the import updates by key (activity code, milestone title, indicator name, budget
line), adds and removes, all or nothing; bad rows are reported with sheet, row and column; the
workbook carries the budget lines both ways."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from budgets.models import BudgetLine
from tests.budgets.factories import make_expenditure, make_instrument, make_line, source_for
from workplans import services
from workplans.models import Activity, Indicator, IndicatorValue, Milestone
from workplans.spreadsheets import workplan_workbook

from .factories import (
    ActivityFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    make_workplan,
)

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("plan.xlsx", content, content_type=XLSX)


def book_of(content: bytes):
    return load_workbook(io.BytesIO(content))


def saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def snapshot(workplan):
    """Every record of the plan with its id and values: a re-import that changes nothing keeps it."""
    return (
        list(workplan.activities.order_by("pk").values()),
        sorted((a.pk, r.pk) for a in workplan.activities.all() for r in a.recommendations.all()),
        list(workplan.milestones.order_by("pk").values()),
        list(workplan.indicators.order_by("pk").values()),
        list(IndicatorValue.objects.filter(indicator__workplan=workplan).order_by("pk").values()),
        list(BudgetLine.objects.filter(workplan=workplan).order_by("pk").values()),
    )


@pytest.fixture
def revision(world):
    """Togo's approved version 1 with a full plan and budget, and its revision (version 2)."""
    make_instrument(world.own)
    v1 = make_workplan(world.own)
    a1 = ActivityFactory(workplan=v1, code="A1", title="NDFs for ten species", percent_complete=40)
    ActivityFactory(workplan=v1, code="A2", title="CITES database")
    MilestoneFactory(workplan=v1, activity=a1, title="Five NDFs drafted")
    indicator = IndicatorFactory(workplan=v1, activity=a1, name="Officers trained")
    IndicatorValueFactory(indicator=indicator)
    make_line(world.own, workplan=v1, activity=a1, description="NDF workshop", rate=Decimal("1234.57"),
              units=Decimal("2.5"))  # fmt: skip
    make_line(world.own, workplan=v1, description="Coordination", category="staff", year=2)
    services.workplan_transition(workplan=v1, action="submit", user=world.users["ma_focal_point"])
    services.workplan_transition(workplan=v1, action="approve", user=world.users["case_manager"])
    return services.workplan_transition(
        workplan=v1, action="revise", user=world.users["ma_focal_point"], reason="delays"
    )


def _import(api_client, world, workplan, content):
    api_client.force_authenticate(world.users["ma_focal_point"])
    return api_client.post(
        f"/api/v1/workplans/{workplan.pk}/import/", {"file": upload(content)}, format="multipart"
    )


def test_export_imported_into_its_own_revision_succeeds_and_changes_nothing(world, api_client, revision):
    """Failed on every row with "Another activity of this workplan has this code" before."""
    before = snapshot(revision)
    assert len(before[5]) == 2 and len(before[4]) == 1
    history = Activity.history.count() + BudgetLine.history.count() + Indicator.history.count()
    response = _import(api_client, world, revision, workplan_workbook(revision))
    assert response.status_code == 200, response.json()
    assert snapshot(revision) == before
    # Nothing changed, so nothing was written again.
    assert Activity.history.count() + BudgetLine.history.count() + Indicator.history.count() == history


def test_export_of_the_approved_version_imports_into_its_revision(world, api_client, revision):
    response = _import(api_client, world, revision, workplan_workbook(revision.revises))
    assert response.status_code == 200, response.json()
    assert revision.activities.count() == 2 and revision.budget_lines.count() == 2


def test_rows_update_by_key_add_and_remove(world, api_client, revision):
    a1 = revision.activities.get(code="A1")
    book = book_of(workplan_workbook(revision))
    activities = book["Activities"]
    for row in activities.iter_rows(min_row=2):
        if row[0].value == "A1":
            row[1].value = "NDFs for twelve species"
        if row[0].value == "A2":
            row[0].value = "A3"  # A2 is dropped, A3 is new
    budget = book["Budget"]
    headers = [c.value for c in budget[1]]
    for row in budget.iter_rows(min_row=2):
        if row[headers.index("Description")].value == "Coordination":
            row[headers.index("Rate (USD)")].value = 1500
    response = _import(api_client, world, revision, saved(book))
    assert response.status_code == 200, response.json()
    assert revision.activities.get(pk=a1.pk).title == "NDFs for twelve species"
    assert sorted(revision.activities.values_list("code", flat=True)) == ["A1", "A3"]
    assert revision.budget_lines.get(description="Coordination").amount == Decimal("3000.00")
    # The indicator kept its value; the line stays tied to A1.
    assert IndicatorValue.objects.filter(indicator__workplan=revision).count() == 1
    assert revision.budget_lines.get(description="NDF workshop").activity_id == a1.pk


def test_budget_lines_round_trip_into_a_fresh_draft(world, api_client, revision):
    content = workplan_workbook(revision)
    headers = [c.value for c in book_of(content)["Budget"][1]]
    assert headers[:8] == ["Activity code", "Category", "Description", "Unit", "Number of units",
                           "Rate (USD)", "Funding source", "Year"]  # fmt: skip
    revision.delete()
    fresh = make_workplan(world.own)
    response = _import(api_client, world, fresh, content)
    assert response.status_code == 200, response.json()
    lines = list(fresh.budget_lines.select_related("activity").order_by("description"))
    assert [
        (ln.description, ln.amount, ln.year, ln.activity.code if ln.activity else None) for ln in lines
    ] == [
        ("Coordination", Decimal("2000.00"), 2, None),
        ("NDF workshop", Decimal("3086.43"), 1, "A1"),
    ]


def test_a_bad_row_is_reported_with_sheet_row_and_column_and_nothing_is_written(world, api_client, revision):
    before = snapshot(revision)
    book = book_of(workplan_workbook(revision))
    activities = book["Activities"]
    headers = [c.value for c in activities[1]]
    row = list(activities.iter_rows(min_row=2))[0]  # A1, on row 2
    row[headers.index("Title")].value = "Changed, but the row is bad"
    row[headers.index("Planned start")].value = "2024-06-01"
    row[headers.index("Planned end")].value = "2024-05-01"
    row[headers.index("Percent complete")].value = 120
    budget = book["Budget"]
    budget_headers = [c.value for c in budget[1]]
    other_donor = source_for(world.other)  # funds no agreement of Togo's case
    list(budget.iter_rows(min_row=2))[0][
        budget_headers.index("Funding source")
    ].value = f"{other_donor.pk} (CH)"
    response = _import(api_client, world, revision, saved(book))
    assert response.status_code == 400
    details = [e["detail"] for e in response.json()["errors"]]
    for sheet, column in [("Activities", "Planned end"), ("Activities", "Percent complete"),
                          ("Budget", "Funding source")]:  # fmt: skip
        assert any(f"“{sheet}”, row 2, column “{column}”" in d for d in details), (sheet, column, details)
    assert len(details) == 3, details
    assert snapshot(revision) == before


def test_a_line_with_expenditure_is_not_removed_by_an_import(world, api_client):
    make_instrument(world.own)
    draft = make_workplan(world.own)
    ActivityFactory(workplan=draft, code="A1")
    line = make_line(world.own, workplan=draft, description="Spent already")
    make_expenditure(world.own, budget_line=line)
    book = book_of(workplan_workbook(draft))
    book["Budget"].delete_rows(2)
    response = _import(api_client, world, draft, saved(book))
    assert response.status_code == 400
    assert "Spent already" in response.json()["errors"][0]["detail"]
    assert draft.budget_lines.get() == line


def test_a_workbook_without_a_budget_sheet_leaves_the_budget(world, api_client, revision):
    book = book_of(workplan_workbook(revision))
    del book["Budget"]
    response = _import(api_client, world, revision, saved(book))
    assert response.status_code == 200, response.json()
    assert revision.budget_lines.count() == 2
    assert not Milestone.objects.filter(workplan=revision, title="").exists()
