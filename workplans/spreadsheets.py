"""XLSX export, template and import of a workplan's plan: activities, milestones, indicators and
budget lines.

The same layout serves the three: the template is the export of an empty plan, and a version's
export imports back into its own revision unchanged. Reading checks every row and cell and returns
all the problems at once; :func:`workplans.services.workplan_import` writes only when there are
none. Rows are matched with the draft's records by key (activities by code, milestones by title,
indicators by name, budget lines by activity code, description and year): a matched record is
updated in place (an indicator keeps its values), an unmatched one is added, and a record no row
names is removed.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from budgets.choices import BudgetCategory
from budgets.models import BudgetLine
from cap_portal.exports import sheet_append
from cases.models import Recommendation

from .choices import ActivityStatus, AreaOfConcern, Priority, ResponsibleEntity
from .models import Activity, Indicator, Milestone, Workplan


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    # text, date, int, decimal, bool, choice, activity, recommendations, funding_source; "computed"
    # is written for the reader (a line's amount) and ignored when read.
    kind: str = "text"
    required: bool = False
    choices: type | None = None


ACTIVITY_COLUMNS = [
    Column("code", "Code", required=True),
    Column("title", "Title", required=True),
    Column("description", "Description"),
    Column("area", "Area of concern", "choice", True, AreaOfConcern),
    Column("priority", "Priority", "choice", True, Priority),
    Column("responsible_entity", "Responsible entity", "choice", True, ResponsibleEntity),
    Column("planned_start", "Planned start", "date", True),
    Column("planned_end", "Planned end", "date", True),
    Column("actual_start", "Actual start", "date"),
    Column("actual_end", "Actual end", "date"),
    Column("status", "Status", "choice", True, ActivityStatus),
    Column("percent_complete", "Percent complete", "int"),
    # Recommendation references ("SC70 SR") are shared by several recommendations: rows name them by
    # id, written "12 (SC70 SR)"; only the leading number is read back.
    Column("recommendations", "Recommendations (ids, separated by ;)", "recommendations"),
]
MILESTONE_COLUMNS = [
    Column("activity", "Activity code", "activity"),
    Column("title", "Title", required=True),
    Column("due_on", "Due on", "date", True),
    Column("met_on", "Met on", "date"),
    Column("evidence", "Evidence"),
]
INDICATOR_COLUMNS = [
    Column("activity", "Activity code", "activity"),
    Column("name", "Name", required=True),
    Column("unit", "Unit", required=True),
    Column("baseline", "Baseline", "decimal"),
    Column("target", "Target", "decimal", True),
    Column("counts_people", "Counts people (yes/no)", "bool"),
]
BUDGET_COLUMNS = [
    Column("activity", "Activity code", "activity"),
    Column("category", "Category", "choice", True, BudgetCategory),
    Column("description", "Description", required=True),
    Column("unit", "Unit", required=True),
    Column("units", "Number of units", "decimal", True),
    Column("rate", "Rate (USD)", "decimal", True),
    # Funding sources are named by id, written "3 (European Union (QTL))"; the leading number is read.
    Column("funding_source", "Funding source", "funding_source", True),
    Column("year", "Year", "int", True),
    Column("amount", "Amount (USD)", "computed"),
]
SHEETS = ("Activities", "Milestones", "Indicators", "Budget")
# A workbook made before budget lines were exported has no budget sheet: its import leaves the
# draft's budget as it is.
OPTIONAL_SHEETS = ("Budget",)


SHEET_COLUMNS = {
    "Activities": ACTIVITY_COLUMNS,
    "Milestones": MILESTONE_COLUMNS,
    "Indicators": INDICATOR_COLUMNS,
    "Budget": BUDGET_COLUMNS,
}


# --- Writing ------------------------------------------------------------------------------------


def _cell_value(obj, column: Column):
    if column.kind == "activity":
        return obj.activity.code if obj.activity_id else None
    if column.kind == "recommendations":
        return "; ".join(
            f"{r.pk} ({r.reference})" for r in sorted(obj.recommendations.all(), key=lambda r: r.pk)
        )
    if column.kind == "bool":
        return "yes" if getattr(obj, column.field) else "no"
    if column.kind == "funding_source":
        return f"{obj.funding_source_id} ({obj.funding_source})"
    value = getattr(obj, column.field)
    return float(value) if isinstance(value, Decimal) else value


def workplan_workbook(workplan: Workplan | None) -> bytes:
    """The plan as an XLSX workbook (``None``: the empty template), with drop-downs for the choices."""
    book = Workbook()
    book.remove(book.active)
    columns = SHEET_COLUMNS
    rows = {name: [] for name in SHEETS}
    if workplan is not None:
        rows["Activities"] = list(workplan.activities.order_by("code").prefetch_related("recommendations"))
        rows["Milestones"] = list(workplan.milestones.select_related("activity").order_by("due_on", "pk"))
        rows["Indicators"] = list(workplan.indicators.select_related("activity").order_by("name", "pk"))
        rows["Budget"] = list(
            BudgetLine.objects.filter(workplan=workplan)
            .select_related("activity", "funding_source")
            .order_by("year", "category", "pk")
        )
    for name in SHEETS:
        sheet = book.create_sheet(name)
        sheet_append(sheet, [c.header for c in columns[name]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for obj in rows[name]:
            sheet_append(sheet, [_cell_value(obj, c) for c in columns[name]])
        for index, column in enumerate(columns[name], start=1):
            letter = get_column_letter(index)
            narrow = column.kind in ("date", "int", "decimal", "computed")
            sheet.column_dimensions[letter].width = 14 if narrow else 28
            if column.kind == "date":
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = "yyyy-mm-dd"
            if column.choices is not None or column.kind == "bool":
                values = column.choices.values if column.choices is not None else ["yes", "no"]
                validation = DataValidation(
                    type="list", formula1='"' + ",".join(values) + '"', allow_blank=True
                )
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}1000")
        sheet.freeze_panes = "A2"
    info = book.create_sheet("Instructions")
    sheet_append(
        info,
        [_("Fill one row per activity, milestone, indicator and budget line. Dates as YYYY-MM-DD.")],
    )
    sheet_append(
        info,
        [_("Importing replaces the plan of the draft version; nothing is written if any cell is wrong.")],
    )
    sheet_append(
        info,
        [
            _(
                "Rows update the draft's records with the same activity code, milestone title, "
                "indicator name or budget line (activity code, description, year); the others are added, "
                "and records no row names are removed."
            )
        ],
    )
    sheet_append(
        info,
        [_("Budget: the funding source is one of the CAP case's legal instruments, named by its number.")],
    )
    sheet_append(info, [])
    for name in SHEETS:
        for column in columns[name]:
            if column.choices is not None:
                sheet_append(
                    info, [name, column.header] + [f"{v} = {label}" for v, label in column.choices.choices]
                )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Reading ------------------------------------------------------------------------------------


class SheetErrors:
    """Every problem found, as "Sheet, row N, column: message" lines."""

    def __init__(self):
        self.messages: list[str] = []

    def add(self, sheet: str, row: int | None, column: str | None, message) -> None:
        if row is None:
            self.messages.append(_("Sheet “%(sheet)s”: %(message)s") % {"sheet": sheet, "message": message})
        else:
            self.messages.append(
                _("Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(message)s")
                % {"sheet": sheet, "row": row, "column": column or "—", "message": message}
            )

    def __bool__(self):
        return bool(self.messages)


def _parse(value, column: Column):
    """The cell's value for the model, or raise ValueError with a message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if column.required:
            raise ValueError(_("This cell is required."))
        return "" if column.kind in ("text", "recommendations") else None
    if isinstance(value, str):
        value = value.strip()
    if column.kind == "funding_source":
        match = re.match(r"\d+", str(value))
        if match is None:
            raise ValueError(_("Name the funding source by its number, e.g. “3 (EU funds (QTL))”."))
        return int(match.group())
    if column.kind == "date":
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(_("Not a date: write it as YYYY-MM-DD.")) from None
    if column.kind == "int":
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(_("Not a whole number.")) from None
        if number != number.to_integral_value():
            raise ValueError(_("Not a whole number."))
        return int(number)
    if column.kind == "decimal":
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValueError(_("Not a number.")) from None
    if column.kind == "bool":
        text = str(value).lower()
        if text in ("yes", "y", "true", "1", "oui", "sí", "si"):
            return True
        if text in ("no", "n", "false", "0", "non"):
            return False
        raise ValueError(_("Write yes or no."))
    if column.kind == "choice":
        text = str(value)
        for choice_value, label in column.choices.choices:
            if text.lower() in (choice_value, str(label).lower()):
                return choice_value
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(column.choices.values)}
        )
    return str(value)


