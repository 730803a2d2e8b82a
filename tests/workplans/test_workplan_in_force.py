"""The workplan version in force is one rule, ``Workplan.objects.in_force(as_of)``, and the
budget figures, the dashboard and the SC report all pick the version it gives (issue 12)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets import selectors as budget_selectors
from portfolio.dashboard import portfolio
from reports import selectors as report_selectors
from tests.budgets.factories import make_line
from tests.workplans.factories import make_workplan
from workplans.choices import WorkplanAction, WorkplanStatus
from workplans.models import Workplan, WorkplanStep

pytestmark = pytest.mark.django_db

D = datetime.date
V1_APPROVED = D(2023, 2, 1)
V2_APPROVED = D(2024, 7, 1)


def approve(workplan, day):
    """Record the approval step as the workflow does, dated ``day``."""
    taken_at = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=datetime.UTC)
    WorkplanStep.objects.create(
        workplan=workplan,
        action=WorkplanAction.APPROVE,
        from_status=WorkplanStatus.SUBMITTED,
        to_status=WorkplanStatus.APPROVED,
        taken_at=taken_at,
    )


def budgets(party, v1, v2):
    """A line of USD 1,000 in v1 and of USD 3,000 in v2: the budget says which version counted."""
    make_line(party, workplan=v1, units=Decimal("1"), rate=Decimal("1000.00"))
    make_line(party, workplan=v2, units=Decimal("1"), rate=Decimal("3000.00"))


@pytest.fixture
def v1_approved_v2_draft(world):
    v1 = make_workplan(world.own, WorkplanStatus.APPROVED)
    approve(v1, V1_APPROVED)
    v2 = make_workplan(world.own, WorkplanStatus.DRAFT, revises=v1)
    budgets(world.own, v1, v2)
    return v1, v2


@pytest.fixture
def v2_approved_later(world):
    v1 = make_workplan(world.own, WorkplanStatus.SUPERSEDED)
    approve(v1, V1_APPROVED)
    v2 = make_workplan(world.own, WorkplanStatus.APPROVED, revises=v1)
    approve(v2, V2_APPROVED)
    budgets(world.own, v1, v2)
    return v1, v2


def test_approved_version_is_in_force_while_its_revision_is_a_draft(world, v1_approved_v2_draft):
    v1, _v2 = v1_approved_v2_draft
    assert list(Workplan.objects.in_force()) == [v1]
    assert list(Workplan.objects.in_force(D(2030, 1, 1))) == [v1]


def test_in_force_follows_the_approval_dates(world, v2_approved_later):
    """Before v2's approval v1 was in force (although superseded since); from that day, v2."""
    v1, v2 = v2_approved_later
    assert list(Workplan.objects.in_force(V2_APPROVED - datetime.timedelta(days=1))) == [v1]
    assert list(Workplan.objects.in_force(V2_APPROVED)) == [v2]
    assert list(Workplan.objects.in_force()) == [v2]
    # Before any approval: the latest version (a later issue shows drafts apart).
    assert list(Workplan.objects.in_force(V1_APPROVED - datetime.timedelta(days=1))) == [v2]


def test_a_case_without_an_approved_version_has_its_latest_in_force(world):
    make_workplan(world.own, WorkplanStatus.DRAFT)
    v2 = make_workplan(world.own, WorkplanStatus.SUBMITTED)
    other = make_workplan(world.other, WorkplanStatus.APPROVED)  # no step recorded: approved
    assert Workplan.objects.in_force_ids() == {v2.cap_case_id: v2.pk, other.cap_case_id: other.pk}


def test_in_force_is_one_query_for_many_cases(world, v1_approved_v2_draft):
    make_workplan(world.other, WorkplanStatus.APPROVED)
    with CaptureQueriesContext(connection) as queries:
        chosen = Workplan.objects.in_force_ids()
    assert len(queries.captured_queries) == 1 and len(chosen) == 2


def test_every_surface_picks_the_same_version(world, client, v1_approved_v2_draft):
    """v1 approved and v2 a draft: the budget figures count v1's budget, the funding page shows
    v1's table, the dashboard row shows v1 and its activities, the SC report describes v1."""
    v1, _v2 = v1_approved_v2_draft
    today = datetime.date.today()
    user = world.users["case_manager"]

    summary = budget_selectors.absorption_summary(user=user, as_of=today)
    assert summary.programme.budget == Decimal("1000.00")

    client.force_login(user)
    page = client.get(reverse("budgets:case_funding", kwargs={"pk": v1.cap_case_id}))
    assert page.context["funding"].workplan == v1
    assert page.context["funding"].table.totals.period == Decimal("1000.00")

    (row,) = portfolio(user, today=today).rows
    assert (row.workplan_id, row.workplan_version, row.workplan_status) == (v1.pk, 1, WorkplanStatus.APPROVED)

    assert report_selectors.current_workplans([world.own.pk], today) == {world.own.pk: v1}


def test_every_surface_follows_the_as_of_date(world, v2_approved_later):
    """v2 approved on 1 July 2024: figures and the SC report as of 30 June count v1; as of
    1 July, v2."""
    v1, v2 = v2_approved_later
    user = world.users["case_manager"]
    before, after = V2_APPROVED - datetime.timedelta(days=1), V2_APPROVED
    assert budget_selectors.absorption_summary(user=user, as_of=before).programme.budget == 1000
    assert budget_selectors.absorption_summary(user=user, as_of=after).programme.budget == 3000
    assert report_selectors.current_workplans([world.own.pk], before) == {world.own.pk: v1}
    assert report_selectors.current_workplans([world.own.pk], after) == {world.own.pk: v2}
    assert budget_selectors.report_budget_figures([world.own.pk], before)["programme"]["budget"] == 1000
    (row,) = portfolio(user, today=before).rows
    assert row.workplan_id == v1.pk
