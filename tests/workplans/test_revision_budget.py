"""Revising a workplan carries its budget forward (issue 14, point 1): every budget line is copied
into the new draft, tied to the copy of its activity and editable there, and the version
comparison has a budget section — lines added, removed and changed, with each version's total."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import BudgetLine
from tests.budgets.factories import make_expenditure, make_instrument, make_line, source_for
from workplans import services
from workplans.selectors import workplan_compare

from .factories import ActivityFactory, make_workplan

pytestmark = pytest.mark.django_db


def _approve(workplan, world):
    """Submitted by the Party's focal point, approved by the case manager (four eyes)."""
    services.workplan_transition(workplan=workplan, action="submit", user=world.users["ma_focal_point"])
    return services.workplan_transition(workplan=workplan, action="approve", user=world.users["case_manager"])


@pytest.fixture
def v1(world):
    """Togo's version 1, approved, with five budget lines (USD 1,000 + 2,000 + … + 5,000), three
    of them tied to activities, funded by the EU under the case's legal instrument."""
    make_instrument(world.own)
    workplan = make_workplan(world.own)
    a1 = ActivityFactory(workplan=workplan, code="A1", title="NDF workshop")
    a2 = ActivityFactory(workplan=workplan, code="A2", title="CITES database")
    for number, activity in enumerate([a1, a1, a2, None, None], start=1):
        make_line(
            world.own,
            workplan=workplan,
            activity=activity,
            description=f"Line {number}",
            units=Decimal("1"),
            rate=Decimal(number * 1000),
        )
    _approve(workplan, world)
    return workplan


def _revise(v1, world):
    return services.workplan_transition(
        workplan=v1, action="revise", user=world.users["ma_focal_point"], reason="delays"
    )


def test_revision_carries_every_budget_line_forward(world, v1):
    """v1 has 5 lines; its revision v2 has the same 5 lines, tied to v2's copies of the activities."""
    v2 = _revise(v1, world)
    copied = list(BudgetLine.objects.filter(workplan=v2).select_related("activity").order_by("description"))
    assert len(copied) == 5
    assert [(ln.description, ln.amount, ln.funding_source_id) for ln in copied] == [
        (ln.description, ln.amount, ln.funding_source_id)
        for ln in BudgetLine.objects.filter(workplan=v1).order_by("description")
    ]
    assert [ln.activity.code if ln.activity else None for ln in copied] == ["A1", "A1", "A2", None, None]
    assert all(ln.activity is None or ln.activity.workplan_id == v2.pk for ln in copied)
    # v1's lines are untouched: still five, still tied to v1's activities.
    assert BudgetLine.objects.filter(workplan=v1, activity__workplan=v1).count() == 3


def test_carried_lines_are_editable_in_the_draft_and_expenditure_stays(world, v1, api_client):
    """A copied line is edited through the API like any line of a draft; expenditure reported
    against v1's line stays there."""
    spent = make_expenditure(world.own, budget_line=v1.budget_lines.get(description="Line 1"))
    v2 = _revise(v1, world)
    line = v2.budget_lines.get(description="Line 1")
    api_client.force_authenticate(world.users["ma_focal_point"])
    url = f"/api/v1/budget-lines/{line.pk}/"
    etag = api_client.get(url)["ETag"]
    response = api_client.patch(url, {"rate": "1500.00"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    line.refresh_from_db()
    assert line.amount == Decimal("1500.00")
    spent.refresh_from_db()
    assert spent.budget_line.workplan_id == v1.pk


def test_comparison_shows_budget_lines_changed_added_removed_and_totals(world, v1, client, api_client):
    v2 = _revise(v1, world)
    changed = v2.budget_lines.get(description="Line 2")
    changed.rate = Decimal("2500.00")
    changed.category = "equipment"
    changed.save()
    v2.budget_lines.get(description="Line 5").delete()
    make_line(world.own, workplan=v2, description="Line 6", units=Decimal("2"), rate=Decimal("300.00"))

    diff = workplan_compare(v1, v2)["budget"]
    assert [ln.description for ln in diff["added"]] == ["Line 6"]
    assert [ln.description for ln in diff["removed"]] == ["Line 5"]
    [row] = diff["changed"]
    assert row["new"].pk == changed.pk
    assert {(c["field"], c["old"], c["new"]) for c in row["changes"]} == {
        ("category", "Workshops", "Equipment"),
        ("rate", "2000.00", "2500.00"),
        ("amount", "2000.00", "2500.00"),
    }
    # 15,000 in v1; 15,000 + 500 − 5,000 + 600 in v2.
    assert diff["totals"] == {
        "old": Decimal("15000.00"),
        "new": Decimal("11100.00"),
        "difference": Decimal("-3900.00"),
    }

    api_client.force_authenticate(world.users["secretariat_viewer"])
    body = api_client.get(f"/api/v1/workplans/{v2.pk}/compare/").json()
    assert body["budget"]["totals"] == {"old": "15000.00", "new": "11100.00", "difference": "-3900.00"}
    assert [ln["description"] for ln in body["budget"]["added"]] == ["Line 6"]
    assert [ln["description"] for ln in body["budget"]["removed"]] == ["Line 5"]
    assert {c["field"] for c in body["budget"]["changed"][0]["changes"]} == {"category", "rate", "amount"}

    client.force_login(world.users["case_manager"])
    page = client.get(reverse("workplans:workplan_compare", kwargs={"pk": v2.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Budget totals per version" in html and "11100.00" in html and "Line 6" in html


def test_an_unchanged_revision_has_no_budget_difference(world, v1):
    v2 = _revise(v1, world)
    diff = workplan_compare(v1, v2)["budget"]
    assert diff["added"] == diff["removed"] == diff["changed"] == []
    assert diff["totals"]["old"] == diff["totals"]["new"] == Decimal("15000.00")


def test_a_line_moved_to_another_funding_source_shows_as_changed(world, v1):
    other = source_for(world.own, fund="CTL")
    v1.cap_case.legal_instruments.get().funding_sources.add(other)
    v2 = _revise(v1, world)
    v2.budget_lines.filter(description="Line 4").update(funding_source=other)
    [row] = workplan_compare(v1, v2)["budget"]["changed"]
    assert [c["field"] for c in row["changes"]] == ["funding_source"]
