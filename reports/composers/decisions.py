"""The decisions the report answers, its recommendations and its draft decisions, from the
decisions register (``decisions`` app), laid out as in SC78 Doc. 23: para. 2 quotes the Decisions
in force grouped by "Directed to", para. 61 lists recommendations a)–e), and the annex carries the
draft decisions 20.AA, 20.BB… grouped by "Directed to", their lettered items kept.

A decision is written in the section's text as a block whose first line starts with its number
("19.45 *The Secretariat shall…:*") followed by its items ("- *upon request, …;*"); asterisks
around the text mark a quoted decision (italic). ``to_blocks`` turns such a block into a
"decision" block of the snapshot (:func:`decision_block`): it takes no paragraph number.
"""

from __future__ import annotations

import re
from itertools import groupby

from django.utils.translation import gettext, ngettext

from cases.choices import MeetingBody
from decisions.choices import DIRECTED_TO_HEADINGS
from decisions.selectors import (
    decisions_implemented,
    decisions_in_force,
    next_cop_number,
    number_key,
    report_agenda_item,
    report_draft_decisions,
)

from .base import (
    ComposeContext,
    Composition,
    K,
    bullet_list,
    composer,
    join_list,
    paragraphs,
)
from .party import ordinal

# The first line of a decision block: its number ("19.44", "20.AA") and its text.
DECISION_LINE = re.compile(r"^\s*(\d{1,3}\.(?:\d{1,4}|[A-Z]{2,4}))\s+(\S.*)$")
_NUMBER = re.compile(r"^(\d+)\.(\d+)$")
_ITEM = re.compile(r"^\s*[-*]\s+")
# The sections whose text may hold decision blocks.
DECISION_KINDS = frozenset({K.DECISIONS, K.DRAFT_DECISIONS})


# --- Numbers and text ----------------------------------------------------------------------------


def join_numbers(numbers: list[str]) -> str:
    """ "19.44 to 19.46" for three or more consecutive numbers, "19.44 and 19.45" for two,
    "19.44, 19.46 and 19.50" otherwise, in the active language."""
    ordered = sorted(dict.fromkeys(numbers), key=number_key)
    runs: list[list[str]] = []
    for number in ordered:
        match, previous = _NUMBER.match(number), _NUMBER.match(runs[-1][-1]) if runs else None
        if (
            match
            and previous
            and match.group(1) == previous.group(1)
            and int(match.group(2)) == int(previous.group(2)) + 1
        ):
            runs[-1].append(number)
        else:
            runs.append([number])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(gettext("%(first)s to %(last)s") % {"first": run[0], "last": run[-1]})
        else:
            parts.extend(run)
    return join_list(parts)


def _meeting_body(body: str) -> str:
    return {
        MeetingBody.COP: gettext("the Conference of the Parties"),
        MeetingBody.SC: gettext("the Standing Committee"),
        MeetingBody.AC: gettext("the Animals Committee"),
        MeetingBody.PC: gettext("the Plants Committee"),
    }.get(body, body)


def _city(venue: str) -> str:
    """ "Panama City (Panama)" → "Panama City"."""
    return re.sub(r"\s*\(.*\)\s*$", "", venue or "").strip()


def decision_text(decisions, *, quoted: bool) -> str:
    """The decisions as section text, grouped by "Directed to" (the order they come in)."""
    parts = []
    for directed_to, group in groupby(decisions, key=lambda d: d.directed_to):
        parts.append("## " + str(DIRECTED_TO_HEADINGS.get(directed_to, directed_to)))
        for decision in group:
            mark = "*" if quoted else ""
            lines = [f"{decision.number} {mark}{decision.text.strip()}{mark}"]
            lines += [f"- {mark}{item}{mark}" for item in decision.item_list]
            parts.append("\n".join(lines))
    return paragraphs(*parts)


def _unquote(text: str) -> tuple[str, bool]:
    text = text.strip()
    if len(text) > 2 and text.startswith("*") and text.endswith("*"):
        return text[1:-1].strip(), True
    return text, False


def decision_block(lines: list[str]) -> dict:
    """The snapshot block of a decision written as text: its number, its text, its lettered items
    (``{"label": "a)", "text": …}``) and whether it is quoted (italic). It takes no paragraph number."""
    match = DECISION_LINE.match(lines[0])
    text_lines, items = [match.group(2)], []
    for line in lines[1:]:
        if _ITEM.match(line):
            items.append(_ITEM.sub("", line).strip())
        elif items:
            items[-1] += " " + line.strip()
        else:
            text_lines.append(line.strip())
    text, italic = _unquote(" ".join(text_lines))
    return {
        "type": "decision",
        "number": match.group(1),
        "text": text,
        "italic": italic,
        "items": [
            {"label": f"{chr(ord('a') + index % 26)})", "text": _unquote(item)[0]}
            for index, item in enumerate(items)
        ],
    }


# --- The decisions the report answers (para. 2) --------------------------------------------------


