"""The progress form keeps its context (issue 14 point 11): it starts from the last update, holds
the percentage to 0–100, and an error keeps the activity and the periods reported in view."""

import datetime

import pytest
from django.urls import reverse

from workplans.choices import WorkplanStatus
from workplans.models import ProgressUpdate

from .factories import ActivityFactory, ProgressUpdateFactory, make_workplan

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(world):
    workplan = make_workplan(world.own, WorkplanStatus.APPROVED, title="Togo CAP workplan")
    activity = ActivityFactory(
        workplan=workplan, code="L1", title="Draft the wildlife law", area="legislative"
    )
    ProgressUpdateFactory(
        activity=activity,
        submitted_by=world.users["ma_focal_point"],
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
        status="ongoing",
        percent_complete=40,
        actual_start=datetime.date(2024, 2, 1),
    )
    return activity


def add_url(activity):
    return reverse("workplans:progress_add", kwargs={"parent": activity.pk})


def test_the_form_starts_from_the_last_update(world, client, activity):
    client.force_login(world.users["ma_focal_point"])
    response = client.get(add_url(activity))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["period_start"] == datetime.date(2024, 7, 1)
    assert form.initial["status"] == "ongoing"
    assert form.initial["percent_complete"] == 40
    assert form.initial["actual_start"] == datetime.date(2024, 2, 1)
    html = response.content.decode()
    assert 'value="2024-07-01"' in html and 'value="40"' in html


def test_the_inline_form_on_the_workplan_page_starts_from_the_last_update(world, client, activity):
    client.force_login(world.users["ma_focal_point"])
    html = client.get(activity.workplan.get_absolute_url()).content.decode()
    assert f'id="id_period_start_{activity.pk}"' in html
    assert 'value="2024-07-01"' in html


def test_the_percentage_is_bounded_in_the_browser_and_on_the_server(world, client, activity):
    client.force_login(world.users["ma_focal_point"])
    html = client.get(add_url(activity)).content.decode()
    assert 'max="100"' in html and 'min="0"' in html
    response = client.post(
        add_url(activity),
        {
            "period_start": "2024-07-01",
            "period_end": "2024-11-30",
            "status": "ongoing",
            "percent_complete": "150",
            "narrative": "More than done.",
        },
    )
    assert response.status_code == 200
    assert "percent_complete" in response.context["form"].errors
    assert ProgressUpdate.objects.count() == 1  # nothing written
    page = response.content.decode()
    # The error keeps the activity and the periods already reported in view.
    assert "Draft the wildlife law" in page and "L1" in page
    assert "Periods already reported" in page
    assert 'value="2024-07-01"' in page  # what the user typed stays


def test_an_approved_workplan_opens_on_its_content_not_on_the_revise_form(world, client, activity):
    """Issue 14 point 10: the revise step is folded away; the plan comes first."""
    client.force_login(world.users["case_manager"])
    page = client.get(activity.workplan.get_absolute_url()).content.decode()
    folded = page.index('<details class="mb-3" id="workflow-revise">')
    assert folded < page.index('name="action" value="revise"')
    assert page.index("</details>", folded) > page.index('name="action" value="revise"')
