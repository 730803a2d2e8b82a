"""Builders for workplans tests: a CAP case per Party, versions in any state, and their parts."""

import datetime

import factory
from django.db.models import Max

from cases.models import CapCase
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
    return CapCase.objects.filter(party=party).first() or CapCase.objects.create(party=party)


def make_workplan(party, status=WorkplanStatus.DRAFT, **kwargs) -> Workplan:
    """A new version of the Party's workplan (the next version number of its CAP case)."""
    cap_case = cap_case_for(party)
    version = (Workplan.objects.filter(cap_case=cap_case).aggregate(v=Max("version"))["v"] or 0) + 1
    values = {"title": f"Workplan v{version}", "starts_on": START, "ends_on": END}
    values.update(kwargs)
    return Workplan.objects.create(cap_case=cap_case, version=version, status=status, **values)


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


def make_recommendation(party, area="scientific", status="open", reference="SC77 SR", text="Make NDFs."):
    """A recommendation of ``party`` adopted at SC77 (created on first use)."""
    from cases.models import Meeting, Recommendation

    meeting, _ = Meeting.objects.get_or_create(
        body="SC",
        number=77,
        defaults={"starts_on": datetime.date(2023, 11, 6), "ends_on": datetime.date(2023, 11, 10)},
    )
    return Recommendation.objects.create(
        party=party, adopted_at=meeting, reference=reference, text=text, area=area, status=status
    )
