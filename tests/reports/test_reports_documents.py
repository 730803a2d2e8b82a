"""The documents read back: the annex (money per language, totals rows, every Party in every chart,
titled charts), the three languages (official title, headings, numbers and dates), and the DOCX
laid out like the PDF (A4, footer with the symbol and a PAGE field, real Word numbering with the
PDF's numbers, heading styles, the same tables and charts)."""

import datetime
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import matplotlib.text
import pytest
from docx import Document
from docx.oxml.ns import qn
from matplotlib.backends.backend_agg import FigureCanvasAgg
from pypdf import PdfReader

from budgets.selectors import absorption_rate
from reports.charts import RC, WIDTH, absorption_figure, absorption_rows, chart_titles, render_charts
from reports.documents import annex_groups, render_docx, render_html, render_pdf
from reports.models import ReportVersion
from reports.snapshot import build_snapshot
from tests.budgets.factories import make_expenditure, make_installment, make_instrument, make_line
from workplans.models import Workplan

from .conftest import make_report

pytestmark = pytest.mark.django_db

CONVENTION = {
    "en": "CONVENTION ON INTERNATIONAL TRADE IN ENDANGERED SPECIES OF WILD FAUNA AND FLORA",
    "fr": "CONVENTION SUR LE COMMERCE INTERNATIONAL DES ESPÈCES DE FAUNE ET DE FLORE SAUVAGES MENACÉES "
    "D'EXTINCTION",
    "es": "CONVENCIÓN SOBRE EL COMERCIO INTERNACIONAL DE ESPECIES AMENAZADAS DE FAUNA Y FLORA SILVESTRES",
}
# Togo received USD 12,345.67 (its budget 20,000.00, spent 1,234.50); Nigeria, budgeted 5,000.00,
# received nothing. Meeting 3-8 February 2025; figures as of 1 December 2024.
RECEIVED = {"en": "12,345.67", "fr": "12 345,67", "es": "12.345,67"}
BUDGET_TOTAL = {"en": "25,000.00", "fr": "25 000,00", "es": "25.000,00"}
MEETING = {"en": "3-8 February 2025", "fr": "3-8 février 2025", "es": "3-8 de febrero de 2025"}
AS_OF = {"en": "1 December 2024", "fr": "1er décembre 2024", "es": "1 de diciembre de 2024"}
RECEIVED_HEADER = {"en": "Received (USD)", "fr": "Reçu (USD)", "es": "Recibido (USD)"}
HEADING = {
    "en": "Budget, funds received, expenditure and absorption",
    "fr": "Budget, fonds reçus, dépenses et absorption",
    "es": "Presupuesto, fondos recibidos, gastos y absorción",
}


@pytest.fixture
def funded(world, portfolio):
    """The report portfolio with money: Togo's workplan in force budgets 20,000.00, 12,345.67 was
    received and 1,234.50 spent; Nigeria's workplan in force budgets 5,000.00, nothing received."""
    line = make_line(world.own, workplan=portfolio.workplan, units=Decimal("1"), rate=Decimal("20000.00"))
    instrument = make_instrument(world.own)
    make_installment(
        world.own,
        instrument=instrument,
        amount=Decimal("12345.67"),
        transferred_on=datetime.date(2024, 2, 1),
        received_on=datetime.date(2024, 2, 10),
    )
    make_expenditure(world.own, budget_line=line, amount=Decimal("1234.50"))
    nigeria = Workplan.objects.create(
        cap_case=portfolio.nigeria_case,
        title="Nigeria CAP workplan",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        status="approved",
    )
    make_line(world.other, workplan=nigeria, units=Decimal("1"), rate=Decimal("5000.00"))
    return portfolio


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, no-break spaces and runs of white space made single spaces."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.replace("\xa0", " ").split())


def docx_text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join([p.text for p in document.paragraphs] + cells).replace("\xa0", " ").split())


