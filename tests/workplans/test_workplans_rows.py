"""Records shown as rows of a workplan version's page (activities, milestones, indicators,
corrective actions, budget lines): one rule ties a record's activity to its own version, one
address points at the record's row."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgets.models import BudgetLine
from tests.budgets.factories import instrument_for, source_for
from tests.workplans.factories import (
    ActivityFactory,
    CorrectiveActionFactory,
    IndicatorFactory,
    MilestoneFactory,
    make_workplan,
)

pytestmark = pytest.mark.django_db


def budget_line(*, workplan, activity):
    party = workplan.cap_case.party
    instrument_for(party)  # a line takes a source of its CAP case's legal instruments
    return BudgetLine(
        workplan=workplan,
        activity=activity,
        category="technical_missions",
        description="Missions",
        unit="Number of missions",
        units=2,
        rate=1000,
        funding_source=source_for(party),
    )


# The row's anchor on the workplan page -> makes an unsaved record (workplan=, activity=).
MAKERS = {
    "milestone": MilestoneFactory.build,
    "indicator": IndicatorFactory.build,
    "corrective": CorrectiveActionFactory.build,
    "budget line": budget_line,
}


@pytest.mark.parametrize("kind", MAKERS)
def test_the_activity_must_be_one_of_the_same_version(kind, world):
    """An activity of another version of the plan is refused on the activity field; one of the
    record's own version is accepted."""
    workplan, other = make_workplan(world.own), make_workplan(world.own)
    record = MAKERS[kind](workplan=workplan, activity=ActivityFactory(workplan=other))
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert refused.value.message_dict["activity"] == ["The activity must belong to the same workplan."]
    MAKERS[kind](workplan=workplan, activity=ActivityFactory(workplan=workplan)).full_clean()


@pytest.mark.parametrize("kind", ["milestone", "indicator", "corrective"])
def test_a_plan_row_links_to_its_row_on_the_workplan_page(kind, world):
    """Activities, milestones, indicators and corrective actions open the workplan version's page
    at their row (``#<kind>-<id>``)."""
    workplan = make_workplan(world.own)
    record = MAKERS[kind](workplan=workplan, activity=None)
    record.save()
    page = reverse("workplans:workplan_detail", kwargs={"pk": workplan.pk})
    assert record.get_absolute_url() == f"{page}#{kind}-{record.pk}"
    activity = ActivityFactory(workplan=workplan)
    assert activity.get_absolute_url() == f"{page}#activity-{activity.pk}"
