"""From a snapshot to documents: HTML (the preview and the PDF's source), PDF (WeasyPrint), DOCX.

This is the portal's one PDF helper: HTML from the template ``reports/document.html`` rendered in
the report's language, then WeasyPrint. The DOCX follows the same snapshot block by block and the
same annex (:func:`annex_groups`: the tables with their totals rows and the charts, formatted in
the report's language), so the Word file has every table and chart of the PDF, on the same A4 page
with the same footer (document symbol and page number).
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import io

from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.translation import gettext

from .charts import chart_titles, render_charts
from .charts import warm_up as warm_up_charts
from .composers import format_date, format_range
from .composers.base import format_number

NOT_APPLICABLE = "\u2013"  # absorption without funds received


def document_context(
    snapshot: dict, *, preview: bool = False, chart_format: str = "svg", charts: dict | None = None
) -> dict:
    """The template's context; ``charts`` are the annex's charts drawn already (by
    ``reports.charts.ChartsAhead``), else they are drawn here."""
    report = dict(snapshot["report"])
    start = datetime.date.fromisoformat(report["meeting_start"])
    end = datetime.date.fromisoformat(report["meeting_end"])
    return {
        "snapshot": snapshot,
        "report": report,
        "meeting_dates": format_range(start, end),
        "as_of": format_date(datetime.date.fromisoformat(report["as_of"])),
        "sections": snapshot["sections"],
        "annex": snapshot["annex"],
        "annex_groups": annex_groups(snapshot["annex"]),
        "charts": charts if charts is not None else render_charts(snapshot["annex"], chart_format),
        "preview": preview,
    }


# --- The annex, as the PDF and the DOCX both show it --------------------------------------------


def _count(value) -> str:
    return format_number(int(value))


def _money(value) -> str:
    return format_number(value or 0, 2)


def _rate(value) -> str:
    return NOT_APPLICABLE if value in (None, "") else format_number(value, 1)


def _table(header: list[str], rows: list[list[str]], total: list[str]) -> dict:
    return {"type": "table", "header": header, "rows": rows, "total": total}


def _chart(key: str) -> dict:
    return {"type": "chart", "key": key, "title": chart_titles()[key]}


def _empty(text: str) -> dict:
    return {"type": "empty", "text": text}


def annex_groups(annex: dict) -> list[dict]:
    """The annex in the active language: one group per heading, each a list of items — a table
    (header, formatted rows, totals row), a chart (by key, with its title) or a "not recorded"
    line. The template and :func:`render_docx` both lay out exactly these."""
    groups = []

    activities = annex["activities"]
    items: list[dict] = [_empty(gettext("No workplan activity is recorded yet."))]
    if activities["total"]:
        header = [gettext("Party"), *(s["label"] for s in activities["statuses"]), gettext("Total")]
        rows = [[r["party"], *map(_count, r["counts"]), _count(r["total"])] for r in activities["rows"]]
        total = [gettext("Total"), *map(_count, activities["totals"]), _count(activities["total"])]
        items = [_table(header, rows, total), _chart("activities")]
    groups.append({"title": gettext("Activities by status"), "items": items})

    participants = annex["participants"]
    items = [_empty(gettext("No participants are recorded yet."))]
    if participants["totals"]["total"]:
        header = [
            gettext("Party"),
            gettext("Women"),
            gettext("Men"),
            gettext("Other or not recorded"),
            gettext("Total"),
        ]
        keys = ("female", "male", "other", "total")
        rows = [[r["party"], *(_count(r[k]) for k in keys)] for r in participants["rows"]]
        total = [gettext("Total"), *(_count(participants["totals"][k]) for k in keys)]
        items = [_table(header, rows, total), _chart("participants")]
    groups.append({"title": gettext("Participants in CAP events by sex"), "items": items})

    budget = annex["budget"]
    items = [_empty(gettext("Not yet recorded: funding agreements are not yet recorded in the portal."))]
    if budget["recorded"]:
        items = []
        currency = {"currency": budget["currency"]}
        money = [
            gettext("Budget (%(currency)s)") % currency,
            gettext("Received (%(currency)s)") % currency,
            gettext("Spent (%(currency)s)") % currency,
            gettext("Absorption (%)"),
        ]
        for key, label, chart in (
            ("parties", gettext("Party"), "absorption"),
            ("donors", gettext("Donor"), None),
        ):
            if not budget[key]:
                continue
            rows = [_budget_cells(row["name"], row) for row in budget[key]]
            totals = budget.get("party_totals" if key == "parties" else "donor_totals")
            items.append(
                _table([label, *money], rows, _budget_cells(gettext("Total"), totals) if totals else [])
            )
            if chart:
                items.append(_chart(chart))
    groups.append({"title": gettext("Budget, funds received, expenditure and absorption"), "items": items})
    return groups


def _budget_cells(name: str, row: dict) -> list[str]:
    return [
        name,
        _money(row["budget"]),
        _money(row["received"]),
        _money(row["spent"]),
        _rate(row["absorption"]),
    ]


# --- HTML and PDF --------------------------------------------------------------------------------


def warm_up() -> None:
    """Load once, when a worker starts (``cap_portal.celery``), what every report needs and its
    first report would otherwise load: WeasyPrint (1.3-1.6 s to import), the template engine with
    its tag libraries and the document's template (compiled, then kept by the cached loader), the
    charts' fonts, and the translation catalogues of every language. It reads no data.

    A worker that had not loaded them spent about 0.3 s more on the HTML of its first report
    (8 Parties: 0.46-0.61 s against 0.20 s for the next; docs/performance.md)."""
    import weasyprint  # noqa: F401

    get_template("reports/document.html")
    warm_up_charts()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            gettext("Party")


def render_html(
    snapshot: dict, *, preview: bool = False, extra: dict | None = None, charts: dict | None = None
) -> str:
    """The report as one HTML document, in the report's language (its SVG charts given, or drawn)."""
    with translation.override(snapshot["report"]["language"]):
        context = document_context(snapshot, preview=preview, charts=charts)
        context.update(extra or {})
        return render_to_string("reports/document.html", context)


