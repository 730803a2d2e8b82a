"""Composition, numbering, rendering, versions, frozen figures, failure and retry, DOCX, languages."""

import hashlib
import io

import pytest
from docx import Document
from pypdf import PdfReader

from reports import composers, services
from reports.choices import RenderState, SectionKind
from reports.models import ReportSection, ReportVersion
from reports.snapshot import build_snapshot, to_blocks

from .conftest import make_report
from .test_reports_documents import docx_numbered

pytestmark = pytest.mark.django_db


def pdf_pages(version) -> list[str]:
    with version.pdf.open("rb") as handle:
        return [page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages]


def flat(pages) -> str:
    """The text of the pages with line breaks and runs of spaces made single spaces."""
    return " ".join(" ".join(pages).split())


def numbers(snapshot) -> list[int]:
    return [
        block["number"]
        for section in snapshot["sections"]
        for block in section["blocks"]
        if block["type"] == "paragraph" and block["number"]
    ]


# --- Composition ---------------------------------------------------------------------------------


def test_a_new_report_has_every_section_in_document_order_with_one_per_party(world):
    """Introduction, the decisions, background, the Parties (by name), the findings, recommendations,
    draft decisions."""
    report = make_report([world.own, world.other])
    kinds = list(report.sections.order_by("order").values_list("kind", "party__name"))
    assert kinds[:6] == [
        ("introduction", None),
        ("decisions", None),
        ("background", None),
        ("implementation", None),
        ("party", "Nigeria"),
        ("party", "Togo"),
    ]
    assert kinds[-2:] == [("recommendations", None), ("draft_decisions", None)]
    assert len(kinds) == len(composers.LAYOUT) - 1 + 2
    assert all(section.body for section in report.sections.all())


def test_paragraphs_are_numbered_continuously_through_the_document(world):
    """Numbers run 1, 2, 3… across sections; lists and the draft decisions annex take none."""
    report = make_report([world.own, world.other])
    snapshot = build_snapshot(report)
    found = numbers(snapshot)
    assert found == list(range(1, len(found) + 1))
    assert snapshot["sections"][0]["blocks"][0] == {
        "type": "paragraph",
        "number": 1,
        "text": "This document has been prepared by the Secretariat.",
    }
    decisions = snapshot["sections"][-1]
    assert decisions["kind"] == "draft_decisions"
    assert all(block.get("number") is None for block in decisions["blocks"])
    recommendations = snapshot["sections"][-2]
    assert [b["type"] for b in recommendations["blocks"]] == ["paragraph", "list"]
    # d) and e) come with draft and implemented decisions (tests/reports/test_reports_decisions.py).
    assert [item["label"] for item in recommendations["blocks"][1]["items"]] == ["a)", "b)", "c)"]


def test_to_blocks_splits_paragraphs_lists_and_subheadings():
    body = "First para\ncontinues.\n\n- one\n- two\n\n## Sub\n\nSecond."
    blocks, last = to_blocks(body, start=10, numbered=True)
    assert blocks == [
        {"type": "paragraph", "number": 11, "text": "First para continues."},
        {"type": "list", "items": [{"label": "a)", "text": "one"}, {"label": "b)", "text": "two"}]},
        {"type": "heading", "text": "Sub"},
        {"type": "paragraph", "number": 12, "text": "Second."},
    ]
    assert last == 12


def test_edited_sections_keep_their_text_and_others_follow_the_data(world, portfolio):
    """An edited section survives recomposition; a reset one takes the default again."""
    user = world.users["case_manager"]
    report = make_report([world.own], user=user)
    background = report.sections.get(kind=SectionKind.BACKGROUND)
    services.section_update(section=background, user=user, data={"body": "Our own words.\n\nSecond para."})
    background.refresh_from_db()
    assert background.is_edited
    services.report_sections_sync(report=report, user=user)
    background.refresh_from_db()
    assert background.body == "Our own words.\n\nSecond para."
    snapshot = build_snapshot(report)
    texts = [b["text"] for b in next(s for s in snapshot["sections"] if s["kind"] == "background")["blocks"]]
    assert texts == ["Our own words.", "Second para."]
    services.section_reset(section=background, user=user)
    background.refresh_from_db()
    assert not background.is_edited and background.body.startswith("The primary objective")


def test_removing_a_party_removes_its_section(world):
    user = world.users["case_manager"]
    report = make_report([world.own, world.other], user=user)
    services.report_update(report=report, user=user, data={"parties": [world.own]})
    assert list(report.sections.filter(kind="party").values_list("party__name", flat=True)) == ["Togo"]


