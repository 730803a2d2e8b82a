"""Frozen figures (issue 13, Deliver 5): every figure and status of a report is taken as of its
as-of date from the history. What is recorded after it — a workplan revision, expenditure, a
mission, an activity's or a recommendation's new status, a deliverable, more participants — does
not exist for the report: composing it again gives the same figures and text."""

import datetime
from decimal import Decimal

import pytest

from cases.choices import RecommendationStatus
from cases.models import TechnicalMission
from reports import selectors
from reports.snapshot import build_snapshot
from tests.budgets.factories import make_expenditure, make_installment, make_instrument, make_line
from tests.cases.factories import ComplianceCaseFactory, MeetingFactory, RecommendationFactory
from workplans.models import Deliverable, Event
from workplans.services import workplan_transition

from .conftest import make_report

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2024, 12, 1)


def togo_section(snapshot) -> dict:
    return next(s for s in snapshot["sections"] if s["party"] == "TG")


def sections_and_annex(snapshot) -> tuple:
    """What the document shows (the composing time stamp aside)."""
    return snapshot["sections"], snapshot["annex"], snapshot["report"]


@pytest.fixture
def funded(world, portfolio):
    """The reports' portfolio with a pending recommendation, funding and expenditure."""
    case = ComplianceCaseFactory(party=world.own, species="Pandinus imperator")
    meeting = MeetingFactory(
        number=71, starts_on=datetime.date(2019, 8, 17), ends_on=datetime.date(2019, 8, 28)
    )
    portfolio.recommendation = RecommendationFactory(
        party=world.own, compliance_case=case, adopted_at=meeting, reference="SC71 SR"
    )
    instrument = make_instrument(world.own)
    make_installment(
        world.own,
        instrument=instrument,
        amount=Decimal("1000.00"),
        transferred_on=datetime.date(2024, 2, 1),
        received_on=datetime.date(2024, 2, 10),
    )
    portfolio.line = make_line(world.own, workplan=portfolio.workplan)
    make_expenditure(world.own, budget_line=portfolio.line, amount=Decimal("400.00"))
    return portfolio


def change_everything_after_the_as_of_date(world, portfolio) -> None:
    """What the Secretariat records after the report was composed (after its as-of date)."""
    user = world.users["case_manager"]
    workplan_transition(workplan=portfolio.workplan, action="revise", user=user, reason="delays")
    make_expenditure(
        world.own, budget_line=portfolio.line, amount=Decimal("300.00"), spent_on=datetime.date(2025, 1, 15)
    )
    TechnicalMission.objects.create(
        cap_case=portfolio.togo_case,
        starts_on=datetime.date(2024, 6, 3),  # dated before the as-of date, recorded after it
        ends_on=datetime.date(2024, 6, 5),
        place="Kara",
        purpose="Follow-up",
    )
    ongoing = next(a for a in portfolio.activities if a.code == "A3")
    ongoing.status = "completed"
    ongoing.save()
    portfolio.recommendation.status = RecommendationStatus.IMPLEMENTED
    portfolio.recommendation.save()
    Deliverable.objects.create(
        cap_case=portfolio.togo_case,
        kind="ndf",
        title="NDF for Python regius",
        delivered_on=datetime.date(2024, 10, 1),
        review_status="accepted",
    )
    # Spending and funds dated before the as-of date but recorded after the report took its data.
    make_expenditure(
        world.own, budget_line=portfolio.line, amount=Decimal("50.00"), spent_on=datetime.date(2024, 5, 2)
    )
    make_installment(
        world.own,
        amount=Decimal("500.00"),
        transferred_on=datetime.date(2024, 3, 1),
        received_on=datetime.date(2024, 3, 5),
    )
    workshop = Event.objects.get(title="National CITES workshop")
    workshop.participants_female = 40
    workshop.save()


