"""Records added under a parent named in the address (``ChildEditView``): the parent is looked up
among what the user may see (404 otherwise, nothing written), preset on the new record, and
cancelling returns to the parent's page."""

import pytest
from django.urls import reverse

from tests.budgets.factories import instrument_for
from tests.workplans.factories import (
    ActivityFactory,
    IndicatorFactory,
    activity_form_data,
    cap_case_for,
    make_workplan,
)
from workplans.models import Activity

pytestmark = pytest.mark.django_db


def workplan(party):
    return make_workplan(party)


def indicator(party):
    return IndicatorFactory(workplan=make_workplan(party))


def activity(party):
    return ActivityFactory(workplan=make_workplan(party))


# (URL name, address keyword, parent maker, the field set on the new record, the parent's page)
CHILDREN = [
    ("workplans:activity_add", "parent", workplan, "workplan", lambda p: p.get_absolute_url()),
    ("workplans:milestone_add", "parent", workplan, "workplan", lambda p: p.get_absolute_url()),
    ("workplans:indicator_add", "parent", workplan, "workplan", lambda p: p.get_absolute_url()),
    ("workplans:correctiveaction_add", "parent", workplan, "workplan", lambda p: p.get_absolute_url()),
    ("workplans:indicatorvalue_add", "parent", indicator, "indicator", lambda p: p.get_absolute_url()),
    ("workplans:progress_add", "parent", activity, "activity", lambda p: p.get_absolute_url()),
    ("workplans:event_add", "parent", workplan, "cap_case", lambda p: p.get_absolute_url()),
    ("workplans:deliverable_add", "parent", workplan, "cap_case", lambda p: p.get_absolute_url()),
    (
        "budgets:budgetline_add",
        "parent",
        workplan,
        "workplan",
        lambda p: reverse("budgets:workplan_budget", kwargs={"pk": p.pk}),
    ),
]


def expected_value(field, parent):
    # Events and deliverables are added from a workplan page and belong to its CAP case.
    return parent.cap_case if field == "cap_case" else parent


@pytest.mark.parametrize(("name", "kwarg", "make_parent", "field", "parent_url"), CHILDREN)
def test_the_parent_is_preset_and_cancel_returns_to_it(
    world, client, name, kwarg, make_parent, field, parent_url
):
    """A focal point opens the form under their own Party's parent: the new record carries it."""
    parent = make_parent(world.own)
    client.force_login(world.users["ma_focal_point"])
    response = client.get(reverse(name, kwargs={kwarg: parent.pk}))
    assert response.status_code == 200
    assert getattr(response.context["form"].instance, field) == expected_value(field, parent)
    assert response.context["cancel_url"] == parent_url(parent)


@pytest.mark.parametrize(("name", "kwarg", "make_parent", "field", "parent_url"), CHILDREN)
def test_another_partys_parent_answers_404(world, client, name, kwarg, make_parent, field, parent_url):
    """Another Party's parent is outside the focal point's queryset: 404 on the form and on POST."""
    parent = make_parent(world.other)
    client.force_login(world.users["ma_focal_point"])
    url = reverse(name, kwargs={kwarg: parent.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "x", "description": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("name", "kwarg", "make_parent", "parent_url"),
    [
        ("cases:mission_add", "case_pk", cap_case_for, lambda p: p.get_absolute_url()),
        ("cases:stakeholder_add", "case_pk", cap_case_for, lambda p: p.get_absolute_url()),
        (
            "budgets:instrument_add",
            "parent",
            cap_case_for,
            lambda p: reverse("budgets:case_funding", kwargs={"pk": p.pk}),
        ),
        ("budgets:extension_add", "parent", instrument_for, lambda p: p.get_absolute_url()),
        ("budgets:installment_add", "parent", instrument_for, lambda p: p.get_absolute_url()),
    ],
)
def test_secretariat_records_under_a_parent(world, client, name, kwarg, make_parent, parent_url):
    """Case managers add CAP case and funding records under a parent; an unknown parent is 404."""
    parent = make_parent(world.own)
    client.force_login(world.users["case_manager"])
    response = client.get(reverse(name, kwargs={kwarg: parent.pk}))
    assert response.status_code == 200
    assert response.context["cancel_url"] == parent_url(parent)
    assert client.get(reverse(name, kwargs={kwarg: parent.pk + 1000})).status_code == 404


def test_a_saved_part_returns_to_its_workplan_and_an_edit_cancels_to_it(world, client):
    """Plan parts return to the workplan page after saving, and so does cancelling an edit."""
    plan = make_workplan(world.own)
    client.force_login(world.users["ma_focal_point"])
    data = activity_form_data()
    response = client.post(reverse("workplans:activity_add", kwargs={"parent": plan.pk}), data)
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == plan.get_absolute_url()
    created = Activity.objects.get(workplan=plan)
    edit = client.get(reverse("workplans:activity_edit", kwargs={"pk": created.pk}))
    assert edit.context["cancel_url"] == plan.get_absolute_url()