def test_party_composer_reads_cases_and_workplans_as_of_the_date(world, portfolio):
    """Workplan, activities by status, missions and events before the as-of date, participants
    by sex, deliverables and delays; budgets give "no data recorded", never invented figures."""
    report = make_report([world.own, world.other])
    context = composers.ComposeContext(report=report, as_of=report.as_of, parties=[world.other, world.own])
    togo = composers.compose(SectionKind.PARTY, context.for_party(world.own))
    assert "Togo CAP workplan" in togo.body
    assert togo.figures["activities"] == {"completed": 2, "delayed": 1, "ongoing": 1}
    assert "4 activities: 1 ongoing, 2 completed and 1 delayed" in togo.body
    assert togo.figures["missions"] == 1 and togo.figures["events"] == 1  # the 2025 training is later
    assert togo.figures["participants"] == {"female": 12, "male": 18, "other": 0}
    assert "- National CITES workshop (Lomé, 27-28 March 2024)" in togo.body
    assert togo.figures["deliverables"] == 1
    assert togo.figures["late_activities"] == 2  # A3 past its planned end, A4 delayed
    assert togo.figures["no_cost_extensions"] is None
    assert "No-cost extensions: no data recorded" in togo.body
    nigeria = composers.compose(SectionKind.PARTY, context.for_party(world.other))
    assert "No workplan is recorded for Nigeria yet." in nigeria.body
    gender = composers.compose(SectionKind.FINDING_GENDER, context)
    assert gender.figures == {
        "participants": {"female": 12, "male": 18, "other": 0},
        "female_share": 40,
        "indicators_by_sex": 0,
    }
    absorption = composers.compose(SectionKind.FINDING_ABSORPTION, context)
    assert absorption.figures == {"recorded": False}
    assert absorption.body.startswith("No data recorded")


def test_composers_are_registered_for_every_kind():
    assert set(composers.COMPOSERS) == {layout.kind for layout in composers.LAYOUT}


# --- Rendering -----------------------------------------------------------------------------------


def test_render_job_life_cycle_in_the_embedded_default(world, render_now):
    """The job ends done at 100 %; the version keeps the file, its SHA-256, pages, author, as-of."""
    user = world.users["case_manager"]
    report = make_report([world.own, world.other], user=user)
    job = render_now(report, user)
    assert (job.state, job.percent) == (RenderState.DONE, 100)
    assert job.started_at and job.finished_at
    version = ReportVersion.objects.get(render=job)
    with version.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == version.sha256
    assert version.number == 1 and version.author == user and version.as_of == report.as_of
    assert version.page_count >= 3
    # Running the same job again (a redelivered task) produces no second version.
    assert services.report_render_run(render_id=job.pk) == version
    assert ReportVersion.objects.count() == 1


def test_pdf_reads_back_with_heading_symbol_page_numbers_and_party_sections(world, render_now):
    user = world.users["case_manager"]
    report = make_report([world.own, world.other], user=user)
    version = ReportVersion.objects.get(render=render_now(report, user))
    pages = pdf_pages(version)
    assert len(pages) == version.page_count
    text = flat(pages)
    assert "CONVENTION ON INTERNATIONAL TRADE IN ENDANGERED SPECIES OF WILD FAUNA AND FLORA" in text
    assert "Seventy-eighth meeting of the Standing Committee" in text
    assert "Geneva (Switzerland), 3-8 February 2025" in text
    assert "Strategic matters" in text and "Capacity-building" in text
    for number, page in enumerate(pages, start=1):
        assert f"SC78 Doc. 23 – p. {number}" in flat([page])
    for heading in ("Background", "Togo", "Nigeria", "Recommendations", "Gender considerations"):
        assert heading in text
    assert "1. This document has been prepared by the Secretariat." in text


