"""Writes of the decisions register. Adopted decisions are plain records; a draft decision also
renumbers its report's drafts (20.AA, 20.BB… in the order of the annex) and refreshes the report's
sections that show them (the annex and the recommendations), unless the case manager edited them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from cap_portal import services as generic
from cap_portal.history import acting_user
from reports.choices import ReportStatus

from .models import Decision, final_report_error
from .selectors import next_cop_number, report_draft_decisions


def draft_placeholder(prefix: int | None, index: int) -> str:
    """The placeholder number of a report's ``index``-th draft decision: 20.AA, 20.BB… 20.ZZ,
    then 20.AAA…"""
    letters = chr(ord("A") + index % 26) * (2 + index // 26)
    return f"{prefix}.{letters}" if prefix is not None else letters


@transaction.atomic
def draft_decisions_renumber(*, report, user) -> list[Decision]:
    """Number the report's draft decisions in the order of its annex (grouped by "Directed to"),
    after the next meeting of the Conference of the Parties: 20.AA, 20.BB, 20.CC…"""
    prefix = next_cop_number(report.meeting_start)
    drafts = report_draft_decisions(report)
    with acting_user(user):
        for index, draft in enumerate(drafts):
            number = draft_placeholder(prefix, index)
            if draft.number != number:
                draft.number = number
                draft.save(update_fields=["number", "updated"])
    return drafts


def _after_draft_change(report, user) -> None:
    draft_decisions_renumber(report=report, user=user)
    _refresh_report_sections(report, user)


def _refresh_report_sections(report, user) -> None:
    """Compose again the report's sections that show its draft decisions (not those edited)."""
    from reports import selectors as report_selectors
    from reports.choices import SectionKind
    from reports.composers import ComposeContext, compose

    kinds = (SectionKind.DRAFT_DECISIONS, SectionKind.RECOMMENDATIONS)
    with translation.override(report.language), acting_user(user):
        parties = sorted(report.parties.all(), key=lambda party: party.name)
        as_of = report_selectors.report_as_of(report)  # as reports.services composes them
        context = ComposeContext(report=report, as_of=as_of, parties=parties)
        for section in report.sections.filter(kind__in=kinds, party__isnull=True, is_edited=False):
            body = compose(section.kind, context).body
            if body != section.body:
                section.body = body
                section.save(update_fields=["body", "updated"])


@transaction.atomic
def decision_create(*, user, data: dict) -> Decision:
    """Record a decision; a draft decision takes its place (and number) in its report's annex."""
    decision = generic.object_create(model=Decision, user=user, data=data)
    if decision.is_draft:
        _after_draft_change(decision.report, user)
        decision.refresh_from_db()
    return decision


@transaction.atomic
def decision_update(*, decision: Decision, user, data: dict) -> Decision:
    """Change a decision; a draft's report is renumbered (its group or order may have changed)."""
    before = decision.report if decision.is_draft else None
    decision = generic.object_update(instance=decision, user=user, data=data)
    for report in {r for r in (before, decision.report if decision.is_draft else None) if r is not None}:
        _after_draft_change(report, user)
    decision.refresh_from_db()
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision, user) -> None:
    """Delete a decision; the drafts of a final report are kept as published."""
    report = decision.report if decision.is_draft else None
    if report is not None and report.status == ReportStatus.FINAL:
        raise ValidationError({"report": final_report_error()})
    generic.object_delete(instance=decision, user=user)
    if report is not None:
        _after_draft_change(report, user)
