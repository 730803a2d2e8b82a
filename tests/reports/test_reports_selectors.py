"""Every selector of the report reads real data back (issue 12): the models are imported, not
looked up by name behind ``has_fields`` guards, so a renamed model or field fails here loudly
instead of turning into a silent "no data recorded" in the report."""

import datetime
from decimal import Decimal

import pytest

from cases.choices import RecommendationStatus
from reports import selectors
from tests.budgets.factories import make_expenditure, make_installment, make_instrument, make_line
from tests.cases.factories import ComplianceCaseFactory, RecommendationFactory
from tests.workplans.factories import CorrectiveActionFactory, make_workplan
from workplans.choices import ActivityStatus, AreaOfConcern, WorkplanStatus

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2024, 12, 1)


@pytest.fixture
def togo(world, portfolio):
    """The reports' small portfolio (Togo: an approved workplan of four activities, a mission,
    two events, a deliverable) with a compliance case, recommendations, a corrective action,
    a revision in draft and funding."""
    case = ComplianceCaseFactory(party=world.own, species="Pandinus imperator")
    RecommendationFactory(party=world.own, compliance_case=case, status=RecommendationStatus.IMPLEMENTED)
    RecommendationFactory(party=world.own, compliance_case=case, status=RecommendationStatus.OPEN)
    CorrectiveActionFactory(workplan=portfolio.workplan)
    make_workplan(world.own, WorkplanStatus.DRAFT, revises=portfolio.workplan)  # version 2
    instrument = make_instrument(world.own)
    make_installment(
        world.own,
        instrument=instrument,
        amount=Decimal("1000.00"),
        transferred_on=datetime.date(2024, 2, 1),
        received_on=datetime.date(2024, 2, 10),
    )
    line = make_line(world.own, workplan=portfolio.workplan)
    make_expenditure(world.own, budget_line=line, amount=Decimal("813.45"))
    return portfolio


def test_workplan_selectors_read_the_version_in_force(world, togo):
    ids = [world.own.pk, world.other.pk]
    assert selectors.current_workplans(ids, AS_OF) == {world.own.pk: togo.workplan}
    counts, labels = selectors.activities_by_status(ids, AS_OF)
    assert counts == {
        world.own.pk: {ActivityStatus.COMPLETED: 2, ActivityStatus.ONGOING: 1, ActivityStatus.DELAYED: 1}
    }
    assert labels[ActivityStatus.COMPLETED] == "Completed"
    areas = selectors.workplan_areas(togo.workplan)
    assert len(areas) == 4 and areas == area_labels(togo.activities)
    assert [a.code for a in selectors.late_activities([world.own.pk], AS_OF)[world.own.pk]] == ["A3", "A4"]
    assert len(selectors.corrective_actions([world.own.pk], AS_OF)[world.own.pk]) == 1
    assert selectors.revised_workplans(ids) == 1


def area_labels(activities) -> list[str]:
    """The activities' areas of concern as labels, in the order of their codes."""
    return [str(AreaOfConcern(code).label) for code in sorted({a.area for a in activities})]


def test_event_mission_and_deliverable_selectors_read_the_records(world, togo):
    ids = [world.own.pk]
    assert [e.title for e in selectors.events(ids, AS_OF)] == ["National CITES workshop"]
    assert [m.place for m in selectors.missions(ids, AS_OF)] == ["Lomé"]
    assert selectors.participants_by_sex(ids, AS_OF) == {world.own.pk: {"female": 12, "male": 18, "other": 0}}
    assert [d.title for d in selectors.deliverables(ids, AS_OF)] == ["CITES database of Togo"]


def test_compliance_selectors_read_the_records(world, togo):
    ids = [world.own.pk]
    (case,) = selectors.open_compliance_cases([world.own.pk], AS_OF)[world.own.pk]
    assert case.species == "Pandinus imperator"
    assert selectors.recommendation_counts(ids, AS_OF) == {
        world.own.pk: {RecommendationStatus.IMPLEMENTED: 1, RecommendationStatus.OPEN: 1}
    }
    assert selectors.cap_cases(ids) == {world.own.pk: togo.togo_case}


def test_budget_selector_reads_the_figures(world, togo):
    figures = selectors.budget_figures([world.own.pk], AS_OF)
    (party,) = figures["parties"]
    assert (party["received"], party["spent"], party["absorption"]) == (
        Decimal("1000.00"),
        Decimal("813.45"),
        Decimal("81.3"),
    )
    assert figures["programme"]["absorption"] == Decimal("81.3")
