"""Factories (factory_boy) for the workplans tests: a CAP case per Party, versions in any state,
and their parts. ``cap_case_for``, ``make_workplan``, ``draft_activity``, ``approved_activity``
and ``make_recommendation`` are thin wrappers kept for their many callers: they take a Party."""

import datetime

import factory
from django.db.models import Max

from cases.models import CapCase
from tests.cases.factories import CapCaseFactory, MeetingFactory, RecommendationFactory
from workplans.choices import (
    ActivityStatus,
    AreaOfConcern,
    DeliverableKind,
    EventKind,
    ResponsibleEntity,
    WorkplanStatus,
)
from workplans.models import (
    Activity,
    CorrectiveAction,
    Deliverable,
    Event,
    Indicator,
    IndicatorValue,
    Milestone,
    ProgressUpdate,
    Workplan,
)

START = datetime.date(2024, 1, 1)
END = datetime.date(2025, 12, 31)


def cap_case_for(party) -> CapCase:
    """The Party's CAP case (made on first use)."""
    return CapCase.objects.filter(party=party).first() or CapCaseFactory(party=party)


def _next_version(workplan) -> int:
    return (Workplan.objects.filter(cap_case=workplan.cap_case).aggregate(v=Max("version"))["v"] or 0) + 1


class WorkplanFactory(factory.django.DjangoModelFactory):
    """A new version of a CAP case's workplan (the next version number of the case)."""

    class Meta:
        model = Workplan

    cap_case = factory.SubFactory(CapCaseFactory)
    version = factory.LazyAttribute(_next_version)
    status = WorkplanStatus.DRAFT
    title = factory.LazyAttribute(lambda o: f"Workplan v{o.version}")
    starts_on = START
    ends_on = END


def make_workplan(party, status=WorkplanStatus.DRAFT, **kwargs) -> Workplan:
    """A new version of the Party's workplan (the next version number of its CAP case)."""
    return WorkplanFactory(cap_case=cap_case_for(party), status=status, **kwargs)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    code = factory.Sequence(lambda n: f"A{n}")
    title = factory.Sequence(lambda n: f"Activity {n}")
    area = AreaOfConcern.INSTITUTIONAL
    responsible_entity = ResponsibleEntity.MANAGEMENT_AUTHORITY
    planned_start = datetime.date(2024, 2, 1)
    planned_end = datetime.date(2024, 6, 30)
    status = ActivityStatus.NOT_STARTED


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = datetime.date(2024, 6, 30)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "people trained"
    baseline = 0
    target = 40
    counts_people = True


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    period_start = datetime.date(2024, 1, 1)
    period_end = datetime.date(2024, 6, 30)
    female = 5
    male = 7
    value = 12


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    period_start = datetime.date(2024, 1, 1)
    period_end = datetime.date(2024, 6, 30)
    narrative = "Terms of reference drafted."
    status = ActivityStatus.ONGOING
    percent_complete = 30


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = EventKind.WORKSHOP
    title = factory.Sequence(lambda n: f"Workshop {n}")
    start_on = datetime.date(2024, 3, 27)
    end_on = datetime.date(2024, 3, 28)
    venue = "Lomé"
    participants_female = 8
    participants_male = 12


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    kind = DeliverableKind.GUIDELINES
    title = factory.Sequence(lambda n: f"Guidelines {n}")


class CorrectiveActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CorrectiveAction

    reason = "delays"
    description = "Move the NDF workshop to the next quarter."
    agreed_on = datetime.date(2024, 5, 1)


def draft_activity(party, **kwargs) -> Activity:
    return ActivityFactory(workplan=make_workplan(party), **kwargs)


def approved_activity(party, **kwargs) -> Activity:
    return ActivityFactory(workplan=make_workplan(party, WorkplanStatus.APPROVED), **kwargs)


def activity_form_data(**changes) -> dict:
    """What a focal point types into the activity form: a new activity of a draft workplan."""
    data = {
        "code": "L1",
        "title": "Revise the wildlife law",
        "area": "legislative",
        "priority": "high",
        "responsible_entity": "consultant",
        "planned_start": "2024-02-01",
        "planned_end": "2024-12-31",
        "status": "not_started",
        "percent_complete": "0",
    }
    data.update(changes)
    return data


class SC77Factory(MeetingFactory):
    """The 77th meeting of the Standing Committee (made on first use, then reused)."""

    class Meta:
        django_get_or_create = ("body", "number")

    body = "SC"
    number = 77
    venue = ""


def make_recommendation(party, area="scientific", status="open", reference="SC77 SR", text="Make NDFs."):
    """A recommendation of ``party`` adopted at SC77 (created on first use), with no deadline."""
    return RecommendationFactory(
        party=party,
        adopted_at=SC77Factory(),
        reference=reference,
        text=text,
        area=area,
        status=status,
        deadline=None,
    )