def test_figures_are_frozen_in_the_version_snapshot(world, portfolio, render_now):
    """Re-rendering a version's snapshot after the data changed gives the same figures; a new
    render of the same report too (its figures are frozen as of its date, issue 13); a new report
    composed after the change gives the new ones."""
    user = world.users["case_manager"]
    report = make_report([world.own], user=user)
    first = ReportVersion.objects.get(render=render_now(report, user))
    togo = next(s for s in first.snapshot["sections"] if s["party"] == "TG")
    assert togo["figures"]["activities"] == {"completed": 2, "delayed": 1, "ongoing": 1}

    for activity in portfolio.activities:
        activity.status = "completed"
        activity.save()

    again = ReportVersion.objects.get(render=render_now(report, user, source_version=first))
    assert again.snapshot == first.snapshot
    assert again.number == 2
    assert "1 ongoing, 2 completed and 1 delayed" in flat(pdf_pages(again))

    fresh = ReportVersion.objects.get(render=render_now(report, user))
    assert fresh.snapshot["sections"] == first.snapshot["sections"]
    assert fresh.snapshot["annex"] == first.snapshot["annex"]

    later = make_report([world.own], user=user, symbol="SC79 Doc. 30")
    newer = ReportVersion.objects.get(render=render_now(later, user))
    togo = next(s for s in newer.snapshot["sections"] if s["party"] == "TG")
    assert togo["figures"]["activities"] == {"completed": 4}
    assert newer.snapshot["annex"]["activities"]["total"] == 4
    assert newer.sha256 != first.sha256


def test_a_failed_render_records_the_error_and_can_be_retried(
    world, render_now, monkeypatch, django_capture_on_commit_callbacks
):
    """A failing render leaves the job failed with the error and no version; a retry is a new
    job that succeeds; only a failed job may be retried."""
    from django.core.exceptions import ValidationError

    user = world.users["case_manager"]
    report = make_report([world.own], user=user)

    def broken(html):
        raise RuntimeError("WeasyPrint exploded")

    monkeypatch.setattr(services, "render_pdf", broken)
    failed = render_now(report, user)
    assert failed.state == RenderState.FAILED
    assert "WeasyPrint exploded" in failed.message
    assert not ReportVersion.objects.exists()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        retry = services.report_render_retry(render=failed, user=user)
    retry.refresh_from_db()
    assert retry.state == RenderState.DONE and retry.retry_of == failed
    assert ReportVersion.objects.get().render == retry
    with pytest.raises(ValidationError):
        services.report_render_retry(render=retry, user=user)


def test_docx_reads_back_with_the_same_content(world, render_now):
    user = world.users["case_manager"]
    report = make_report([world.own, world.other], user=user)
    version = ReportVersion.objects.get(render=render_now(report, user))
    with version.docx.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "CONVENTION ON INTERNATIONAL TRADE IN ENDANGERED SPECIES OF WILD FAUNA AND FLORA" in text
    assert "Togo" in text and "Nigeria" in text
    # The symbol in every page's footer, as in the PDF (no longer in a header the PDF lacks).
    assert document.sections[0].footer.paragraphs[0].text.startswith("SC78 Doc. 23 – p. ")
    # Paragraph numbers are Word numbering now: read back, the first is 1 and the last the snapshot's.
    numbered = docx_numbered(document)
    assert numbered[0] == (1, "This document has been prepared by the Secretariat.")
    assert numbered[-1][0] == max(numbers(version.snapshot))


def test_a_french_report_has_french_headings(world, render_now):
    user = world.users["case_manager"]
    report = make_report([world.own], user=user, language="fr", symbol="SC78 Doc. 23")
    version = ReportVersion.objects.get(render=render_now(report, user))
    text = flat(pdf_pages(version))
    assert (
        "CONVENTION SUR LE COMMERCE INTERNATIONAL DES ESPÈCES DE FAUNE ET DE FLORE SAUVAGES MENACÉES" in text
    )
    assert "Historique" in text
    assert "PROGRAMME D'ASSISTANCE AU RESPECT DE LA CONVENTION" in text
    assert "3-8 février 2025" in text
    assert "SC78 Doc. 23 – p. 1" in text
    sections = {s["kind"]: s["title"] for s in version.snapshot["sections"]}
    assert sections["recommendations"] == "Recommandations"


def test_a_spanish_report_has_spanish_headings(world):
    report = make_report([world.own], language="es")
    sections = {s["kind"]: s["title"] for s in build_snapshot(report)["sections"]}
    assert sections["background"] == "Antecedentes"
    assert sections["recommendations"] == "Recomendaciones"


def test_finalising_needs_a_version(world, render_now):
    from django.core.exceptions import ValidationError

    user = world.users["case_manager"]
    report = make_report([world.own], user=user)
    with pytest.raises(ValidationError):
        services.report_finalise(report=report, user=user)
    render_now(report, user)
    services.report_finalise(report=report, user=user)
    report.refresh_from_db()
    assert report.is_final


def test_only_case_managers_may_request_a_render(world):
    from django.core.exceptions import PermissionDenied

    report = make_report([world.own])
    with pytest.raises(PermissionDenied):
        services.report_render_request(report=report, user=world.users["secretariat_viewer"])
    assert not ReportSection.objects.filter(report=report, kind="nonexistent").exists()
