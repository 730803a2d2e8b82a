"""Reads of the decisions register: the decisions a report quotes, those it proposes for deletion,
its draft decisions, and the number of the next meeting of the Conference of the Parties."""

from __future__ import annotations

import datetime
import re

from django.db.models import Max

from cases.choices import MeetingBody
from cases.models import Meeting

from .choices import ADOPTED_STATUSES, CAP_AGENDA_ITEM, IMPLEMENTED_STATUSES, DecisionStatus
from .models import Decision

_NUMBER = re.compile(r"^\s*(\d+)\.(\w+)\s*$")


def number_key(number: str) -> tuple:
    """A sort key that puts 19.5 before 19.44 and 20.AA before 20.BB."""
    match = _NUMBER.match(number or "")
    if not match:
        return (10**6, 0, number or "")
    meeting, rest = match.groups()
    return (int(meeting), 0, f"{int(rest):09d}") if rest.isdigit() else (int(meeting), 1, rest)


def report_agenda_item(report) -> str:
    """The agenda item a report answers: its title, or the CAP's."""
    return (report.title or "").strip() or CAP_AGENDA_ITEM


def decisions_in_force(agenda_item: str, as_of: datetime.date) -> list[Decision]:
    """The adopted decisions of the agenda item in force on ``as_of``: adopted at a meeting that
    ended by then, in the order of the documents (meeting, "Directed to", order, number).
    Implemented decisions, and those proposed for deletion, stay in force until deleted."""
    day = datetime.date(as_of.year, as_of.month, as_of.day)  # a report's as-of may carry a moment
    rows = (
        Decision.objects.filter(
            agenda_item__iexact=agenda_item.strip(),
            status__in=ADOPTED_STATUSES,
            meeting__ends_on__lte=day,
        )
        .select_related("meeting")
        .order_by()
    )
    return sorted(
        rows,
        key=lambda d: (d.meeting.starts_on, d.meeting_id, d.group_order, d.order, number_key(d.number)),
    )


def decisions_implemented(agenda_item: str, as_of: datetime.date) -> list[Decision]:
    """Of the decisions in force, those recorded as implemented (or proposed for deletion): the
    report proposes their deletion."""
    return [d for d in decisions_in_force(agenda_item, as_of) if d.status in IMPLEMENTED_STATUSES]


def report_draft_decisions(report) -> list[Decision]:
    """A report's draft decisions in the order of its annex: by "Directed to", then order."""
    rows = Decision.objects.filter(report=report, status=DecisionStatus.DRAFT).order_by()
    return sorted(rows, key=lambda d: (d.group_order, d.order, d.pk))


def latest_cop(day: datetime.date) -> Meeting | None:
    """The last meeting of the Conference of the Parties that started on or before ``day``."""
    return (
        Meeting.objects.filter(body=MeetingBody.COP, starts_on__lte=day)
        .order_by("-starts_on", "-number")
        .first()
    )


def next_cop_number(day: datetime.date) -> int | None:
    """The number of the next meeting of the Conference of the Parties after ``day`` (20 after CoP19)."""
    found = Meeting.objects.filter(body=MeetingBody.COP, starts_on__lte=day).aggregate(n=Max("number"))["n"]
    return found + 1 if found is not None else None
