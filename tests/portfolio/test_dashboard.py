"""The portfolio dashboard, the attention list and the exports (issue 7)."""

import csv
import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cap_portal.access import forget_user_roles
from parties.models import Party
from portfolio import dashboard
from portfolio.attention import Kind, needs_attention
from portfolio.dashboard import portfolio
from tests.factories import new_party
from tests.workplans.factories import ActivityFactory, MilestoneFactory, make_workplan
from workplans.choices import ActivityStatus, WorkplanStatus

TODAY = datetime.date(2025, 3, 1)


@pytest.fixture
def sample(db):
    call_command("load_sample_data", verbosity=0)


def _queries(user, today=TODAY):
    forget_user_roles(user)  # the roles query counts in each measure
    with CaptureQueriesContext(connection) as ctx:
        result = portfolio(user, today=today)
    return len(ctx.captured_queries), result


def _case_with_plan(party):
    workplan = make_workplan(party, status=WorkplanStatus.APPROVED)
    ActivityFactory(workplan=workplan, status=ActivityStatus.COMPLETED)
    ActivityFactory(workplan=workplan, status=ActivityStatus.ONGOING)
    MilestoneFactory(workplan=workplan, due_on=datetime.date(2024, 3, 1))
    return workplan


@pytest.mark.django_db
def test_dashboard_runs_a_fixed_number_of_queries(world):
    """1 CAP case or 20: the same number of queries (pinned)."""
    user = world.users["case_manager"]
    _case_with_plan(world.own)
    one, result = _queries(user)
    assert len(result.rows) == 1
    for _ in range(19):
        _case_with_plan(new_party())
    twenty, result = _queries(user)
    assert len(result.rows) == 20
    assert one == twenty == PINNED_QUERIES


# roles (1) + CAP cases with annotations (1) + plan in force (1) + activities (1) + budget figures (5)
PINNED_QUERIES = 9


@pytest.mark.django_db
def test_dashboard_row_figures(world):
    _case_with_plan(world.own)
    (row,) = portfolio(world.users["case_manager"], today=TODAY).rows
    assert row.party == world.own
    assert (row.workplan_version, row.workplan_status) == (1, WorkplanStatus.APPROVED)
    assert (row.activities_completed, row.activities_total, row.percent_complete) == (1, 2, 50)
    assert row.milestones_overdue == 1
    assert row.absorption is None and row.current_end is None


@pytest.mark.django_db
def test_the_dashboard_shows_a_page_of_cap_cases(world, client, monkeypatch):
    """A page of ``PAGE_SIZE`` rows (issue 15.1: the page's work does not grow with the
    portfolio): the rows and the Party charts are the page's, the count in the heading and the
    activities by status are every CAP case's, the export has every row."""
    monkeypatch.setattr(dashboard, "PAGE_SIZE", 2)
    _case_with_plan(world.own)
    for _ in range(2):
        _case_with_plan(new_party())
    client.force_login(world.users["case_manager"])
    first = client.get(reverse("home"))
    assert len(first.context["portfolio"].rows) == 2
    assert first.context["page_obj"].paginator.count == 3 and first.context["is_paginated"]
    page = first.content.decode()
    assert len(re.findall(r'<tr data-party="', page)) == 2
    assert "Page 1 of 2" in page and "page=2" in page
    # Every CAP case's activities (one completed and one ongoing per plan), not the page's only.
    assert sorted(first.context["chart_data"]["activities"]["values"]) == [3, 3]
    assert len(first.context["chart_data"]["agreements"]) <= 2
    second = client.get(reverse("home"), {"page": 2})
    assert len(second.context["portfolio"].rows) == 1
    shown = {r.party.pk for r in first.context["portfolio"].rows} | {
        r.party.pk for r in second.context["portfolio"].rows
    }
    assert len(shown) == 3  # no row twice, none left out
    export = client.get(reverse("home"), {"export": "csv"})
    assert len(list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))) == 1 + 3