@dataclass
class ParsedPlan:
    """What a workbook holds, checked, as unsaved records of the draft: a record matched with one
    of the draft's (by key) carries its id and is updated; ``removed`` lists the draft's records
    no row names. ``budget_lines`` is None when the workbook has no budget sheet (an older one):
    the draft's budget is then left as it is."""

    activities: list[tuple[Activity, list]]
    milestones: list[Milestone]
    indicators: list[Indicator]
    budget_lines: list[BudgetLine] | None
    removed: list = field(default_factory=list)


class _Matcher:
    """The draft's records of one kind by key, handed out once each in the order of the rows (a
    key repeated on several rows matches as many records, in their order)."""

    def __init__(self, records, key):
        self.by_key: dict = {}
        for record in records:
            self.by_key.setdefault(key(record), []).append(record)

    def take(self, key_value):
        found = self.by_key.get(key_value)
        return found.pop(0) if found else None

    def left(self) -> list:
        return [record for records in self.by_key.values() for record in records]


def _fill(record, data: dict):
    """``record`` with the row's values; ``_import_changed`` says whether a stored one changes
    (an unchanged record is not written again: no history entry for a re-import)."""
    record._import_changed = record.pk is None or any(getattr(record, n) != v for n, v in data.items())
    for name, value in data.items():
        setattr(record, name, value)
    return record


