"""What waits for each person (issue 18.4): a focal point's home page shows their returned work
with the comment sent back and what is due; a case manager's shows what waits for their review;
the navigation counts it in one query."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cap_portal.access import forget_user_roles
from portfolio.todo import Task, todo, todo_count
from tests.budgets.factories import make_expenditure
from tests.workplans.factories import (
    ActivityFactory,
    DeliverableFactory,
    ProgressUpdateFactory,
    make_workplan,
)
from workplans.choices import ActivityStatus, ResponsibleEntity, WorkplanAction, WorkplanStatus
from workplans.services import deliverable_review, progress_update_review, workplan_transition

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def returned_workplan(world, comment="Add the budget of the NDF workshop."):
    workplan = make_workplan(world.own, status=WorkplanStatus.SUBMITTED, title="Togo CAP workplan")
    workplan_transition(
        workplan=workplan, action=WorkplanAction.RETURN, user=world.users["case_manager"], comment=comment
    )
    return workplan


def kinds(result):
    return {group.kind: group for group in result.groups}


def test_a_returned_workplan_is_on_the_focal_points_home_page_with_its_comment(world, client):
    """The issue: "Nothing needs attention" while the Party's own plan waits for corrections."""
    workplan = returned_workplan(world)
    client.force_login(world.users["ma_focal_point"])
    page = client.get(reverse("home")).content.decode()
    assert 'id="todo"' in page
    assert "Workplans returned for changes" in page
    assert workplan.get_absolute_url() in page
    assert "Add the budget of the NDF workshop." in page


def test_returned_progress_and_deliverables_with_their_comment(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    workplan = make_workplan(world.own, status=WorkplanStatus.APPROVED)
    activity = ActivityFactory(workplan=workplan, status=ActivityStatus.ONGOING)
    update = ProgressUpdateFactory(activity=activity, submitted_by=world.users["ma_focal_point"])
    progress_update_review(
        update=update, user=world.users["case_manager"], accept=False, comment="Give the participants by sex."
    )
    deliverable = DeliverableFactory(
        cap_case=workplan.cap_case,
        submitted_by=world.users["ma_focal_point"],
        file=SimpleUploadedFile("ndf.pdf", PDF, content_type="application/pdf"),
    )
    deliverable_review(
        deliverable=deliverable, user=world.users["case_manager"], accept=False, comment="Sign the NDF."
    )
    result = kinds(todo(world.users["ma_focal_point"]))
    (item,) = result[Task.PROGRESS_RETURNED].items
    assert item.detail == "Give the participants by sex."
    assert item.url == reverse("workplans:progress_edit", kwargs={"pk": update.pk})
    (item,) = result[Task.DELIVERABLE_RETURNED].items
    assert (item.detail, item.url) == (
        "Sign the NDF.",
        reverse("workplans:deliverable_edit", kwargs={"pk": deliverable.pk}),
    )


def test_progress_due_deliverables_to_upload_and_expenditure_to_justify(world):
    workplan = make_workplan(world.own, status=WorkplanStatus.APPROVED, ends_on=datetime.date(2027, 12, 31))
    activity = ActivityFactory(workplan=workplan, status=ActivityStatus.ONGOING)
    DeliverableFactory(cap_case=workplan.cap_case, title="Guidelines on captive breeding")
    spent = make_expenditure(world.own, description="Workshop venue in Lomé")
    make_expenditure(world.other, description="Nigeria's workshop")
    result = kinds(todo(world.users["ma_focal_point"]))
    assert [i.url for i in result[Task.PROGRESS_DUE].items] == [
        reverse("workplans:progress_add", kwargs={"parent": activity.pk})
    ]
    assert [i.title for i in result[Task.DELIVERABLE_TO_UPLOAD].items] == ["Guidelines on captive breeding"]
    assert [i.url for i in result[Task.EXPENDITURE_TO_JUSTIFY].items] == [spent.get_absolute_url()]
    assert Task.WORKPLAN_TO_REVIEW not in result  # a focal point reviews nothing


def test_the_sa_focal_point_has_only_the_activities_assigned_to_the_sa(world):
    workplan = make_workplan(world.own, status=WorkplanStatus.APPROVED, ends_on=datetime.date(2027, 12, 31))
    ActivityFactory(workplan=workplan, status=ActivityStatus.ONGOING, code="MA1")
    ActivityFactory(
        workplan=workplan,
        status=ActivityStatus.ONGOING,
        code="SA1",
        responsible_entity=ResponsibleEntity.SCIENTIFIC_AUTHORITY,
    )
    result = kinds(todo(world.users["sa_focal_point"]))
    assert [i.title.split()[0] for i in result[Task.PROGRESS_DUE].items] == ["SA1"]
    assert set(result) <= {Task.PROGRESS_DUE, Task.PROGRESS_RETURNED}


def test_the_case_managers_home_shows_what_waits_for_review(world, client):
    workplan = make_workplan(world.own, status=WorkplanStatus.SUBMITTED, title="Togo CAP workplan")
    approved = make_workplan(world.other, status=WorkplanStatus.APPROVED)
    activity = ActivityFactory(workplan=approved)
    theirs = ProgressUpdateFactory(activity=activity, submitted_by=world.users["ma_focal_point"])
    ProgressUpdateFactory(activity=activity, submitted_by=world.users["case_manager"])  # four eyes
    result = kinds(todo(world.users["case_manager"]))
    assert [i.url for i in result[Task.WORKPLAN_TO_REVIEW].items] == [workplan.get_absolute_url()]
    assert [i.url for i in result[Task.PROGRESS_TO_REVIEW].items] == [
        reverse("workplans:progress_review", kwargs={"pk": theirs.pk})
    ]
    client.force_login(world.users["case_manager"])
    page = client.get(reverse("home")).content.decode()
    assert "Waiting for your review" in page and workplan.get_absolute_url() in page


def test_the_navigation_counts_what_waits_in_one_query(world, client):
    returned_workplan(world)
    user = world.users["ma_focal_point"]
    forget_user_roles(user)
    todo_count(user)  # the roles, read once per request
    with CaptureQueriesContext(connection) as queries:
        count = todo_count(user)
    assert len(queries) == 1
    assert count == todo(user).count >= 1
    client.force_login(user)
    page = client.get(reverse("parties:party_list")).content.decode()
    assert 'id="nav-todo"' in page


def test_nothing_to_do_without_a_role_that_acts(world, client):
    observer = world.users["donor_observer"]
    assert todo(observer) is None
    forget_user_roles(observer)
    todo_count(observer)
    with CaptureQueriesContext(connection) as queries:
        assert todo_count(observer) == 0
    assert len(queries) == 0
    client.force_login(world.users["ma_focal_point"])
    assert 'id="nav-todo"' not in client.get(reverse("parties:party_list")).content.decode()


def test_another_partys_returned_work_is_not_on_the_list(world):
    other = make_workplan(world.other, status=WorkplanStatus.SUBMITTED)
    workplan_transition(
        workplan=other, action=WorkplanAction.RETURN, user=world.users["case_manager"], comment="Redo."
    )
    returned_workplan(world)
    (item,) = kinds(todo(world.users["ma_focal_point"]))[Task.WORKPLAN_RETURNED].items
    assert item.party == world.own
