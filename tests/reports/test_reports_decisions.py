"""The report quotes the decisions it answers, proposes the implemented ones for deletion and
carries its draft decisions, laid out as SC78 Doc. 23 (para. 2, para. 61 a)–e), the annex)."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from decisions import sample, services
from decisions.choices import DecisionStatus, DirectedTo
from reports.choices import SectionKind
from reports.snapshot import build_snapshot

from .conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def sc78(world):
    """The SC78 report with the sample register: Decisions 19.44–19.46 (CoP19) and 20.AA–20.CC."""
    report = make_report([world.own, world.other], user=world.users["case_manager"])
    sample.load()
    return report


def section(snapshot, kind):
    return next(s for s in snapshot["sections"] if s["kind"] == kind)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_decisions_section_quotes_the_decisions_grouped_by_directed_to(sc78):
    """Para. 2: the lead-in takes the paragraph number; the decisions, under their "Directed to"
    headings, take none and keep their lettered items."""
    snapshot = build_snapshot(sc78)
    blocks = section(snapshot, SectionKind.DECISIONS)["blocks"]
    assert blocks[0] == {
        "type": "paragraph",
        "number": 2,
        "text": "At its 19th meeting (CoP19; Panama City, 2022), the Conference of the Parties adopted "
        "Decisions 19.44 to 19.46 on the Compliance Assistance Programme, as follows:",
    }
    shape = [(b["type"], b.get("text") if b["type"] == "heading" else b.get("number")) for b in blocks[1:]]
    assert shape == [
        ("heading", "Directed to the Parties"),
        ("decision", "19.44"),
        ("heading", "Directed to the Secretariat"),
        ("decision", "19.45"),
        ("heading", "Directed to the Standing Committee"),
        ("decision", "19.46"),
    ]
    d1945 = blocks[4]
    assert d1945["italic"] is True
    assert d1945["text"] == "The Secretariat shall, subject to the availability of external funding:"
    assert [item["label"] for item in d1945["items"]] == ["a)", "b)", "c)"]
    assert d1945["items"][2]["text"].startswith("report to the Standing Committee on the progress made")
    # The next section's first paragraph is number 3: quoted decisions take no paragraph number.
    background = section(snapshot, SectionKind.BACKGROUND)["blocks"]
    assert background[0]["number"] == 3


def test_recommendations_a_to_e_follow_the_sc78_document(sc78):
    blocks = section(build_snapshot(sc78), SectionKind.RECOMMENDATIONS)["blocks"]
    assert blocks[0]["text"] == "The Standing Committee is invited to:"
    items = {item["label"]: item["text"] for item in blocks[1]["items"]}
    assert list(items) == ["a)", "b)", "c)", "d)", "e)"]
    assert items["c)"] == (
        "take note of the overall findings of the Secretariat relating to the implementation of the CAP "
        "and invite the Secretariat and concerned Parties to take them into consideration in the design "
        "and implementation of future activities;"
    )
    assert items["d)"] == (
        "review and submit the draft decisions contained in the Annex to the present document for "
        "consideration of the Conference of the Parties at its 20th meeting; and"
    )
    assert items["e)"] == (
        "agree that Decisions 19.44 to 19.46 have been implemented and can be proposed for deletion."
    )


def test_recommendation_e_follows_the_register_status(sc78, world):
    """A decision back in force is not proposed for deletion; one alone reads in the singular."""
    from decisions.models import Decision

    user = world.users["case_manager"]
    for decision in Decision.objects.filter(number__in=["19.44", "19.45"]):
        services.decision_update(decision=decision, user=user, data={"status": DecisionStatus.IN_FORCE})
    items = section(build_snapshot(sc78), SectionKind.RECOMMENDATIONS)["blocks"][1]["items"]
    assert (
        items[-1]["text"]
        == "agree that Decision 19.46 has been implemented and can be proposed for deletion."
    )
    Decision.objects.filter(number="19.46").update(status=DecisionStatus.IN_FORCE)
    items = section(build_snapshot(sc78), SectionKind.RECOMMENDATIONS)["blocks"][1]["items"]
    assert [item["label"] for item in items] == ["a)", "b)", "c)", "d)"]
    assert "deletion" not in items[-1]["text"]


def test_the_draft_decisions_annex_is_numbered_and_grouped(sc78):
    blocks = section(build_snapshot(sc78), SectionKind.DRAFT_DECISIONS)["blocks"]
    assert [(b["type"], b.get("number") or b.get("text")) for b in blocks] == [
        ("heading", "Directed to the Parties"),
        ("decision", "20.AA"),
        ("heading", "Directed to the Secretariat"),
        ("decision", "20.BB"),
        ("heading", "Directed to the Standing Committee"),
        ("decision", "20.CC"),
    ]
    bb = blocks[3]
    assert bb["text"] == "Subject to extrabudgetary resources, the Secretariat shall:"
    assert bb["italic"] is False
    assert [item["label"] for item in bb["items"]] == ["a)", "b)", "c)", "d)"]
    assert bb["items"][1]["text"].startswith("support Parties' mainstreaming of gender")


def test_a_draft_edited_in_the_portal_is_in_the_next_snapshot(sc78, world):
    user = world.users["case_manager"]
    services.decision_create(
        user=user,
        data={
            "report": sc78,
            "status": DecisionStatus.DRAFT,
            "directed_to": DirectedTo.ANIMALS_COMMITTEE,
            "text": "The Animals Committee shall review the NDFs.",
        },
    )
    blocks = section(build_snapshot(sc78), SectionKind.DRAFT_DECISIONS)["blocks"]
    assert blocks[-2:] == [
        {"type": "heading", "text": "Directed to the Animals Committee"},
        {
            "type": "decision",
            "number": "20.DD",
            "text": "The Animals Committee shall review the NDFs.",
            "italic": False,
            "items": [],
        },
    ]
    # The stored text of the annex section follows too (the report page shows it).
    stored = sc78.sections.get(kind=SectionKind.DRAFT_DECISIONS).body
    assert "20.DD The Animals Committee shall review the NDFs." in stored


def test_pdf_and_docx_carry_the_decisions(sc78, world, render_now):
    """Read back: 19.44, "Directed to the Secretariat", 19.45's a) item, 20.AA, 20.BB with a)–d),
    and recommendation e); no paragraph number before a quoted decision."""
    job = render_now(sc78, world.users["case_manager"])
    version = job.version
    with version.pdf.open("rb") as handle:
        text = flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages))
    assert "adopted Decisions 19.44 to 19.46 on the Compliance Assistance Programme, as follows:" in text
    assert "Directed to the Secretariat" in text
    assert "19.44 Parties are invited to continue to provide financial or technical support" in text
    assert "a) upon request, conduct technical missions" in text
    assert "20.AA Parties are invited" in text
    assert "20.BB Subject to extrabudgetary resources, the Secretariat shall:" in text
    for label, start in [
        ("a)", "continue assisting Parties"),
        ("b)", "support Parties"),
        ("c)", "in consultation with the International University"),
        ("d)", "report to the Standing Committee on the progress made in the implementation of the CAP"),
    ]:
        assert f"{label} {start}" in text
    assert (
        "e) agree that Decisions 19.44 to 19.46 have been implemented and can be proposed for deletion."
        in text
    )
    assert "3. 19.44" not in text and "3. Parties are invited" not in text

    with version.docx.open("rb") as handle:
        doc = Document(io.BytesIO(handle.read()))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "Directed to the Secretariat" in paragraphs
    assert any(p.startswith("19.45\tThe Secretariat shall") for p in paragraphs)
    assert any(p.startswith("20.BB\tSubject to extrabudgetary resources") for p in paragraphs)
    assert any(p.startswith("upon request, conduct technical missions") for p in paragraphs)


def test_the_html_preview_shows_decisions_with_their_numbers_in_italics(sc78, world, client):
    """The preview (the PDF's template): a quoted decision in italics, a draft decision upright."""
    from django.urls import reverse

    client.force_login(world.users["case_manager"])
    html = client.get(reverse("reports:report_preview", kwargs={"pk": sc78.pk})).content.decode()
    assert '<p class="decision"><span class="num">19.44</span><em>Parties are invited' in html
    assert '<p class="decision"><span class="num">20.AA</span>Parties are invited' in html
    assert '<span class="label">d)</span>report to the Standing Committee on the progress made' in html