def docx_numbered(document) -> list[tuple[int, str]]:
    """(number, text) of each paragraph numbered "1." by Word numbering, as Word counts them: per
    numbering instance, from its start override (or its level's start)."""
    numbering = document.part.numbering_part.element
    abstract_of, start_of = {}, {}
    for num in numbering.findall(qn("w:num")):
        num_id = int(num.get(qn("w:numId")))
        abstract_of[num_id] = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        override = num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        if override is not None:
            start_of[num_id] = int(override.get(qn("w:val")))
    decimal = {
        a.get(qn("w:abstractNumId"))
        for a in numbering.findall(qn("w:abstractNum"))
        if a.find(f"{qn('w:lvl')}/{qn('w:lvlText')}").get(qn("w:val")) == "%1."
    }
    found, counters = [], {}
    for paragraph in document.paragraphs:
        num_pr = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is None:
            continue
        num_id = int(num_pr.find(qn("w:numId")).get(qn("w:val")))
        if abstract_of.get(num_id) not in decimal:
            continue
        counters[num_id] = counters.get(num_id, start_of.get(num_id, 1) - 1) + 1
        found.append((counters[num_id], paragraph.text))
    return found


def snapshot_numbered(snapshot) -> list[tuple[int, str]]:
    return [
        (block["number"], block["text"])
        for section in snapshot["sections"]
        for block in section["blocks"]
        if block["type"] == "paragraph" and block.get("number")
    ]