def read_workbook(file, workplan: Workplan) -> ParsedPlan:
    """Read and check a filled workbook against the draft ``workplan``; raise ``ValidationError``
    listing every bad sheet, row and cell (an end before a start, a percentage over 100, a code
    used twice, a funding source that funds no legal instrument of the CAP case…)."""
    errors = SheetErrors()
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError({"file": [_("This is not an XLSX workbook.")]}) from None
    columns = SHEET_COLUMNS
    tables: dict[str, list[tuple[int, dict]] | None] = {}
    for name in SHEETS:
        if name not in book.sheetnames:
            if name not in OPTIONAL_SHEETS:
                errors.add(name, None, None, _("The sheet is missing: start from the template."))
            tables[name] = None
            continue
        rows = book[name].iter_rows(values_only=True)
        header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
        expected = [c.header for c in columns[name]]
        read = [c.header for c in columns[name] if c.kind != "computed"]
        # The computed columns are the last ones: a workbook without them reads the same.
        if header[: len(read)] != read or any(h and h != e for h, e in zip(header, expected, strict=False)):
            errors.add(name, 1, None, _("The column headings differ from the template's."))
            tables[name] = []
            continue
        table = []
        for number, values in enumerate(rows, start=2):
            values = list(values)[: len(expected)] + [None] * max(0, len(expected) - len(values))
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values[: len(read)]):
                continue
            data, bad = {}, False
            for column, value in zip(columns[name], values, strict=False):
                if column.kind == "computed":
                    continue
                try:
                    data[column.field] = _parse(value, column)
                except ValueError as error:
                    errors.add(name, number, column.header, error)
                    bad = True
            if not bad:
                table.append((number, data))
        tables[name] = table
    book.close()

    headers = {name: {c.field: c.header for c in columns[name]} for name in SHEETS}

    def report(sheet, number, error: ValidationError):
        for field_name, messages in error.message_dict.items():
            for message in messages:
                errors.add(sheet, number, headers[sheet].get(field_name, field_name), message)

    recommendations = {r.pk: r for r in Recommendation.objects.filter(party_id=workplan.cap_case.party_id)}
    existing = _Matcher(Activity.objects.filter(workplan=workplan).order_by("pk"), lambda a: a.code)

    activities, by_code = [], {}
    for number, data in tables["Activities"] or []:
        references = data.pop("recommendations", None)
        if data.get("percent_complete") is None:
            data["percent_complete"] = 0
        if data["code"] in by_code:
            errors.add("Activities", number, "Code", _("This code is used on another row."))
            continue
        # The draft's activity with this code is updated (its id kept: milestones, indicators and
        # budget lines stay tied to it); another code is a new activity.
        activity = _fill(existing.take(data["code"]) or Activity(workplan=workplan), data)
        try:
            activity.full_clean(exclude=["workplan"], validate_unique=False)
        except ValidationError as error:
            report("Activities", number, error)
        linked = []
        for item in [r.strip() for r in (references or "").split(";") if r.strip()]:
            match = re.match(r"\d+", item)
            found = recommendations.get(int(match.group())) if match else None
            if found is None:
                errors.add(
                    "Activities",
                    number,
                    headers["Activities"]["recommendations"],
                    _("“%(item)s” is not a recommendation of this Party.") % {"item": item},
                )
            else:
                linked.append(found)
        by_code[activity.code] = activity
        activities.append((activity, linked))
    removed = existing.left()

    def link(sheet, number, data):
        code = data.pop("activity", None)
        if code is None:
            return None, True
        if code not in by_code:
            errors.add(
                sheet, number, "Activity code", _("No activity has the code “%(code)s”.") % {"code": code}
            )
            return None, False
        return by_code[code], True

    # The activity is set when the plan is written (a new activity has no id yet): it is checked
    # here through ``_import_activity``, and left out of ``full_clean``.
    milestones = []
    existing = _Matcher(Milestone.objects.filter(workplan=workplan).order_by("pk"), lambda m: m.title)
    for number, data in tables["Milestones"] or []:
        activity, ok = link("Milestones", number, data)
        milestone = _fill(existing.take(data["title"]) or Milestone(workplan=workplan), data)
        try:
            milestone.full_clean(exclude=["workplan", "activity"], validate_unique=False)
        except ValidationError as error:
            report("Milestones", number, error)
        milestone._import_activity = activity
        if ok:
            milestones.append(milestone)
    removed += existing.left()

    indicators = []
    existing = _Matcher(Indicator.objects.filter(workplan=workplan).order_by("pk"), lambda i: i.name)
    for number, data in tables["Indicators"] or []:
        activity, ok = link("Indicators", number, data)
        if data.get("baseline") is None:
            data["baseline"] = Decimal(0)
        if data.get("counts_people") is None:
            data["counts_people"] = False
        indicator = _fill(existing.take(data["name"]) or Indicator(workplan=workplan), data)
        try:
            indicator.full_clean(exclude=["workplan", "activity"], validate_unique=False)
        except ValidationError as error:
            report("Indicators", number, error)
        indicator._import_activity = activity
        if ok:
            indicators.append(indicator)
    removed += existing.left()

    budget_lines = None
    if tables["Budget"] is not None:
        budget_lines = []
        existing = _Matcher(
            BudgetLine.objects.filter(workplan=workplan).select_related("activity").order_by("pk"),
            lambda ln: (ln.activity.code if ln.activity_id else None, ln.description, ln.year),
        )
        for number, data in tables["Budget"]:
            code = data.get("activity")
            activity, ok = link("Budget", number, data)
            data["funding_source_id"] = data.pop("funding_source")
            line = _fill(
                existing.take((code, data["description"], data["year"])) or BudgetLine(workplan=workplan),
                data,
            )
            # The funding source rule (``BudgetLine.clean``) reads the line's activity: a line of a
            # new activity is checked without it (the activity itself is checked above).
            line.activity = activity if activity is None or activity.pk else None
            try:
                line.full_clean(exclude=["workplan"], validate_unique=False)
            except ValidationError as error:
                report("Budget", number, error)
            line._import_activity = activity
            if ok:
                budget_lines.append(line)
        for line in existing.left():
            if line.expenditures.exists():
                errors.add(
                    "Budget",
                    None,
                    None,
                    _("The line “%(line)s” (year %(year)s) has expenditure reported: keep its row.")
                    % {"line": line.description, "year": line.year},
                )
        removed += existing.left()

    if errors:
        raise ValidationError({"file": errors.messages})
    return ParsedPlan(activities, milestones, indicators, budget_lines, removed)