@pytest.mark.django_db
def test_the_budget_figures_are_read_for_the_rows_shown(world, client, monkeypatch):
    """The budget figures (sums over every expenditure line) are asked for the page's CAP cases
    only, not the whole portfolio's."""
    monkeypatch.setattr(dashboard, "PAGE_SIZE", 1)
    _case_with_plan(world.own)
    _case_with_plan(new_party())
    asked = []
    original = dashboard.budget_absorption_by_party

    def spy(**kwargs):
        asked.append(list(kwargs["cap_case_ids"]))
        return original(**kwargs)

    monkeypatch.setattr(dashboard, "budget_absorption_by_party", spy)
    client.force_login(world.users["case_manager"])
    response = client.get(reverse("home"))
    (row,) = response.context["portfolio"].rows
    assert asked == [[row.cap_case.pk]]


@pytest.mark.django_db
def test_last_progress_update_is_the_day_it_was_made(world):
    """Issue 14.12 / 18.5: the period's end (30 June 2024) is not when the update was made."""
    from django.utils import timezone

    from tests.workplans.factories import ProgressUpdateFactory

    workplan = _case_with_plan(world.own)
    activity = workplan.activities.first()
    update = ProgressUpdateFactory(activity=activity, period_end=datetime.date(2024, 6, 30))
    older = ProgressUpdateFactory(activity=activity, period_end=datetime.date(2024, 9, 30))
    older.created = timezone.now() - datetime.timedelta(days=40)
    older.save(update_fields=["created"])
    (row,) = portfolio(world.users["case_manager"], today=TODAY).rows
    assert row.last_progress == timezone.localdate(update.created)


def test_dashboard_reflects_the_sample_portfolio(sample, client):
    """The sample portfolio: eleven CAP cases, Viet Nam on version 2, Nigeria's agreement
    extended to 31 March 2025, figures from the budgets module."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="casemanager")
    rows = {r.party.code: r for r in portfolio(user, today=TODAY).rows}
    assert set(rows) >= {"KH", "GN", "LA", "NG", "SB", "SR", "TG", "VN"}
    assert (rows["VN"].workplan_version, rows["VN"].workplan_status) == (2, WorkplanStatus.APPROVED)
    assert rows["NG"].current_end == datetime.date(2025, 3, 31) and rows["NG"].is_extended
    assert rows["KH"].current_end == datetime.date(2024, 12, 31) and not rows["KH"].is_extended
    assert rows["MG"].workplan_id is None and rows["MG"].percent_complete is None
    assert any(r.absorption is not None for r in rows.values())
    assert all(0 <= (r.percent_complete or 0) <= 100 for r in rows.values())
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="portfolio-table"' in page and "Viet Nam" in page and 'id="dashboard-data"' in page
    filtered = client.get(reverse("home"), {"party": "TG"})
    assert filtered.context["portfolio"].rows[0].party.code == "TG"
    assert len(filtered.context["portfolio"].rows) == 1
    export = client.get(reverse("home"), {"party": "TG", "export": "csv"})
    lines = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert lines[0][0] == "Party" and len(lines) == 2 and lines[1][0] == "Togo"


def test_attention_list_on_the_sample_portfolio(sample):
    """Each kind the sample holds appears, with a link; an agreement ending within 90 days and a
    late installment are found for the dates of the sample."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="casemanager")
    items = needs_attention(user, today=datetime.date(2025, 4, 15))
    kinds = {i.kind for i in items}
    assert Kind.MILESTONE_OVERDUE in kinds
    assert Kind.RECOMMENDATION_UNADDRESSED in kinds
    assert Kind.PROGRESS_OVERDUE in kinds
    ending = [i for i in items if i.kind == Kind.AGREEMENT_ENDING]
    assert {i.party.code for i in ending} == {"SR", "SB"}  # 31 May and 30 June 2025
    late = [
        i for i in needs_attention(user, today=datetime.date(2025, 7, 15)) if i.kind == Kind.INSTALLMENT_LATE
    ]
    assert late and all(i.url for i in late)
    assert all(i.url.startswith("/") for i in items)
    # A focal point sees their own Party's items only.
    ma = get_user_model().objects.get(username="ma.togo")
    assert {i.party.code for i in needs_attention(ma, today=datetime.date(2025, 4, 15))} <= {"TG"}