def test_a_report_composed_again_after_later_changes_shows_the_same_figures_and_text(world, funded):
    """Revision, expenditure, mission, activity and recommendation statuses, deliverable and
    participants recorded after the as-of date change nothing in the report; a report composed
    from the same data today (with no frozen moment) does see them, so the changes are real."""
    user = world.users["case_manager"]
    report = make_report([world.own], user=user, as_of=AS_OF)
    before = build_snapshot(report)
    togo = togo_section(before)
    assert togo["figures"]["activities"] == {"completed": 2, "delayed": 1, "ongoing": 1}
    assert togo["figures"]["missions"] == 1
    assert togo["figures"]["recommendations"] == {"total": 1, "pending": 1, "implemented": 0}

    change_everything_after_the_as_of_date(world, funded)
    report.refresh_from_db()
    after = build_snapshot(report)
    assert sections_and_annex(after) == sections_and_annex(before)
    assert build_snapshot(report)["sections"] == after["sections"]  # twice: identical

    # The same reads with the data as it stands now see every change.
    ids = [world.own.pk]
    counts, _labels = selectors.activities_by_status(ids, AS_OF)
    assert counts[world.own.pk] == {"completed": 3, "delayed": 1}
    assert len(selectors.missions(ids, AS_OF)) == 2
    assert selectors.recommendation_counts(ids, AS_OF) == {world.own.pk: {"implemented": 1}}
    assert [d.title for d in selectors.deliverables(ids, AS_OF)] == [
        "CITES database of Togo",
        "NDF for Python regius",
    ]
    assert selectors.participants_by_sex(ids, AS_OF)[world.own.pk]["female"] == 40


def test_a_revision_after_the_as_of_date_is_not_counted_as_revised(world, funded):
    """The Timeframes count: a revision taken after the as-of date does not count; the version in
    force stays the approved one."""
    user = world.users["case_manager"]
    report = make_report([world.own], user=user, as_of=AS_OF)
    frozen = selectors.report_as_of(report)
    ids = [world.own.pk]
    assert selectors.revised_workplans(ids, frozen) == 0
    workplan_transition(workplan=funded.workplan, action="revise", user=user, reason="delays")
    assert selectors.revised_workplans(ids) == 1  # as the data stands
    assert selectors.revised_workplans(ids, frozen) == 0
    # A later report (composed after the revision, as of a later date) counts it.
    later = make_report([world.own], user=user, as_of=datetime.date.today(), symbol="SC79 Doc. 30")
    assert selectors.revised_workplans(ids, selectors.report_as_of(later)) == 1
    assert selectors.current_workplans(ids, frozen) == {world.own.pk: funded.workplan}


def test_the_moment_the_data_is_taken_is_the_end_of_the_as_of_date_or_the_report_creation(world):
    """A report created after its as-of date takes the data as recorded at its creation (data
    entered late counts); one created before takes it at the end of the as-of date."""
    past = make_report([world.own], as_of=AS_OF)
    assert selectors.report_as_of(past).recorded_by == past.created
    future_day = datetime.date.today() + datetime.timedelta(days=30)
    future = make_report([world.own], as_of=future_day, symbol="SC80 Doc. 1")
    moment = selectors.report_as_of(future).recorded_by
    assert moment > future.created and moment.date() in (future_day, future_day + datetime.timedelta(days=1))
    assert selectors.report_as_of(future) == future_day


def test_a_date_derived_from_the_report_date_keeps_the_moment_the_data_is_taken(world):
    """A composer that reads "a year before the as-of date" reads the same frozen data."""
    report = make_report([world.own], as_of=AS_OF)
    as_of = selectors.report_as_of(report)
    for derived in (
        as_of - datetime.timedelta(days=365),
        as_of.replace(year=2023),
        as_of + datetime.timedelta(1),
    ):
        assert isinstance(derived, selectors.ReportDate) and derived.recorded_by == as_of.recorded_by
    assert as_of == AS_OF and str(as_of) == "2024-12-01"


def test_records_written_without_history_count_as_recorded_before(world, portfolio):
    """The synthetic benchmark portfolio is written in bulk, with no history rows: its records
    count (as recorded before any report), they are not dropped from frozen reports."""
    from workplans.models import Activity

    report = make_report([world.own], as_of=AS_OF)
    Activity.objects.bulk_create(
        [
            Activity(
                workplan=portfolio.workplan,
                code="A9",
                title="Bulk activity",
                area="institutional",
                planned_start=datetime.date(2023, 3, 1),
                planned_end=datetime.date(2025, 6, 30),
                status="ongoing",
            )
        ]
    )
    counts, _labels = selectors.activities_by_status([world.own.pk], selectors.report_as_of(report))
    assert counts[world.own.pk] == {"completed": 2, "delayed": 1, "ongoing": 2}
