"""Factories for the cases app's tests. Each takes the Party (or CAP case) it belongs to."""

import datetime

import factory

from cases.choices import AreaOfConcern, CapStage, MeasureKind, MechanismKind, MeetingBody, StakeholderKind
from cases.models import (
    CapCase,
    ComplianceCase,
    ComplianceMeasure,
    ComplianceMechanism,
    EligibilityAssessment,
    Meeting,
    ProgressRating,
    Recommendation,
    Stakeholder,
    TechnicalMission,
)

D = datetime.date


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = MeetingBody.SC
    number = factory.Sequence(lambda n: 100 + n)
    starts_on = D(2023, 11, 6)
    ends_on = D(2023, 11, 10)
    venue = "Geneva (Switzerland)"


class ComplianceMechanismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplianceMechanism

    code = factory.Sequence(lambda n: f"mechanism-{n}")
    name = factory.Sequence(lambda n: f"Mechanism {n}")
    short_name = factory.Sequence(lambda n: f"M{n}")
    kind = MechanismKind.MECHANISM
    legal_basis = "Resolution Conf. 11.3"


class ComplianceCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplianceCase

    mechanism = factory.SubFactory(ComplianceMechanismFactory)
    opened_on = D(2019, 1, 15)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    adopted_at = factory.SubFactory(MeetingFactory)
    reference = "SC77 SR"
    text = factory.Sequence(lambda n: f"Do thing number {n}.")
    area = AreaOfConcern.SCIENTIFIC
    deadline = D(2024, 6, 30)


class ComplianceMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplianceMeasure

    kind = MeasureKind.WRITTEN_CAUTION
    in_effect_from = D(2020, 1, 1)


class ProgressRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressRating

    meeting = factory.SubFactory(MeetingFactory)
    rating = "partially_achieved"


class CapCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapCase

    stage = CapStage.CANDIDATE


class EligibilityAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityAssessment


class TechnicalMissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnicalMission

    starts_on = D(2023, 9, 12)
    ends_on = D(2023, 9, 15)
    place = "Honiara"
    purpose = "Compliance assessment."


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = StakeholderKind.UN_AGENCY
    role = "Administers the CAP funds."