@pytest.mark.django_db
def test_attention_workplans_waiting_for_review_and_unaddressed_recommendations(world):
    from tests.workplans.factories import make_recommendation

    submitted = make_workplan(world.own, status=WorkplanStatus.SUBMITTED)
    recommendation = make_recommendation(world.own)
    recommendation.deadline = datetime.date(2024, 1, 1)
    recommendation.save()
    items = needs_attention(world.users["case_manager"], today=TODAY)
    assert [i.url for i in items if i.kind == Kind.WORKPLAN_SUBMITTED] == [submitted.get_absolute_url()]
    assert [i.url for i in items if i.kind == Kind.RECOMMENDATION_UNADDRESSED] == [
        recommendation.get_absolute_url()
    ]
    ActivityFactory(workplan=submitted).recommendations.add(recommendation)
    items = needs_attention(world.users["case_manager"], today=TODAY)
    assert not [i for i in items if i.kind == Kind.RECOMMENDATION_UNADDRESSED]
    # Nigeria's users see nothing of Togo.
    assert needs_attention(world.users["donor_observer"], today=TODAY) == []


@pytest.mark.django_db
def test_focal_point_home_is_my_party(world, client):
    client.force_login(world.users["ma_focal_point"])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "portfolio/my_party.html" in [t.name for t in response.templates]
    assert "Togo" in response.content.decode()


# --- exports ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_parties_list_exports_the_filtered_rows_as_csv_and_xlsx(world, client):
    client.force_login(world.users["ma_focal_point"])
    Party.objects.create(code="FJ", name="Fiji", region="oceania", is_sids=True)
    response = client.get(reverse("parties:party_list"), {"region": "africa", "export": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="parties-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["code", "name"] or rows[0][1].lower() == "name"
    assert sorted(r[1] for r in rows[1:]) == ["Nigeria", "Togo"]
    assert rows[1][2] == "Africa"
    response = client.get(reverse("parties:party_list"), {"region": "oceania", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert [v[1] for v in values[1:]] == ["Fiji"] and values[1][6] is True


@pytest.mark.django_db
def test_list_exports_are_restricted_to_what_the_user_may_see(world, client):
    from cases.models import CapCase

    CapCase.objects.create(party=world.own)
    CapCase.objects.create(party=world.other)
    make_workplan(world.own)
    make_workplan(world.other)
    client.force_login(world.users["ma_focal_point"])
    for name in ("cases:capcase_list", "workplans:workplan_list"):
        response = client.get(reverse(name), {"export": "csv"})
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        body = "\n".join(",".join(r) for r in rows[1:])
        assert "Togo" in body and "Nigeria" not in body, name
    client.force_login(world.users["case_manager"])
    response = client.get(reverse("cases:capcase_list"), {"export": "xlsx", "party": "NG"})
    values = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert [v[1] for v in values[1:]] == ["Nigeria"]
    response = client.get(reverse("reports:report_list"), {"export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    page = client.get(reverse("cases:capcase_list"), {"party": "NG"}).content.decode()
    assert "party=NG&amp;export=csv" in page


@pytest.mark.django_db
def test_csv_cells_cannot_run_as_formulas(world, client):
    Party.objects.create(code="ZZ", name="=HYPERLINK(1)", region="europe")
    client.force_login(world.users["case_manager"])
    response = client.get(reverse("parties:party_list"), {"q": "HYPERLINK", "export": "csv"})
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")
