"""From a statement's snapshot to its documents: HTML (template ``statements/document.html``)
rendered to PDF by the portal's one PDF helper (``reports.documents.render_pdf``, WeasyPrint), and
an XLSX workbook whose totals are formulas (``=SUM(…)``), so a donor's finance officer can check
them; the values the formulas give are the snapshot's totals, to the cent."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cap_portal.exports import sheet_append
from reports.composers import format_date, format_range
from reports.composers.base import format_number
from reports.documents import render_pdf

MONEY_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00000000"
PERCENT_FORMAT = "0.0"
BOLD = Font(bold=True)
NOT_APPLICABLE = "\u2013"


def _date(value: str | None) -> str:
    return format_date(datetime.date.fromisoformat(value)) if value else NOT_APPLICABLE


def _money(value) -> str:
    return format_number(Decimal(str(value or 0)), 2)


def _percent(value) -> str:
    return NOT_APPLICABLE if value in (None, "") else format_number(Decimal(str(value)), 1)


def document_context(snapshot: dict) -> dict:
    """The snapshot with its figures formatted in the active language, for the template."""
    period = snapshot["period"]
    instrument = snapshot["instrument"]
    return {
        "s": snapshot,
        "instrument": instrument,
        "period": format_range(
            datetime.date.fromisoformat(period["start"]), datetime.date.fromisoformat(period["end"])
        ),
        "dates": {
            key: _date(instrument[key]) for key in ("signed_on", "starts_on", "ends_on", "current_end")
        },
        "agreed": {**snapshot["agreed"], "amount_text": _money(snapshot["agreed"]["amount"])},
        "totals": {
            key: (_percent(value) if key.startswith("absorption") else _money(value))
            for key, value in snapshot["totals"].items()
        },
        "installments": [_installment_text(i) for i in snapshot["installments"]],
        "pending_installments": [_installment_text(i) for i in snapshot["pending_installments"]],
        "lines": [
            {
                **line,
                **{k: _money(line[k]) for k in ("budget", "spent", "spent_to_date", "remaining")},
            }
            for line in snapshot["lines"]
        ],
        "categories": [
            {
                **c,
                **{k: _money(c[k]) for k in ("budget", "spent", "spent_to_date", "remaining")},
                "absorption": _percent(c["absorption"]),
            }
            for c in snapshot["categories"]
        ],
        "extensions": [
            {**e, "new_end_date": _date(e["new_end_date"]), "granted_on": _date(e["granted_on"])}
            for e in snapshot["extensions"]
        ],
        "narratives": [
            {
                **activity,
                "updates": [
                    {
                        **u,
                        "period": format_range(
                            datetime.date.fromisoformat(u["period_start"]),
                            datetime.date.fromisoformat(u["period_end"]),
                        ),
                    }
                    for u in activity["updates"]
                ],
            }
            for activity in snapshot["narratives"]
        ],
    }


def _installment_text(row: dict) -> dict:
    return {
        **row,
        "planned_on": _date(row["planned_on"]),
        "transferred_on": _date(row["transferred_on"]),
        "received_on": _date(row["received_on"]),
        "amount": _money(row["amount"]),
        "usd": _money(row["usd"]),
    }


def render_html(snapshot: dict) -> str:
    """The statement as one HTML document, in its language."""
    with translation.override(snapshot["language"]):
        return render_to_string("statements/document.html", document_context(snapshot))


def render_statement_pdf(snapshot: dict) -> tuple[bytes, int]:
    """The PDF of the statement and its page count (the SC report's path: HTML, then WeasyPrint)."""
    return render_pdf(render_html(snapshot))


# --- XLSX ----------------------------------------------------------------------------------------


class _Sheet:
    """Rows appended with ``sheet_append`` (text is never a formula), formulas written apart."""

    def __init__(self, sheet):
        self.sheet = sheet

    def row(self, values, *, bold=False, money=(), percent=(), rate=()) -> int:
        number = sheet_append(self.sheet, values)
        for column in range(1, len(values) + 1):
            cell = self.sheet.cell(row=number, column=column)
            if bold:
                cell.font = BOLD
            if column in money:
                cell.number_format = MONEY_FORMAT
            elif column in percent:
                cell.number_format = PERCENT_FORMAT
            elif column in rate:
                cell.number_format = RATE_FORMAT
        return number

    def formula(self, row: int, column: int, formula: str) -> str:
        cell = self.sheet.cell(row=row, column=column, value=formula)
        cell.number_format = MONEY_FORMAT
        cell.font = BOLD
        return f"{get_column_letter(column)}{row}"

    def blank(self) -> None:
        self.sheet.append([])


def _sum(column: int, first: int, last: int) -> str:
    letter = get_column_letter(column)
    if last < first:
        return "=0"
    return f"=SUM({letter}{first}:{letter}{last})"


def _day(value: str | None) -> datetime.date | None:
    """A snapshot's ISO date as a date cell (the workbook's reader formats it)."""
    return datetime.date.fromisoformat(value) if value else None


def _number(value) -> Decimal:
    return Decimal(str(value or 0))


def render_statement_xlsx(snapshot: dict) -> bytes:
    """The statement as a workbook: one sheet with the summary, the installments received, the
    expenditure by budget line against the budget, by category, and the no-cost extensions; a
    second with the narratives. Every total is a formula over the rows above it; the summary's
    received, spent and balances are formulas over those totals."""
    with translation.override(snapshot["language"]):
        workbook = Workbook()
        ws = workbook.active
        ws.title = _("Statement")[:31]
        sheet = _Sheet(ws)
        instrument = snapshot["instrument"]
        period = snapshot["period"]
        totals = snapshot["totals"]

        sheet.row([_("Donor statement: %(reference)s") % {"reference": instrument["reference"]}], bold=True)
        sheet.row([_("Party"), instrument["party"]])
        sheet.row([_("Counterpart"), f"{instrument['counterpart_kind']}: {instrument['counterpart_name']}"])
        sheet.row([_("Donors"), ", ".join(instrument["donors"])])
        sheet.row([_("Period"), _day(period["start"]), _day(period["end"])])
        sheet.row(
            [_("Implementation period"), _day(instrument["starts_on"]), _day(instrument["current_end"])],
        )
        sheet.row([_("All amounts in USD unless stated.")])
        sheet.blank()

        # Installments received in the period.
        sheet.row([_("Installments received in the period")], bold=True)
        sheet.row(
            [
                _("Number"),
                _("Funding source"),
                _("Received on"),
                _("Currency"),
                _("Amount"),
                _("Exchange rate to USD"),
                _("Amount (USD)"),
            ],
            bold=True,
        )
        first = ws.max_row + 1
        for row in snapshot["installments"]:
            sheet.row(
                [
                    row["number"],
                    row["source"],
                    _day(row["received_on"]),
                    row["currency"],
                    _number(row["amount"]),
                    _number(row["exchange_rate"]) if row["exchange_rate"] else None,
                    _number(row["usd"]),
                ],
                money=(5, 7),
                rate=(6,),
            )
        last = ws.max_row
        total_row = sheet.row([_("Total received in the period")], bold=True)
        received_cell = sheet.formula(total_row, 7, _sum(7, first, last))
        sheet.blank()

        # Expenditure by budget line against the budget.
        sheet.row([_("Expenditure by budget line")], bold=True)
        sheet.row(
            [
                _("Category"),
                _("Budget line"),
                _("Workplan version"),
                _("Budget"),
                _("Spent in the period"),
                _("Spent to the end of the period"),
                _("Remaining budget"),
            ],
            bold=True,
        )
        first = ws.max_row + 1
        for line in snapshot["lines"]:
            number = sheet.row(
                [
                    line["category_label"],
                    line["description"]
                    + ("" if line["in_force"] else f" ({_('not in the budget in force')})"),
                    line["workplan_version"],
                    _number(line["budget"]),
                    _number(line["spent"]),
                    _number(line["spent_to_date"]),
                ],
                money=(4, 5, 6),
            )
            ws.cell(row=number, column=7, value=f"=D{number}-F{number}").number_format = MONEY_FORMAT
        last = ws.max_row
        total_row = sheet.row([_("Total")], bold=True)
        budget_cell = sheet.formula(total_row, 4, _sum(4, first, last))
        spent_cell = sheet.formula(total_row, 5, _sum(5, first, last))
        spent_to_date_cell = sheet.formula(total_row, 6, _sum(6, first, last))
        sheet.formula(total_row, 7, _sum(7, first, last))
        sheet.blank()

        # By category.
        sheet.row([_("Expenditure by category")], bold=True)
        sheet.row(
            [_("Category"), _("Budget"), _("Spent in the period"), _("Spent to the end of the period")],
            bold=True,
        )
        first = ws.max_row + 1
        for category in snapshot["categories"]:
            sheet.row(
                [
                    category["label"],
                    _number(category["budget"]),
                    _number(category["spent"]),
                    _number(category["spent_to_date"]),
                ],
                money=(2, 3, 4),
            )
        last = ws.max_row
        total_row = sheet.row([_("Total")], bold=True)
        for column in (2, 3, 4):
            sheet.formula(total_row, column, _sum(column, first, last))
        sheet.blank()

        # The summary: agreed, balances and absorption; received and spent from the tables above.
        sheet.row([_("Summary")], bold=True)
        agreed = sheet.row([_("Funds agreed"), _number(totals["agreed"])], bold=True, money=(2,))
        opening = sheet.row(
            [_("Balance at the start of the period"), _number(totals["opening_balance"])], money=(2,)
        )
        received = sheet.row([_("Installments received in the period")])
        sheet.formula(received, 2, f"={received_cell}")
        spent = sheet.row([_("Expenditure in the period")])
        sheet.formula(spent, 2, f"={spent_cell}")
        closing = sheet.row([_("Balance at the end of the period")])
        sheet.formula(closing, 2, f"=B{opening}+B{received}-B{spent}")
        received_to_date = sheet.row(
            [_("Received to the end of the period"), _number(totals["received_to_date"])], money=(2,)
        )
        sheet.row([_("Spent to the end of the period")])
        sheet.formula(ws.max_row, 2, f"={spent_to_date_cell}")
        sheet.row([_("To disburse")])
        sheet.formula(ws.max_row, 2, f"=B{agreed}-B{received_to_date}")
        sheet.row([_("Budget")])
        sheet.formula(ws.max_row, 2, f"={budget_cell}")
        sheet.row(
            [
                _("Absorption of funds received (%)"),
                _number(totals["absorption_of_received"]) if totals["absorption_of_received"] else None,
            ],
            percent=(2,),
        )
        sheet.row(
            [
                _("Absorption of the budget (%)"),
                _number(totals["absorption_of_budget"]) if totals["absorption_of_budget"] else None,
            ],
            percent=(2,),
        )
        sheet.blank()

        sheet.row([_("No-cost extensions")], bold=True)
        sheet.row([_("New end date"), _("Granted on"), _("Reason")], bold=True)
        for extension in snapshot["extensions"]:
            sheet.row([_day(extension["new_end_date"]), _day(extension["granted_on"]), extension["reason"]])
        if not snapshot["extensions"]:
            sheet.row([_("None.")])

        ws.column_dimensions["A"].width = 42
        ws.column_dimensions["B"].width = 48
        for letter in "CDEFG":
            ws.column_dimensions[letter].width = 18

        narratives = _Sheet(workbook.create_sheet(_("Narrative")[:31]))
        narratives.row([_("Activity"), _("Title"), _("Period"), _("Narrative")], bold=True)
        for activity in snapshot["narratives"]:
            for update in activity["updates"]:
                narratives.row(
                    [
                        activity["code"],
                        activity["title"],
                        f"{update['period_start']} – {update['period_end']}",
                        update["narrative"],
                    ]
                )
        buffer = BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
