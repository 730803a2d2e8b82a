"""Reading a statement's workbook back as a finance officer would: openpyxl gives the formulas,
and this small evaluator computes the ones the statement writes (``=SUM(X1:X9)``, ``=A1``,
``=A1+B2-C3``), so a test compares the values the spreadsheet shows with the statement's totals."""

import re
from decimal import Decimal

from openpyxl.utils import column_index_from_string

_SUM = re.compile(r"^SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)$")
_TERM = re.compile(r"([+-]?)([A-Z]+\d+|\d+(?:\.\d+)?)")


def value(sheet, ref: str) -> Decimal:
    """The value of a cell, formulas computed."""
    cell = sheet[ref]
    raw = cell.value
    if isinstance(raw, str) and raw.startswith("="):
        return evaluate(sheet, raw[1:])
    return Decimal(str(raw or 0))


def evaluate(sheet, formula: str) -> Decimal:
    match = _SUM.match(formula)
    if match:
        column, first, _column, last = match.groups()
        index = column_index_from_string(column)
        return sum(
            (
                value(sheet, sheet.cell(row=row, column=index).coordinate)
                for row in range(int(first), int(last) + 1)
            ),
            Decimal(0),
        )
    terms = _TERM.findall(formula)
    assert "".join(sign + term for sign, term in terms) == formula, f"formula not understood: {formula}"
    total = Decimal(0)
    for sign, term in terms:
        amount = Decimal(term) if term[0].isdigit() else value(sheet, term)
        total += -amount if sign == "-" else amount
    return total


def labelled(sheet, label: str, column: str = "B") -> str:
    """The reference of the cell in ``column`` on the (last) row whose first cell is ``label``."""
    found = None
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == label:
            found = f"{column}{row[0].row}"
    assert found, f"no row labelled {label!r}"
    return found