@contextlib.contextmanager
def collector_paused():
    """The cyclic garbage collector paused for the block, then left as it was.

    For the worker's stages that allocate many objects that live until the stage ends (WeasyPrint's
    layout, the snapshot's model instances): the collector walked them again and again. Reference
    counting still frees what is dropped; the cycles left are collected once the collector runs
    again (the worker also collects after each job)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_pdf(html: str) -> tuple[bytes, int]:
    """The PDF of the HTML and its page count.

    The cyclic garbage collector is paused while WeasyPrint works (:func:`collector_paused`): its
    layout allocates millions of small objects that live until the PDF is written (the collector
    took a quarter of the PDF's time at 50 Parties, 283 pages; docs/performance.md)."""
    from weasyprint import HTML

    with collector_paused():
        document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
        pages = len(document.pages)
        return document.write_pdf(), pages


# --- DOCX ----------------------------------------------------------------------------------------

# The PDF's page (templates/reports/document.html, ``@page``): A4, margins 2 cm, 2.2 cm at the foot.
PAGE_CM = {"width": 21.0, "height": 29.7, "top": 2.0, "right": 2.0, "bottom": 2.2, "left": 2.0}
PARAGRAPH_INDENT_TWIPS = 510  # 0.9 cm: the PDF's hanging number column
LETTER_INDENT_TWIPS = (1020, 454)  # 1.8 cm left, 0.8 cm hanging: the PDF's lettered lists


def render_docx(snapshot: dict) -> bytes:
    """The same report as a Word document, for the Secretariat to finish in Word: A4 with the
    PDF's margins, the symbol and a PAGE field in every footer, Heading 1/2/3 styles for the
    headings, real Word numbering for the numbered paragraphs and the lettered lists, the annex
    tables as Word tables with their totals rows and every chart of the PDF as an image."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    with translation.override(snapshot["report"]["language"]):
        context = document_context(snapshot, chart_format="png")
        report = context["report"]
        doc = Document()
        _docx_styles(doc)
        _docx_page(doc, report["symbol"])
        numbering = _Numbering(doc)

        def centred(text: str, bold: bool = False, size: int | None = None):
            paragraph = doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold = bold
            if size:
                run.font.size = Pt(size)
            return paragraph

        symbol = doc.add_paragraph()
        symbol.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        symbol_run = symbol.add_run(report["symbol"])
        symbol_run.bold = True
        symbol_run.font.size = Pt(13)
        centred(
            gettext("CONVENTION ON INTERNATIONAL TRADE IN ENDANGERED SPECIES OF WILD FAUNA AND FLORA"),
            bold=True,
            size=11,
        )
        doc.add_paragraph()
        doc.add_paragraph(report["meeting_name"]).paragraph_format.space_after = Pt(0)
        doc.add_paragraph(f"{report['meeting_place']}, {context['meeting_dates']}")
        for heading in report["agenda_headings"]:
            doc.add_paragraph().add_run(heading).bold = True
        centred(report["title"].upper(), bold=True, size=11)

        for item in context["sections"]:
            if not item["numbered"]:
                # An annex of its own (the draft decisions): a new page and a centred title, as in the PDF.
                doc.add_page_break()
                if item["title"]:
                    doc.add_heading(item["title"].upper(), level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif item["title"]:
                doc.add_heading(item["title"], level=1 if item["level"] == 1 else 2)
            for block in item["blocks"]:
                _docx_block(doc, block, numbering)

        _docx_annex(doc, context)
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()


def _docx_block(doc, block: dict, numbering: _Numbering) -> None:
    """One block of a section, as the template shows it: a numbered paragraph (Word numbering),
    a plain one, a lettered list, a sub-heading (Heading 3) or a decision ("19.45 The Secretariat
    shall…", italic when quoted, and its lettered items a), b)…)."""
    from docx.shared import Cm

    kind = block["type"]
    if kind == "heading":
        doc.add_heading(block["text"], level=3)
    elif kind == "list":
        _docx_letters(doc, block["items"], numbering)
    elif kind == "decision":
        italic = bool(block.get("italic"))
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(1.3)
        paragraph.paragraph_format.first_line_indent = Cm(-1.3)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(1.3))
        paragraph.add_run(f"{block['number']}\t")
        paragraph.add_run(block["text"]).italic = italic
        _docx_letters(doc, block.get("items") or [], numbering, italic=italic)
    elif kind == "paragraph" and block.get("number"):
        numbering.paragraph(doc.add_paragraph(block["text"]), block["number"])
    else:
        doc.add_paragraph(block.get("text", ""))


def _docx_letters(doc, items: list[dict], numbering: _Numbering, italic: bool = False) -> None:
    """A lettered list a), b)… in Word numbering, restarted at a) for each list."""
    if not items:
        return
    numbering.restart_letters()
    for entry in items:
        paragraph = doc.add_paragraph()
        paragraph.add_run(entry["text"]).italic = italic
        numbering.letter(paragraph)


def _docx_styles(doc) -> None:
    """Word's styles made to look like the PDF: Arial 10 pt, black headings at text size."""
    from docx.shared import Pt, RGBColor

    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    for level, (bold, italic) in {1: (True, False), 2: (True, True), 3: (False, True)}.items():
        style = doc.styles[f"Heading {level}"]
        style.font.name = "Arial"
        style.font.size = Pt(10)
        style.font.bold = bold
        style.font.italic = italic
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12 if level == 1 else 9)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True


