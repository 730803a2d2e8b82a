"""From a snapshot to documents: HTML (the preview and the PDF's source), PDF (WeasyPrint), DOCX.

This is the portal's one PDF helper: HTML from the template ``reports/document.html`` rendered in
the report's language, then WeasyPrint. The DOCX follows the same snapshot block by block.
"""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from .charts import render_charts
from .composers import format_date, format_range


def document_context(snapshot: dict, *, preview: bool = False) -> dict:
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
        "charts": render_charts(snapshot["annex"], "svg"),
        "preview": preview,
    }


def render_html(snapshot: dict, *, preview: bool = False, extra: dict | None = None) -> str:
    """The report as one HTML document, in the report's language."""
    with translation.override(snapshot["report"]["language"]):
        context = document_context(snapshot, preview=preview)
        context.update(extra or {})
        return render_to_string("reports/document.html", context)


def render_pdf(html: str) -> tuple[bytes, int]:
    """The PDF of the HTML and its page count."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    pages = len(document.pages)
    return document.write_pdf(), pages


def render_docx(snapshot: dict) -> bytes:
    """The same report as a Word document, for the Secretariat to finish in Word."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    with translation.override(snapshot["report"]["language"]):
        context = document_context(snapshot)
        report = context["report"]
        doc = Document()
        style = doc.styles["Normal"]
        style.font.name = "Arial"
        style.font.size = Pt(10)
        section = doc.sections[0]
        section.header.paragraphs[0].text = report["symbol"]
        section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT

        def centred(text: str, bold: bool = False, size: int | None = None):
            paragraph = doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold = bold
            if size:
                run.font.size = Pt(size)
            return paragraph

        symbol = doc.add_paragraph(report["symbol"])
        symbol.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        centred(
            gettext("CONVENTION ON INTERNATIONAL TRADE IN ENDANGERED SPECIES OF WILD FAUNA AND FLORA"),
            bold=True,
            size=11,
        )
        doc.add_paragraph()
        doc.add_paragraph(report["meeting_name"])
        doc.add_paragraph(f"{report['meeting_place']}, {context['meeting_dates']}")
        for heading in report["agenda_headings"]:
            doc.add_paragraph().add_run(heading).bold = True
        centred(report["title"].upper(), bold=True, size=11)

        for item in context["sections"]:
            if item["title"]:
                paragraph = doc.add_paragraph()
                run = paragraph.add_run(item["title"])
                run.bold = item["level"] == 1
                run.italic = item["level"] == 2
                if not item["numbered"]:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    run.text = item["title"].upper()
                    run.bold = True
            for block in item["blocks"]:
                if block["type"] == "heading":
                    doc.add_paragraph().add_run(block["text"]).italic = True
                elif block["type"] == "list":
                    for entry in block["items"]:
                        paragraph = doc.add_paragraph(f"{entry['label']}\t{entry['text']}")
                        paragraph.paragraph_format.left_indent = Cm(1.5)
                        paragraph.paragraph_format.first_line_indent = Cm(-0.75)
                else:
                    prefix = f"{block['number']}.\t" if block["number"] else ""
                    paragraph = doc.add_paragraph(prefix + block["text"])
                    if block["number"]:
                        paragraph.paragraph_format.left_indent = Cm(0.75)
                        paragraph.paragraph_format.first_line_indent = Cm(-0.75)

        _docx_annex(doc, context, Cm)
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()


def _docx_annex(doc, context: dict, Cm) -> None:
    annex = context["annex"]
    doc.add_page_break()
    doc.add_paragraph().add_run(
        gettext("Annex: figures as of %(date)s") % {"date": context["as_of"]}
    ).bold = True
    charts = render_charts(annex, "png")

    activities = annex["activities"]
    doc.add_paragraph().add_run(gettext("Activities by status")).bold = True
    if activities["total"]:
        header = [gettext("Party")] + [s["label"] for s in activities["statuses"]] + [gettext("Total")]
        rows = [[r["party"], *map(str, r["counts"]), str(r["total"])] for r in activities["rows"]]
        rows.append([gettext("Total"), *map(str, activities["totals"]), str(activities["total"])])
        _docx_table(doc, header, rows)
        if "activities" in charts:
            doc.add_picture(io.BytesIO(charts["activities"]), width=Cm(16))
    else:
        doc.add_paragraph(gettext("No workplan activity is recorded yet."))

    participants = annex["participants"]
    doc.add_paragraph().add_run(gettext("Participants in CAP events by sex")).bold = True
    if participants["totals"]["total"]:
        header = [
            gettext("Party"),
            gettext("Women"),
            gettext("Men"),
            gettext("Other or not recorded"),
            gettext("Total"),
        ]
        rows = [
            [r["party"], str(r["female"]), str(r["male"]), str(r["other"]), str(r["total"])]
            for r in participants["rows"]
        ]
        _docx_table(doc, header, rows)
        if "participants" in charts:
            doc.add_picture(io.BytesIO(charts["participants"]), width=Cm(16))
    else:
        doc.add_paragraph(gettext("No participants are recorded yet."))

    budget = annex["budget"]
    doc.add_paragraph().add_run(gettext("Budget, funds received, expenditure and absorption")).bold = True
    if not budget["recorded"]:
        doc.add_paragraph(gettext("Not yet recorded: funding agreements are not yet recorded in the portal."))
        return
    for key, label in (("parties", gettext("Party")), ("donors", gettext("Donor"))):
        header = [label, gettext("Budget"), gettext("Received"), gettext("Spent"), gettext("Absorption (%)")]
        rows = [
            [r["name"], r["budget"] or "", r["received"] or "", r["spent"] or "", r["absorption"] or ""]
            for r in budget[key]
        ]
        _docx_table(doc, header, rows)


def _docx_table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)
    doc.add_paragraph()
