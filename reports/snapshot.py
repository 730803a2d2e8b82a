"""The snapshot: everything a version of the report shows, composed once and stored as JSON.

Rendering reads only the snapshot, never the live data, so rendering a stored snapshot again gives
the same text and figures however the data changed since. Paragraphs get their continuous numbers
here, so the PDF, the DOCX and the HTML preview number them alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext

from budgets.selectors import absorption_rate

from . import selectors
from .composers import LAYOUT_BY_KIND, ComposeContext, compose
from .composers.decisions import DECISION_KINDS, DECISION_LINE, decision_block

SNAPSHOT_SCHEMA = 1
_LIST_ITEM = re.compile(r"^\s*[-*]\s+")
_HEADING = re.compile(r"^\s*##\s+")


def to_blocks(body: str, *, start: int, numbered: bool, decisions: bool = False) -> tuple[list[dict], int]:
    """Split a section's text into blocks and number its paragraphs from ``start + 1``.

    Blocks are separated by blank lines. A block whose lines all start with "- " is a lettered
    list (a), b)…) that belongs to the paragraph before it and takes no number; a block starting
    with "## " is a sub-heading; any other block is a paragraph. Returns the blocks and the last
    number used.
    """
    blocks: list[dict] = []
    number = start
    for chunk in re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip()):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if decisions and DECISION_LINE.match(lines[0]):  # "19.44 …": a decision, no number
            blocks.append(decision_block(lines))
            continue
        if all(_LIST_ITEM.match(line) for line in lines):
            items = [_LIST_ITEM.sub("", line).strip() for line in lines]
            blocks.append(
                {"type": "list", "items": [{"label": _letter(i), "text": t} for i, t in enumerate(items)]}
            )
        elif _HEADING.match(lines[0]) and len(lines) == 1:
            blocks.append({"type": "heading", "text": _HEADING.sub("", lines[0]).strip()})
        else:
            text = " ".join(line.strip() for line in lines)
            if numbered:
                number += 1
                blocks.append({"type": "paragraph", "number": number, "text": text})
            else:
                blocks.append({"type": "paragraph", "number": None, "text": text})
    return blocks, number


def _letter(index: int) -> str:
    return f"{chr(ord('a') + index % 26)})"


def default_title() -> str:
    return gettext("Compliance Assistance Programme")


def build_snapshot(report, on_annex: Callable[[dict], None] | None = None) -> dict:
    """Compose the whole report from its sections and the data as of its as-of date.

    The annex's figures come first, and ``on_annex`` (if given) is called with them before the
    sections are composed: the render job starts drawing the charts there, in another process
    (``reports.charts.ChartsAhead``). The sections read the same memoised rows in either order."""
    with translation.override(report.language):
        parties = selectors.report_parties(report)
        # The as-of date carries the moment the data is taken: figures frozen (reports.selectors).
        context = ComposeContext(report=report, as_of=selectors.report_as_of(report), parties=parties)
        annex = _jsonable(annex_figures(context))
        if on_annex is not None:
            on_annex(annex)
        sections = []
        number = 0
        rows = report.sections.select_related("party", "carried_from__report").order_by("order", "pk")
        for section in rows:
            layout = LAYOUT_BY_KIND.get(section.kind)
            if layout is None:
                continue
            section_context = context.for_party(section.party) if section.party_id else context
            composition = compose(section.kind, section_context)
            body = section.body if section.is_edited else composition.body
            # The narrative first, then the data text, numbered continuously.
            text, fallback = section.narrative_in(report.language)
            narrative, number = to_blocks(text, start=number, numbered=layout.numbered)
            for block in narrative:
                block["narrative"] = True
                if fallback:
                    block["fallback"] = fallback  # not written in the report's language yet
            data_blocks, number = to_blocks(
                body, start=number, numbered=layout.numbered, decisions=section.kind in DECISION_KINDS
            )
            blocks = narrative + data_blocks
            heading = section.title or (
                section.party.localized_name if section.party_id else str(layout.heading)
            )
            sections.append(
                {
                    "kind": section.kind,
                    "party": str(section.party.code) if section.party_id else None,
                    "title": heading,
                    "level": layout.level,
                    "numbered": layout.numbered,
                    "is_edited": section.is_edited,
                    "carried_from": section.carried_from.report.symbol if section.carried_mark else None,
                    "narrative_fallback": fallback,
                    "blocks": blocks,
                    "figures": _jsonable(composition.figures),
                }
            )
        return {
            "schema": SNAPSHOT_SCHEMA,
            "composed_at": timezone.now().isoformat(),
            "report": {
                "id": report.pk,
                "symbol": report.symbol,
                "title": report.title or default_title(),
                "meeting_name": report.meeting_name,
                "meeting_place": report.meeting_place,
                "meeting_start": report.meeting_start.isoformat(),
                "meeting_end": report.meeting_end.isoformat(),
                "agenda_headings": report.agenda_heading_list,
                "language": report.language,
                "as_of": report.as_of.isoformat(),
                "parties": [party.localized_name for party in parties],
            },
            "sections": sections,
            "annex": annex,
        }


def annex_figures(context: ComposeContext) -> dict:
    """The annex tables: activities by status, participants by sex, and the budget per Party and
    per donor (``recorded: False`` until the budgets slice records funding). Every Party of the
    report has a row in every table (zeros when nothing is recorded), and every table a totals
    row that sums its rows. Figures stay numbers here; the document formats them."""
    parties = context.parties
    counts, labels = context.activity_counts()
    statuses = list(labels) + sorted({s for c in counts.values() for s in c} - set(labels))
    activity_rows = []
    for party in parties:
        row = counts.get(party.pk, {})
        activity_rows.append(
            {
                "party": party.localized_name,
                "counts": [row.get(s, 0) for s in statuses],
                "total": sum(row.values()),
            }
        )
    activity_totals = [sum(r["counts"][i] for r in activity_rows) for i in range(len(statuses))]

    sexes = context.participants()
    participant_rows = []
    for party in parties:
        row = sexes.get(party.pk, {"female": 0, "male": 0, "other": 0})
        participant_rows.append({"party": party.localized_name, **row, "total": sum(row.values())})

    budget = context.memo("budget", lambda: selectors.budget_figures(context.party_ids, context.as_of))
    budget_table: dict = {"recorded": False, "currency": "", "parties": [], "donors": []}
    if budget:
        by_party = {row.get("party_id"): row for row in budget.get("parties", [])}
        party_rows = [_budget_row(party.localized_name, by_party.get(party.pk, {})) for party in parties]
        donor_rows = [_budget_row(str(row.get("donor", "")), row) for row in budget.get("donors", [])]
        budget_table = {
            "recorded": True,
            "currency": budget.get("currency", ""),
            "parties": party_rows,
            "donors": donor_rows,
            "party_totals": _budget_totals(party_rows),
            "donor_totals": _budget_totals(donor_rows),
        }
    return {
        "activities": {
            "statuses": [{"code": s, "label": labels.get(s, s)} for s in statuses],
            "rows": activity_rows,
            "totals": activity_totals,
            "total": sum(activity_totals),
        },
        "participants": {
            "rows": participant_rows,
            "totals": {k: sum(r[k] for r in participant_rows) for k in ("female", "male", "other", "total")},
        },
        "budget": budget_table,
    }


_MONEY = ("budget", "received", "spent")
_NO_MONEY = Decimal("0.00")


def _budget_row(name: str, row: dict) -> dict:
    """One row of a budget table; a Party with nothing recorded gets zeros (and no absorption:
    nothing received), so it is shown, not dropped."""
    return {
        "name": name,
        **{key: row.get(key) or _NO_MONEY for key in _MONEY},
        "absorption": row.get("absorption"),  # budgets.selectors.absorption_rate
    }


def _budget_totals(rows: list[dict]) -> dict:
    """The totals row: the sum of the rows' amounts, and absorption by the one rule on the sums."""
    sums = {key: sum((Decimal(row[key]) for row in rows), _NO_MONEY) for key in _MONEY}
    return {"name": "", **sums, "absorption": absorption_rate(sums["spent"], sums["received"])}


def _jsonable(value):
    """Decimals as strings (money keeps its digits), dates as ISO strings, recursively."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
