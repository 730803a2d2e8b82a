"""Factories for the decisions register's tests."""

import datetime

import factory

from cases.choices import MeetingBody
from decisions.choices import DecisionStatus, DirectedTo
from decisions.models import Decision
from tests.cases.factories import MeetingFactory


class CopFactory(MeetingFactory):
    """A meeting of the Conference of the Parties (CoP19 in Panama City by default)."""

    body = MeetingBody.COP
    number = factory.Sequence(lambda n: 50 + n)
    starts_on = datetime.date(2022, 11, 14)
    ends_on = datetime.date(2022, 11, 25)
    venue = "Panama City (Panama)"


class DecisionFactory(factory.django.DjangoModelFactory):
    """An adopted decision, in force."""

    class Meta:
        model = Decision

    meeting = factory.SubFactory(CopFactory)
    number = factory.Sequence(lambda n: f"19.{100 + n}")
    directed_to = DirectedTo.PARTIES
    text = factory.Sequence(lambda n: f"Parties are invited to do thing {n}.")
    status = DecisionStatus.IN_FORCE


class DraftDecisionFactory(factory.django.DjangoModelFactory):
    """A draft decision of a report (give the report)."""

    class Meta:
        model = Decision

    meeting = None
    number = ""
    directed_to = DirectedTo.SECRETARIAT
    text = factory.Sequence(lambda n: f"The Secretariat shall do thing {n}.")
    status = DecisionStatus.DRAFT


def cop(number: int = 19, **values):
    """The meeting of the CoP with this number (made once)."""
    from cases.models import Meeting

    found = Meeting.objects.filter(body=MeetingBody.COP, number=number).first()
    return found or CopFactory(number=number, **values)