def _docx_page(doc, symbol: str) -> None:
    """A4 with the PDF's margins; the footer of every page: "<symbol> – p. <PAGE>", centred."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(PAGE_CM["width"]), Cm(PAGE_CM["height"])
    section.top_margin, section.bottom_margin = Cm(PAGE_CM["top"]), Cm(PAGE_CM["bottom"])
    section.left_margin, section.right_margin = Cm(PAGE_CM["left"]), Cm(PAGE_CM["right"])
    section.footer_distance = Cm(1)
    section.different_first_page_header_footer = False
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{symbol} \u2013 {gettext('p.')} ")
    _page_field(footer)
    for run in footer.runs:
        run.font.size = Pt(8.5)


def _page_field(paragraph) -> None:
    """A Word PAGE field (begin, instruction, separate, the last computed value, end)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    for element in (char("begin"), instruction, char("separate")):
        paragraph.add_run()._r.append(element)
    paragraph.add_run("1")
    paragraph.add_run()._r.append(char("end"))


class _Numbering:
    """Real Word numbering: one decimal list ("1.") for the document's numbered paragraphs,
    continuous like the PDF's, and a lettered list ("a)") restarted for each list. The numbers
    come from the snapshot: should they ever skip, the list restarts at the snapshot's number, so
    Word shows exactly the PDF's numbers."""

    def __init__(self, doc):
        from docx.oxml.ns import qn

        self.qn = qn
        self.element = doc.part.numbering_part.element
        used = [int(a.get(qn("w:abstractNumId"))) for a in self.element.findall(qn("w:abstractNum"))]
        first = max(used, default=-1) + 1
        self.decimal = self._abstract(first, "decimal", "%1.", PARAGRAPH_INDENT_TWIPS, PARAGRAPH_INDENT_TWIPS)
        self.letters = self._abstract(first + 1, "lowerLetter", "%1)", *LETTER_INDENT_TWIPS)
        self.paragraph_num = None
        self.last_number = None
        self.letter_num = None

    def _abstract(self, abstract_id: int, fmt: str, text: str, left: int, hanging: int) -> int:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        element = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            '<w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{left}"/></w:tabs>'
            f'<w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl></w:abstractNum>'
        )
        # The schema puts every abstractNum before the first num.
        first_num = self.element.find(self.qn("w:num"))
        if first_num is not None:
            first_num.addprevious(element)
        else:
            self.element.append(element)
        return abstract_id

    def _num(self, abstract_id: int, start: int) -> int:
        num = self.element.add_num(abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return num.numId

    @staticmethod
    def _apply(paragraph, num_id: int) -> None:
        numPr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numPr.get_or_add_ilvl().val = 0
        numPr.get_or_add_numId().val = num_id

    def paragraph(self, paragraph, number: int) -> None:
        if self.paragraph_num is None or number != self.last_number + 1:
            self.paragraph_num = self._num(self.decimal, number)
        self.last_number = number
        self._apply(paragraph, self.paragraph_num)

    def restart_letters(self) -> None:
        self.letter_num = self._num(self.letters, 1)

    def letter(self, paragraph) -> None:
        self._apply(paragraph, self.letter_num)


def _docx_annex(doc, context: dict) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc.add_page_break()
    title = gettext("Annex: figures as of %(date)s") % {"date": context["as_of"]}
    doc.add_heading(title.upper(), level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    charts = context["charts"]
    for group in context["annex_groups"]:
        doc.add_heading(group["title"], level=2)
        for item in group["items"]:
            if item["type"] == "table":
                _docx_table(doc, item)
            elif item["type"] == "chart" and item["key"] in charts:
                picture = doc.add_paragraph()
                picture.paragraph_format.keep_together = True
                picture.add_run().add_picture(io.BytesIO(charts[item["key"]]), width=Cm(16))
            elif item["type"] == "empty":
                doc.add_paragraph().add_run(item["text"]).italic = True


def _docx_table(doc, table_item: dict) -> None:
    """A Word table: a header row repeated on each page, numbers right-aligned, the totals row
    in bold."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    header = table_item["header"]
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    header_row = table.rows[0]
    header_flag = OxmlElement("w:tblHeader")
    header_flag.set(qn("w:val"), "true")
    header_row._tr.get_or_add_trPr().append(header_flag)

    def fill(row, cells: list[str], bold: bool) -> None:
        for index, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
            cell.text = str(text)
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if index:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in paragraph.runs:
                run.bold = bold
                run.font.size = Pt(8.5)

    fill(header_row, header, bold=True)
    for cells in table_item["rows"]:
        fill(table.add_row(), cells, bold=False)
    if table_item["total"]:
        fill(table.add_row(), table_item["total"], bold=True)
    doc.add_paragraph()
