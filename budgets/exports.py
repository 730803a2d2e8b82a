"""XLSX exports of the budget table (CoP18 Doc. 28 Annex 2 layout) and of the absorption summary.
Figures come from ``budgets.selectors`` (absorption: ``absorption_rate``); amounts are written as
numbers with two decimals, absorption as a percentage with one."""

from io import BytesIO

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cap_portal.exports import sheet_append

from .models import Fund

MONEY_FORMAT = "#,##0.00"
# Absorption is written as the percentage the pages show (``selectors.absorption_rate``: 81.3
# means 81.3 %), one decimal, not as a spreadsheet ratio.
PERCENT_FORMAT = "0.0"
BOLD = Font(bold=True)


def _save(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(sheet, values, *, bold=False, money_from=None):
    row = sheet_append(sheet, values)
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if bold:
            cell.font = BOLD
        if (
            money_from is not None
            and column >= money_from
            and value is not None
            and not isinstance(value, str)
        ):
            cell.number_format = MONEY_FORMAT


def budget_workbook(table, *, title: str) -> bytes:
    """The budget table: activities by category with unit, # units, rate, year-1 totals by source,
    each year's total and the whole period; category subtotals and the grand total."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Budget")[:31]
    sheet_append(sheet, [title])
    sheet["A1"].font = BOLD
    later_years = [y for y in table.years if y != 1]
    header = [
        _("Activities"),
        _("Unit"),
        _("# Units"),
        _("Rate (USD)"),
        _("Year 1 CTL (USD)"),
        _("Year 1 QTL (USD)"),
        _("Total year 1 (USD)"),
        *[_("Total year %(year)s (USD)") % {"year": y} for y in later_years],
        _("Total period (USD)"),
    ]
    _row(sheet, header, bold=True)

    def figures(totals):
        return [
            totals.year1_by_fund[Fund.CTL],
            totals.year1_by_fund[Fund.QTL],
            totals.year1,
            *[totals.per_year.get(y, 0) for y in later_years],
            totals.period,
        ]

    for number, block in enumerate(table.blocks, start=1):
        _row(sheet, [f"{number}. {block.label}"], bold=True)
        for row in block.rows:
            _row(sheet, [row.description, row.unit, row.units, row.rate, *figures(row.totals)], money_from=3)
        _row(
            sheet,
            [
                _("Subtotal %(category)s") % {"category": block.label},
                None,
                None,
                None,
                *figures(block.subtotal),
            ],
            bold=True,
            money_from=5,
        )
    _row(sheet, [_("Total (USD)"), None, None, None, *figures(table.totals)], bold=True, money_from=5)
    sheet.column_dimensions["A"].width = 60
    return _save(workbook)


def absorption_workbook(summary) -> bytes:
    """The absorption summary: one sheet with the programme, Parties, donors and funds."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Absorption")[:31]
    as_of = date_format(summary.as_of, "DATE_FORMAT")
    sheet_append(sheet, [_("Budget absorption as of %(date)s") % {"date": as_of}])
    sheet["A1"].font = BOLD
    header = [
        _("Name"),
        _("Committed (USD)"),
        _("Received (USD)"),
        _("Budget (USD)"),
        _("Spent (USD)"),
        _("Balance (USD)"),
        _("Spent / received (%)"),
        _("Spent / budget (%)"),
    ]

    def line(name, figures, bold=False):
        values = [
            str(name),
            figures.committed,
            figures.received,
            figures.budget,
            figures.spent,
            figures.balance,
            figures.absorption_of_received,
            figures.absorption_of_budget,
        ]
        _row(sheet, values, bold=bold)
        row = sheet.max_row
        for column in range(2, 7):
            sheet.cell(row=row, column=column).number_format = MONEY_FORMAT
        for column in (7, 8):
            sheet.cell(row=row, column=column).number_format = PERCENT_FORMAT

    for heading, rows in (
        (_("Parties"), summary.parties),
        (_("Donors"), summary.donors),
        (_("Funds"), [(fund.label, figures) for fund, figures in summary.funds]),
    ):
        sheet_append(sheet, [])
        _row(sheet, [heading], bold=True)
        _row(sheet, header, bold=True)
        for name, figures in rows:
            line(name, figures)
    sheet_append(sheet, [])
    line(_("Programme"), summary.programme, bold=True)
    sheet.column_dimensions["A"].width = 40
    return _save(workbook)
