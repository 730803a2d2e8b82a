"""XLSX template, export and import of a workplan's plan: a round trip, and an all-or-nothing
import whose report lists every bad row and cell."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from workplans.choices import WorkplanStatus
from workplans.models import Activity, Indicator, Milestone

from .factories import ActivityFactory, IndicatorFactory, MilestoneFactory, make_recommendation, make_workplan

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_from(response):
    content = response.content if hasattr(response, "content") else response
    return load_workbook(io.BytesIO(content))


def as_upload(book, name="plan.xlsx"):
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def plan_rows(workplan):
    recommendations = [
        (a.code, sorted(r.pk for r in a.recommendations.all()))
        for a in workplan.activities.order_by("code").prefetch_related("recommendations")
    ]
    return (
        recommendations,
        list(
            workplan.activities.order_by("code").values_list(
                "code",
                "title",
                "area",
                "priority",
                "responsible_entity",
                "planned_start",
                "planned_end",
                "actual_start",
                "status",
                "percent_complete",
            )
        ),
        list(
            workplan.milestones.order_by("title").values_list(
                "activity__code", "title", "due_on", "met_on", "evidence"
            )
        ),
        list(
            workplan.indicators.order_by("name").values_list(
                "activity__code", "name", "unit", "baseline", "target", "counts_people"
            )
        ),
    )


@pytest.fixture
def plan(world):
    workplan = make_workplan(world.own, WorkplanStatus.APPROVED)
    a1 = ActivityFactory(
        workplan=workplan,
        code="A1",
        title="NDFs for ten key species",
        area="scientific",
        priority="high",
        responsible_entity="sa",
        actual_start=datetime.date(2024, 3, 1),
        status="ongoing",
        percent_complete=60,
    )
    ActivityFactory(workplan=workplan, code="A2", title="CITES database", area="information_systems")
    a1.recommendations.add(make_recommendation(world.own, text="NDF for Python regius"))
    MilestoneFactory(workplan=workplan, activity=a1, title="Five NDFs drafted", evidence="Drafts shared")
    MilestoneFactory(workplan=workplan, title="Steering meeting", due_on=datetime.date(2024, 4, 1))
    IndicatorFactory(
        workplan=workplan, activity=a1, name="NDFs made", unit="NDFs", target=10, counts_people=False
    )
    IndicatorFactory(workplan=workplan, name="Officers trained", baseline=3, target=40)
    return workplan


def test_template_has_the_four_sheets_with_dropdowns(world, client, api_client):
    client.force_login(world.users["ma_focal_point"])
    response = client.get(reverse("workplans:workplan_template"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    book = workbook_from(response)
    assert book.sheetnames == ["Activities", "Milestones", "Indicators", "Budget", "Instructions"]
    assert [c.value for c in book["Activities"][1]][:3] == ["Code", "Title", "Description"]
    assert book["Activities"].data_validations.dataValidation  # drop-downs for the choices
    api_client.force_authenticate(world.users["sa_focal_point"])
    assert api_client.get("/api/v1/workplans/template/").status_code == 200


def test_round_trip_export_then_import_reproduces_the_plan(world, api_client, plan):
    """Export an approved version, import the workbook into a fresh draft: the same plan."""
    api_client.force_authenticate(world.users["ma_focal_point"])
    exported = api_client.get(f"/api/v1/workplans/{plan.pk}/export/")
    assert exported.status_code == 200
    assert 'filename="workplan-TG-v1.xlsx"' in exported["Content-Disposition"]
    draft = make_workplan(world.own)
    response = api_client.post(
        f"/api/v1/workplans/{draft.pk}/import/",
        {"file": SimpleUploadedFile("plan.xlsx", exported.content)},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    assert plan_rows(draft) == plan_rows(plan)
    assert draft.activities.first().history.first().history_user == world.users["ma_focal_point"]


def test_import_with_bad_rows_lists_every_cell_and_writes_nothing(world, api_client, plan):
    draft = make_workplan(world.own)
    ActivityFactory(workplan=draft, code="OLD", title="Stays when the import fails")
    api_client.force_authenticate(world.users["ma_focal_point"])
    book = workbook_from(api_client.get(f"/api/v1/workplans/{plan.pk}/export/"))
    activities = book["Activities"]
    activities.append(
        [
            "A3",
            "Bad dates",
            "",
            "legislative",
            "high",
            "ma",
            "2024-05-01",
            "2024-04-01",
            None,
            None,
            "not_started",
            0,
        ]
    )
    activities.append(
        [
            "A4",
            "",
            "",
            "astrology",
            "urgent",
            "ma",
            "not a date",
            "2024-04-01",
            None,
            None,
            "not_started",
            150,
        ]
    )
    activities.append(
        [
            "A1",
            "Duplicate code",
            "",
            "outreach",
            "low",
            "ma",
            "2024-01-01",
            "2024-02-01",
            None,
            None,
            "ongoing",
            10,
        ]
    )
    activities.append(
        [
            "A5",
            "Foreign",
            "",
            "outreach",
            "low",
            "ma",
            "2024-01-01",
            "2024-02-01",
            None,
            None,
            "ongoing",
            0,
            "999999 (SC70 SR)",
        ]
    )
    book["Milestones"].append(["Z9", "Linked to nothing", "2024-06-01", None, None])
    book["Indicators"].append([None, "No target", "people", 0, None, "perhaps"])
    response = api_client.post(
        f"/api/v1/workplans/{draft.pk}/import/", {"file": as_upload(book)}, format="multipart"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {e["attr"] for e in errors} == {"file"}
    details = [e["detail"] for e in errors]
    expected = [
        ("Activities", "row 4", "Planned end"),
        ("Activities", "row 5", "Title"),
        ("Activities", "row 5", "Area of concern"),
        ("Activities", "row 5", "Priority"),
        ("Activities", "row 5", "Planned start"),
        ("Activities", "row 6", "Code"),
        ("Activities", "row 7", "Recommendations"),
        ("Milestones", "row 4", "Activity code"),
        ("Indicators", "row 4", "Target"),
        ("Indicators", "row 4", "Counts people"),
    ]
    for sheet, row, column in expected:
        assert any(sheet in d and row + "," in d and column in d for d in details), (
            sheet,
            row,
            column,
            details,
        )
    assert len(details) == len(expected), details
    # Nothing written: the draft keeps its old plan.
    assert list(draft.activities.values_list("code", flat=True)) == ["OLD"]
    assert not Milestone.objects.filter(workplan=draft).exists()
    assert not Indicator.objects.filter(workplan=draft).exists()


def test_percent_out_of_range_and_unknown_recommendation_columns(world, api_client, plan):
    draft = make_workplan(world.own)
    api_client.force_authenticate(world.users["ma_focal_point"])
    book = workbook_from(api_client.get("/api/v1/workplans/template/"))
    book["Activities"].append(
        [
            "B1",
            "Outreach",
            "",
            "outreach",
            "low",
            "ma",
            "2024-01-01",
            "2024-02-01",
            None,
            None,
            "ongoing",
            150,
        ]
    )
    response = api_client.post(
        f"/api/v1/workplans/{draft.pk}/import/", {"file": as_upload(book)}, format="multipart"
    )
    assert response.status_code == 400
    [detail] = [e["detail"] for e in response.json()["errors"]]
    assert "row 2" in detail and "Percent complete" in detail
    assert not Activity.objects.filter(workplan=draft).exists()


def test_import_refuses_a_non_workbook_and_an_approved_version(world, api_client, plan):
    api_client.force_authenticate(world.users["ma_focal_point"])
    draft = make_workplan(world.own)
    response = api_client.post(
        f"/api/v1/workplans/{draft.pk}/import/",
        {"file": SimpleUploadedFile("plan.xlsx", b"not a workbook")},
        format="multipart",
    )
    assert response.status_code == 400 and "not an XLSX workbook" in response.json()["errors"][0]["detail"]
    exported = api_client.get(f"/api/v1/workplans/{plan.pk}/export/").content
    response = api_client.post(
        f"/api/v1/workplans/{plan.pk}/import/",
        {"file": SimpleUploadedFile("p.xlsx", exported)},
        format="multipart",
    )
    assert response.status_code == 400 and "Only a draft" in response.json()["errors"][0]["detail"]


@pytest.mark.parametrize(
    "role, target, expected", [("sa_focal_point", "own", 403), ("ma_focal_point", "other", 404)]
)
def test_import_access(role, target, expected, world, api_client, plan):
    """The SA focal point may not import (403); another Party's draft is hidden from a focal point (404)."""
    from workplans.spreadsheets import workplan_workbook

    draft = make_workplan(world.party(target))
    api_client.force_authenticate(world.users[role])
    upload = SimpleUploadedFile("p.xlsx", workplan_workbook(plan))
    response = api_client.post(f"/api/v1/workplans/{draft.pk}/import/", {"file": upload}, format="multipart")
    assert response.status_code == expected
    assert not Activity.objects.filter(workplan=draft).exists()


def test_ui_import_shows_the_report(world, client, plan):
    from workplans.spreadsheets import workplan_workbook

    draft = make_workplan(world.own)
    book = load_workbook(io.BytesIO(workplan_workbook(plan)))
    book["Activities"].append(
        ["X1", "Bad", "", "outreach", "low", "ma", "2024-05-01", "2024-04-01", None, None, "ongoing", 0]
    )
    client.force_login(world.users["ma_focal_point"])
    response = client.post(
        reverse("workplans:workplan_import", kwargs={"pk": draft.pk}), {"file": as_upload(book)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="import-report"' in page and "row 4" in page and "Planned end" in page
    response = client.post(
        reverse("workplans:workplan_import", kwargs={"pk": draft.pk}),
        {"file": as_upload(load_workbook(io.BytesIO(workplan_workbook(plan))))},
    )
    assert response.status_code == 302
    assert draft.activities.count() == 2