class Tables(HTMLParser):
    """The tables of an HTML document: for each, its rows of cell texts (header row first)."""

    def __init__(self, html: str):
        super().__init__()
        self.tables, self.cell = [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def chart_value(svg: str, party: str) -> str:
    """The value a chart writes at the end of a Party's bar (its label, named after the Party)."""
    group = re.search(rf'<g id="\w+-value-{party}">(.*?)</g>', svg, re.S)
    assert group, f"no value label for {party}"
    return " ".join(re.findall(r">([^<>]+)</text>", group.group(1))).strip()


def svg_texts(svg: str) -> str:
    return " ".join(t.strip() for t in re.findall(r">([^<>]+)</text>", svg))


# --- The annex -----------------------------------------------------------------------------------


def test_every_annex_table_has_a_totals_row_that_sums_its_rows(world, funded):
    """Activities, participants, the budget per Party and per donor: the last row is "Total" and
    each of its figures is the sum of the column (absorption: the one rule on the sums)."""
    report = make_report([world.own, world.other])
    snapshot = build_snapshot(report)
    budget = snapshot["annex"]["budget"]
    assert [row["name"] for row in budget["parties"]] == ["Nigeria", "Togo"]
    totals = budget["party_totals"]
    assert (totals["budget"], totals["received"], totals["spent"], totals["absorption"]) == (
        "25000.00",
        "12345.67",
        "1234.50",
        "10.0",
    )
    tables = [
        item
        for group in annex_groups(snapshot["annex"])
        for item in group["items"]
        if item["type"] == "table"
    ]
    assert len(tables) == 4  # activities, participants, budget per Party, per donor
    for table in tables:
        assert table["total"][0] == "Total"
        for column, header in enumerate(table["header"][1:], start=1):
            values = [Decimal(row[column].replace(",", "")) for row in table["rows"] if row[column] != "–"]
            total = Decimal(table["total"][column].replace(",", ""))
            if header == "Absorption (%)":
                received = sum(Decimal(row[2].replace(",", "")) for row in table["rows"])
                spent = sum(Decimal(row[3].replace(",", "")) for row in table["rows"])
                assert total == absorption_rate(spent, received)
            else:
                assert total == sum(values), (table["header"], header)
    html = render_html(snapshot)
    text = pdf_text(render_pdf(html)[0])
    assert "Total 25,000.00 12,345.67 1,234.50 10.0" in text
    assert "Total 0 1 2 1 0 4" in text  # not started, ongoing, completed, delayed, cancelled, total
    assert "Total 12 18 0 30" in text


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_money_dates_title_and_headings_follow_the_report_language(world, funded, language):
    """The official title of the Convention, the fixed headings, the meeting's dates and the
    money ("12,345.67", "12 345,67", "12.345,67") in the report's language, in the PDF and in the
    DOCX; never a bare "12345.67"."""
    report = make_report([world.own, world.other], language=language)
    snapshot = build_snapshot(report)
    html = render_html(snapshot)
    document = Document(io.BytesIO(render_docx(snapshot)))
    for text in (pdf_text(render_pdf(html)[0]), docx_text(document)):
        assert CONVENTION[language] in text
        assert MEETING[language] in text
        assert AS_OF[language] in text
        assert HEADING[language] in text and RECEIVED_HEADER[language] in text
        assert RECEIVED[language] in text and BUDGET_TOTAL[language] in text
        assert "12345.67" not in text and "25000.00" not in text
    if language != "en":
        assert CONVENTION["en"] not in html


def test_a_party_with_no_funds_received_is_in_every_chart_at_zero(world, funded):
    """Nigeria (no event, no activity, no funds received) has a bar labelled 0 in every chart;
    the absorption chart says it received nothing rather than dropping it."""
    report = make_report([world.own, world.other])
    snapshot = build_snapshot(report)
    charts = render_charts(snapshot["annex"], "svg")
    assert set(charts) == {"activities", "participants", "absorption"}
    for name, svg in charts.items():
        assert "Nigeria" in svg_texts(svg), name
        assert "Togo" in svg_texts(svg), name
    assert chart_value(charts["activities"], "nigeria") == "0"
    assert chart_value(charts["activities"], "togo") == "4"
    assert chart_value(charts["participants"], "nigeria") == "0"
    assert chart_value(charts["participants"], "togo") == "30"
    assert chart_value(charts["absorption"], "nigeria") == "0% (no funds received)"
    assert chart_value(charts["absorption"], "togo") == "10.0%"
    assert [(name, rate) for name, rate, _ in absorption_rows(snapshot["annex"])] == [
        ("Nigeria", Decimal(0)),
        ("Togo", Decimal("10.0")),
    ]
    # The budget table shows Nigeria with zeros and no absorption, not an empty row.
    (parties, _donors) = [
        item for item in annex_groups(snapshot["annex"])[2]["items"] if item["type"] == "table"
    ]
    assert parties["rows"][0] == ["Nigeria", "5,000.00", "0.00", "0.00", "–"]


def test_every_chart_carries_its_title(world, funded):
    """Each chart's title is drawn in the chart (its SVG text), in the report's language, and the
    PDF shows the three titles."""
    report = make_report([world.own, world.other], language="fr")
    snapshot = build_snapshot(report)
    from django.utils import translation

    with translation.override("fr"):
        charts = render_charts(snapshot["annex"], "svg")
        titles = chart_titles()
    assert titles["absorption"] == "Dépenses en % des fonds reçus"
    for name, svg in charts.items():
        assert titles[name] in svg_texts(svg), name
    text = pdf_text(render_pdf(render_html(snapshot))[0])
    for title in titles.values():
        assert title in text


def test_every_chart_is_the_text_width_with_its_labels_inside(world, funded):
    """A chart is saved at its designed size, the text width (``WIDTH`` inches: 72 points each),
    not cropped to a measured bounding box; its title, Party names, value labels and legend all
    lie inside it (``reports.charts._fit`` places them; tests/reports/test_report_charts_layout.py)."""
    snapshot = build_snapshot(make_report([world.own, world.other]))
    charts = render_charts(snapshot["annex"], "svg")
    for name, svg in charts.items():
        view_box = re.search(r'<svg[^>]*viewBox="0 0 ([0-9.]+) ([0-9.]+)"', svg)
        assert view_box, name
        assert float(view_box[1]) == pytest.approx(WIDTH * 72), name
    with matplotlib.rc_context(RC):
        figure = absorption_figure(snapshot["annex"])
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        drawn = figure.get_tightbbox(canvas.get_renderer())  # inches, what was drawn
    page = figure.bbox_inches
    assert page.x0 <= drawn.x0 and drawn.x1 <= page.x1
    assert page.y0 <= drawn.y0 and drawn.y1 <= page.y1
    assert {"Nigeria", "Togo", "10.0%"} <= {text.get_text() for text in figure.findobj(matplotlib.text.Text)}


# --- The DOCX laid out like the PDF ----------------------------------------------------------------


@pytest.fixture
def rendered(world, funded, render_now):
    """A version rendered as the worker does: its snapshot, HTML, PDF text and DOCX."""
    user = world.users["case_manager"]
    report = make_report([world.own, world.other], user=user)
    version = ReportVersion.objects.get(render=render_now(report, user))
    with version.docx.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    with version.pdf.open("rb") as handle:
        pdf = handle.read()
    return version.snapshot, render_html(version.snapshot), pdf_text(pdf), document


def test_the_docx_page_is_a4_with_the_pdfs_margins_and_footer(rendered):
    """A4 (21 × 29.7 cm), margins 2 cm (2.2 cm at the foot); every page's footer: the document
    symbol and a Word PAGE field, as the PDF's "SC78 Doc. 23 – p. 1"."""
    _snapshot, _html, pdf, document = rendered
    assert "SC78 Doc. 23 – p. 1" in pdf
    (section,) = document.sections
    # Word keeps lengths in twentieths of a point: compare to the hundredth of a centimetre.
    sizes = [section.page_width, section.page_height]
    margins = [section.top_margin, section.right_margin, section.bottom_margin, section.left_margin]
    assert [round(length.cm, 2) for length in sizes] == [21.0, 29.7]
    assert [round(length.cm, 2) for length in margins] == [2.0, 2.0, 2.2, 2.0]
    footer = section.footer
    assert not footer.is_linked_to_previous
    assert footer.paragraphs[0].text.startswith("SC78 Doc. 23 – p. ")
    instructions = [node.text.strip() for node in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert [c.get(qn("w:fldCharType")) for c in footer._element.iter(qn("w:fldChar"))] == [
        "begin",
        "separate",
        "end",
    ]


def test_the_docx_has_the_pdfs_charts_and_tables(rendered):
    """As many images as the PDF has charts (three, "Expenditure as % of funds received"
    included); the same tables as the PDF's HTML, with the same header rows and totals rows."""
    _snapshot, html, pdf, document = rendered
    assert html.count('<figure class="chart"') == 3
    assert "Expenditure as % of funds received" in pdf
    assert len(document.inline_shapes) == 3
    html_tables = Tables(html).tables
    docx_tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    assert len(docx_tables) == len(html_tables) == 4
    assert [t[0] for t in docx_tables] == [t[0] for t in html_tables]
    assert [t[-1] for t in docx_tables] == [t[-1] for t in html_tables]
    assert all(table[-1][0] == "Total" for table in docx_tables)
    assert [len(t) for t in docx_tables] == [len(t) for t in html_tables]


def test_the_docx_numbers_paragraphs_with_word_numbering_like_the_pdf(rendered):
    """The numbered paragraphs carry Word numbering (not typed numbers) giving exactly the PDF's
    numbers, in order, with the same text; headings use Heading 1/2, lettered lists a) b) c)."""
    snapshot, _html, pdf, document = rendered
    expected = snapshot_numbered(snapshot)
    assert expected[0] == (1, "This document has been prepared by the Secretariat.")
    assert "1. This document has been prepared by the Secretariat." in pdf
    assert docx_numbered(document) == expected
    assert not any(re.match(r"^\d+\.\t", p.text) for p in document.paragraphs)
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2"} <= styles
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Background" in headings and "Recommendations" in headings
    assert "Togo" in [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    numbering = document.part.numbering_part.element
    letters = [
        a
        for a in numbering.findall(qn("w:abstractNum"))
        if a.find(f"{qn('w:lvl')}/{qn('w:numFmt')}").get(qn("w:val")) == "lowerLetter"
    ]
    assert letters, "lettered lists use Word numbering"