def _in_force(context: ComposeContext):
    agenda = report_agenda_item(context.report)
    return context.memo("decisions_in_force", lambda: decisions_in_force(agenda, context.as_of))


@composer(K.DECISIONS)
def compose_decisions(context: ComposeContext) -> Composition:
    """ "At its 19th meeting (CoP19; Panama City, 2022), the Conference of the Parties adopted
    Decisions 19.44 to 19.46 on the Compliance Assistance Programme, as follows:" and the decisions
    quoted, grouped by "Directed to"; one such passage per meeting."""
    decisions = _in_force(context)
    item = context.report.title or gettext("Compliance Assistance Programme")
    if not decisions:
        return Composition(
            gettext("No decision on the %(item)s in force on this date is recorded in the register.")
            % {"item": item},
            {"decisions": []},
        )
    parts = []
    for _meeting_id, rows in groupby(decisions, key=lambda d: d.meeting_id):
        rows = list(rows)
        meeting = rows[0].meeting
        numbers = [d.number for d in rows]
        lead_in = ngettext(
            "At its %(ordinal)s meeting (%(code)s; %(place)s, %(year)s), %(body)s adopted Decision "
            "%(numbers)s on the %(item)s, as follows:",
            "At its %(ordinal)s meeting (%(code)s; %(place)s, %(year)s), %(body)s adopted Decisions "
            "%(numbers)s on the %(item)s, as follows:",
            len(numbers),
        ) % {
            "ordinal": ordinal(meeting.number),
            "code": meeting.code,
            "place": _city(meeting.venue),
            "year": meeting.starts_on.year,
            "body": _meeting_body(meeting.body),
            "numbers": join_numbers(numbers),
            "item": item,
        }
        parts += [lead_in, decision_text(rows, quoted=True)]
    return Composition(paragraphs(*parts), {"decisions": [d.number for d in decisions]})


# --- Recommendations (para. 61) ------------------------------------------------------------------


def _drafts(context: ComposeContext):
    return context.memo("draft_decisions", lambda: report_draft_decisions(context.report))


def _list_items(items: list[str]) -> list[str]:
    """ "…;" after each item, "…; and" after the last but one, "." after the last."""
    out = []
    for index, item in enumerate(items):
        if index == len(items) - 1:
            out.append(item + ".")
        elif index == len(items) - 2:
            out.append(gettext("%(item)s; and") % {"item": item})
        else:
            out.append(item + ";")
    return out


@composer(K.RECOMMENDATIONS)
def compose_recommendations(context: ComposeContext) -> Composition:
    """Recommendations a)–e) of SC78 Doc. 23: d) when the report has draft decisions, e) naming the
    decisions recorded as implemented, which can be proposed for deletion."""
    items = [
        gettext(
            "acknowledge the commitment of Parties benefitting from the CAP to improve their compliance "
            "status, and welcome the results obtained through the CAP by the respective Parties"
        ),
        gettext(
            "encourage Parties facing multiple and long-term compliance issues to express interest in "
            "benefitting from the CAP"
        ),
        gettext(
            "take note of the overall findings of the Secretariat relating to the implementation of the "
            "CAP and invite the Secretariat and concerned Parties to take them into consideration in the "
            "design and implementation of future activities"
        ),
    ]
    drafts = _drafts(context)
    if drafts:
        cop = next_cop_number(context.report.meeting_start)
        if cop is not None:
            items.append(
                gettext(
                    "review and submit the draft decisions contained in the Annex to the present document "
                    "for consideration of the Conference of the Parties at its %(ordinal)s meeting"
                )
                % {"ordinal": ordinal(cop)}
            )
        else:
            items.append(
                gettext(
                    "review and submit the draft decisions contained in the Annex to the present document "
                    "for consideration of the Conference of the Parties at its next meeting"
                )
            )
    agenda = report_agenda_item(context.report)
    implemented = context.memo("decisions_implemented", lambda: decisions_implemented(agenda, context.as_of))
    if implemented:
        numbers = [d.number for d in implemented]
        items.append(
            ngettext(
                "agree that Decision %(numbers)s has been implemented and can be proposed for deletion",
                "agree that Decisions %(numbers)s have been implemented and can be proposed for deletion",
                len(numbers),
            )
            % {"numbers": join_numbers(numbers)}
        )
    body = gettext("The Standing Committee is invited to:") + "\n\n" + bullet_list(_list_items(items))
    return Composition(
        body,
        {"draft_decisions": len(drafts), "proposed_for_deletion": [d.number for d in implemented]},
    )


# --- Draft decisions (the annex) -----------------------------------------------------------------


@composer(K.DRAFT_DECISIONS)
def compose_draft_decisions(context: ComposeContext) -> Composition:
    """The report's draft decisions, numbered 20.AA, 20.BB…, grouped by "Directed to"."""
    drafts = _drafts(context)
    if not drafts:
        return Composition(gettext("No draft decision is recorded for this report yet."), {"drafts": []})
    return Composition(decision_text(drafts, quoted=False), {"drafts": [d.number for d in drafts]})
