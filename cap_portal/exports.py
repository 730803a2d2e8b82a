"""CSV and XLSX exports of lists: the rows a list shows (filters applied, restricted to the user),
with the columns the list declares. Used by ``ObjectListView`` (``?export=csv|xlsx``) and the
dashboard.

Every XLSX the portal writes (these lists, the budget and absorption workbooks, the workplan
export) appends its rows with :func:`sheet_append`, the one rule for stored text in a sheet: text
is written as text, never as a formula, and characters a workbook cannot hold are dropped rather
than failing the export. CSV cells that a spreadsheet would run as a formula get a quote first.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from cap_portal.responses import CSV, XLSX, attachment

EXPORT_FORMATS = ("csv", "xlsx")
# A spreadsheet runs a cell starting with one of these as a formula: CSV cells get a quote first.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def resolve(obj, path: str):
    """The value at ``path`` ("party.name", "stage"): a choice field gives its label, a callable
    is called, a missing link gives ""."""
    value = obj
    for part in path.replace("__", ".").split("."):
        if value is None:
            return ""
        display = getattr(value, f"get_{part}_display", None)
        value = display() if display is not None else getattr(value, part, None)
        if callable(value) and not hasattr(value, "all"):
            value = value()
    if hasattr(value, "all"):  # a many-to-many manager
        return ", ".join(str(v) for v in value.all())
    return "" if value is None else value


def column_label(model, path: str) -> str:
    """The verbose name of the field at the end of ``path``, for the header row."""
    current = model
    field = None
    for part in path.replace("__", ".").split("."):
        try:
            field = current._meta.get_field(part)
        except Exception:  # a property: its name is the label
            return part.replace("_", " ")
        current = field.related_model or current
    return str(field.verbose_name)


def columns_for(model, export_fields) -> list[tuple[str, str]]:
    """(label, path) pairs from ``export_fields`` entries: a path, or a (label, path) pair."""
    return [
        (str(entry[0]), entry[1]) if isinstance(entry, tuple) else (column_label(model, entry), entry)
        for entry in export_fields
    ]


def _cell(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (bool, int, float, Decimal, datetime.date)):
        return value
    return str(value)


def sheet_value(value):
    """A value as a worksheet cell takes it: text without the control characters XLSX cannot
    hold (openpyxl refuses them), anything else as is."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def sheet_append(sheet, values) -> int:
    """Append one row to an openpyxl worksheet and return its number. A text starting with "="
    is kept as text (openpyxl would store it as a live formula): a title typed as
    ``=HYPERLINK(…)`` reaches the reader as those characters, not as a link."""
    sheet.append([sheet_value(value) for value in values])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            cell = sheet.cell(row=row, column=column)
            if cell.data_type == "f":
                cell.data_type = "s"
    return row


def export_response(rows, columns, fmt: str, name: str) -> HttpResponse:
    """An attachment with a header row of ``columns`` labels and one row per object."""
    filename = f"{slugify(name) or 'export'}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    table = [[_cell(resolve(obj, path)) for _label, path in columns] for obj in rows]
    headers = [label for label, _path in columns]
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = (slugify(name) or "export")[:31]
        sheet_append(sheet, headers)
        for row in table:
            sheet_append(sheet, row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return attachment(buffer.getvalue(), filename, XLSX)
    text = io.StringIO()
    text.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in table:
        writer.writerow([f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_START) else v for v in row])
    return attachment(text.getvalue(), filename, CSV)
