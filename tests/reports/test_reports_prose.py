"""Party sections as prose (issue 13, Deliver 3; issue 19, Deliver 1 and 2): the narrative carried
forward from the previous report and marked until edited; the accepted progress narratives and
the changes since the previous report offered beside a Party's section; data sentences with
correct plurals, no zero counts, sources cited by summary record and the previous meeting's
rating; only reviewed material in the document."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.choices import RecommendationStatus
from reports import composers, services
from reports.choices import SectionKind
from reports.documents import render_html
from reports.models import ReportVersion
from reports.snapshot import build_snapshot
from tests.cases.factories import (
    ComplianceCaseFactory,
    ComplianceMechanismFactory,
    MeetingFactory,
    ProgressRatingFactory,
    RecommendationFactory,
)
from tests.workplans.factories import ProgressUpdateFactory
from workplans.models import Deliverable
from workplans.services import deliverable_review, progress_update_review

from .conftest import make_report

pytestmark = pytest.mark.django_db

D = datetime.date


def sc77_report(world, user):
    return make_report(
        [world.own],
        user=user,
        symbol="SC77 Doc. 14",
        meeting_name="Seventy-seventh meeting of the Standing Committee",
        meeting_start=D(2023, 11, 6),
        meeting_end=D(2023, 11, 10),
        as_of=D(2023, 9, 1),
    )


def party_body(report, party) -> str:
    context = composers.ComposeContext(report=report, as_of=report.as_of, parties=[party])
    return composers.compose(SectionKind.PARTY, context.for_party(party)).body


def pdf_text(version) -> str:
    with version.pdf.open("rb") as handle:
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages]
    return " ".join(" ".join(pages).split())


# --- Narrative carried forward -------------------------------------------------------------------


def test_a_new_report_carries_the_previous_narrative_marked_until_edited(world):
    """Each section of a new report starts with the same section's narrative in the previous
    report (same Party for a Party section), marked "carried from SC77 Doc. 14"; the document
    shows the narrative before the data text, numbered continuously; editing it drops the mark."""
    user = world.users["case_manager"]
    previous = sc77_report(world, user)
    togo_before = previous.sections.get(kind=SectionKind.PARTY, party=world.own)
    services.section_update(
        section=togo_before,
        user=user,
        data={"narrative": "Togo adopted its CAP workplan.\n\nIt trained staff."},
    )
    background_before = previous.sections.get(kind=SectionKind.BACKGROUND)
    services.section_update(
        section=background_before, user=user, data={"narrative": "The CAP began in 2021."}
    )

    report = make_report([world.own], user=user)  # SC78, meeting in 2025
    togo = report.sections.get(kind=SectionKind.PARTY, party=world.own)
    assert togo.narrative == "Togo adopted its CAP workplan.\n\nIt trained staff."
    assert togo.is_carried and togo.carried_from == togo_before
    assert togo.carried_mark == "Carried from SC77 Doc. 14"
    assert report.sections.get(kind=SectionKind.BACKGROUND).narrative == "The CAP began in 2021."
    assert report.sections.get(kind=SectionKind.INTRODUCTION).carried_from is None  # nothing to carry

    snapshot = build_snapshot(report)
    section = next(s for s in snapshot["sections"] if s["party"] == "TG")
    assert section["carried_from"] == "SC77 Doc. 14"
    paragraphs = [b for b in section["blocks"] if b["type"] == "paragraph"]
    assert [b["text"] for b in paragraphs[:2]] == ["Togo adopted its CAP workplan.", "It trained staff."]
    assert paragraphs[0].get("narrative") and not paragraphs[2].get("narrative")  # then the data text
    numbers = [b["number"] for s in snapshot["sections"] for b in s["blocks"] if b.get("number")]
    assert numbers == list(range(1, len(numbers) + 1))
    preview = render_html(snapshot, preview=True)
    assert "Narrative carried from SC77 Doc. 14" in preview
    assert preview.count('class="carried-mark"') == 2  # Background and Togo
    assert "Narrative carried from" not in render_html(snapshot)  # the document itself: no mark

    services.section_update(section=togo, user=user, data={"narrative": "Togo completed its NIAP."})
    togo.refresh_from_db()
    assert not togo.is_carried and togo.carried_mark == ""
    after = build_snapshot(report)
    assert next(s for s in after["sections"] if s["party"] == "TG")["carried_from"] is None
    assert render_html(after, preview=True).count('class="carried-mark"') == 1  # Background only


def test_without_a_previous_report_sections_take_the_composed_text(world):
    report = make_report([world.own])
    togo = report.sections.get(kind=SectionKind.PARTY, party=world.own)
    assert togo.narrative == "" and not togo.is_carried and togo.carried_from is None
    assert togo.body  # the composer's default, as before


def test_carried_mark_is_shown_on_the_section_page_and_goes_on_edit(world, client):
    user = world.users["case_manager"]
    previous = sc77_report(world, user)
    services.section_update(
        section=previous.sections.get(kind=SectionKind.PARTY, party=world.own),
        user=user,
        data={"narrative": "Earlier words."},
    )
    report = make_report([world.own], user=user)
    togo = report.sections.get(kind=SectionKind.PARTY, party=world.own)
    client.force_login(user)
    url = reverse("reports:section_edit", kwargs={"pk": report.pk, "section": togo.pk})
    page = client.get(url).content.decode()
    assert "Carried from SC77 Doc. 14" in page and "Earlier words." in page
    response = client.post(url, {"title": "", "narrative": "New words for SC78.", "body": togo.body})
    assert response.status_code == 302
    togo.refresh_from_db()
    assert togo.narrative == "New words for SC78." and not togo.is_carried and not togo.is_edited
    assert "Carried from SC77 Doc. 14" not in client.get(url).content.decode()


# --- Beside the section: accepted narratives and what changed -------------------------------------


def test_accepted_narratives_are_offered_beside_the_party_section_and_others_are_not(
    world, client, portfolio
):
    """An accepted progress narrative is shown with its activity, period, date and an Insert
    button; a returned one and one awaiting review are not offered (the one awaiting review is
    listed as pending material instead)."""
    manager = world.users["case_manager"]
    activity = portfolio.activities[2]
    accepted = ProgressUpdateFactory(activity=activity, narrative="Three of five facilities inspected.")
    returned = ProgressUpdateFactory(activity=activity, narrative="Returned words.")
    ProgressUpdateFactory(activity=activity, narrative="Words awaiting review.")
    progress_update_review(update=accepted, user=manager, accept=True)
    progress_update_review(update=returned, user=manager, accept=False, comment="Say more.")
    Deliverable.objects.create(
        cap_case=portfolio.togo_case, kind="ndf", title="NDF for Varanus ornatus", delivered_on=D(2024, 10, 1)
    )

    report = make_report([world.own], user=manager, as_of=timezone.localdate())
    togo = report.sections.get(kind=SectionKind.PARTY, party=world.own)
    client.force_login(manager)
    page = client.get(
        reverse("reports:section_edit", kwargs={"pk": report.pk, "section": togo.pk})
    ).content.decode()
    offered = page.split('id="accepted-updates"')[1].split('id="pending-material"')[0]
    assert "Three of five facilities inspected." in offered
    assert "A3 NDF for ten species" in offered and "data-insert-narrative" in offered
    assert "Returned words." not in page and "Words awaiting review." not in page
    pending = page.split('id="pending-material"')[1]
    assert "NDF for Varanus ornatus" in pending and "Awaiting review" in pending
    assert 'src="/static/js/section-edit.js"' in page and "onclick" not in page
    # What changed since the previous report (none: everything up to this report).
    changes = page.split('id="changes-since"')[1].split('id="accepted-updates"')[0]
    assert "Lomé" in changes and "National CITES workshop" in changes


def test_accepted_narratives_since_the_previous_report_only(world, portfolio):
    """A narrative accepted before the previous report's as-of date is not offered again."""
    from reports import selectors

    manager = world.users["case_manager"]
    update = ProgressUpdateFactory(activity=portfolio.activities[2], narrative="Old news.")
    progress_update_review(update=update, user=manager, accept=True)
    today = timezone.localdate()
    assert [u.narrative for u in selectors.accepted_progress_updates(world.own.pk, today)] == ["Old news."]
    assert selectors.accepted_progress_updates(world.own.pk, today, since=today) == []


# --- Data sentences ------------------------------------------------------------------------------


def test_one_recommendation_reads_in_the_singular_with_its_summary_record(world, portfolio):
    meeting = MeetingFactory(number=71, starts_on=D(2019, 8, 17), ends_on=D(2019, 8, 28))
    RecommendationFactory(party=world.own, adopted_at=meeting, reference="SC71 SR")
    report = make_report([world.own])
    body = party_body(report, world.own)
    assert (
        "The recommendation adopted by the Standing Committee at its 71st meeting (SC71 SR) remains pending."
        in body
    )
    assert "recommendations" not in body.split("SC71 SR")[0].split(".")[-1]
    assert "SC78 Doc" not in body
    assert not re.search(r"(^|\s)0 ", body)


def test_several_recommendations_are_grouped_by_meeting_with_plurals_and_no_zero(world, portfolio):
    sc70 = MeetingFactory(number=70, starts_on=D(2018, 10, 1), ends_on=D(2018, 10, 5))
    sc71 = MeetingFactory(number=71, starts_on=D(2019, 8, 17), ends_on=D(2019, 8, 28))
    RecommendationFactory(
        party=world.own, adopted_at=sc70, reference="SC70 SR", status=RecommendationStatus.IMPLEMENTED
    )
    RecommendationFactory(party=world.own, adopted_at=sc71, reference="SC71 SR")
    RecommendationFactory(party=world.own, adopted_at=sc71, reference="SC71 SR")
    report = make_report([world.own])
    body = party_body(report, world.own)
    assert (
        "Of the 3 recommendations adopted by the Standing Committee at its 70th and 71st meetings "
        "(SC70 SR, SC71 SR), 1 has been implemented and 2 remain pending." in body
    )
    assert not re.search(r"(^|\s)0 ", body)
    # Recommendations all in one state: one sentence, no "0 have been implemented".
    RecommendationFactory(party=world.other, adopted_at=sc70, reference="SC70 SR")
    RecommendationFactory(party=world.other, adopted_at=sc70, reference="SC70 SR")
    nigeria = party_body(make_report([world.other], symbol="SC78 Doc. 24"), world.other)
    assert (
        "All 2 recommendations adopted by the Standing Committee at its 70th meeting (SC70 SR) "
        "remain pending." in nigeria
    )
    assert "implemented" not in nigeria
    # Participants: 12 women and 18 men, no "0 other or not recorded".
    assert "These events brought together 30 participants: 12 women and 18 men." in body
    assert "other or not recorded" not in body


@pytest.mark.parametrize("language", ["fr", "es"])
def test_other_languages_have_no_zero_count_sentences(world, portfolio, language):
    meeting = MeetingFactory(number=71, starts_on=D(2019, 8, 17), ends_on=D(2019, 8, 28))
    RecommendationFactory(party=world.own, adopted_at=meeting, reference="SC71 SR")
    report = make_report([world.own], language=language)
    section = report.sections.get(kind=SectionKind.PARTY, party=world.own)
    assert "SC71 SR" in section.body
    assert not re.search(r"(^|\s)0 ", section.body)
    assert ("71e" if language == "fr" else "71ª") in section.body


def test_the_previous_meetings_rating_is_stated(world, portfolio):
    niap = ComplianceMechanismFactory(short_name="NIAP")
    case = ComplianceCaseFactory(party=world.own, mechanism=niap)
    sc77 = MeetingFactory(number=77, starts_on=D(2023, 11, 6), ends_on=D(2023, 11, 10))
    sc74 = MeetingFactory(number=74, starts_on=D(2022, 3, 7), ends_on=D(2022, 3, 11))
    ProgressRatingFactory(compliance_case=case, meeting=sc74, rating="partially_achieved")
    ProgressRatingFactory(compliance_case=case, meeting=sc77, rating="achieved")
    report = make_report([world.own])
    body = party_body(report, world.own)
    assert "At SC77, the Standing Committee agreed an overall rating of 'achieved' for Togo's NIAP." in body
    assert "partially achieved" not in body  # only the latest meeting's outcome


def test_deliverables_are_cited_by_what_was_delivered(world, portfolio):
    report = make_report([world.own])
    body = party_body(report, world.own)
    assert (
        "With the support of the CAP, Togo delivered the following product, accepted by the Secretariat:"
        in body
    )
    assert "- CITES database of Togo (Database, delivered on 2 May 2024)" in body


# --- Only reviewed material ----------------------------------------------------------------------


def test_a_deliverable_awaiting_review_is_absent_from_the_pdf_and_present_once_accepted(
    world, portfolio, render_now
):
    user = world.users["case_manager"]
    ndf = Deliverable.objects.create(
        cap_case=portfolio.togo_case, kind="ndf", title="NDF for Python regius", delivered_on=D(2024, 10, 1)
    )
    report = make_report([world.own], user=user, as_of=timezone.localdate())
    first = ReportVersion.objects.get(render=render_now(report, user))
    text = pdf_text(first)
    assert "CITES database of Togo" in text  # accepted: in the report
    assert "NDF for Python regius" not in text  # awaiting review: not before the Committee

    deliverable_review(deliverable=ndf, user=user, accept=True)
    second = ReportVersion.objects.get(render=render_now(report, user))
    assert "NDF for Python regius" in pdf_text(second)


def test_a_deliverable_accepted_after_the_as_of_date_is_left_out(world, portfolio):
    from reports import selectors

    ndf = Deliverable.objects.create(
        cap_case=portfolio.togo_case, kind="ndf", title="NDF for Python regius", delivered_on=D(2024, 10, 1)
    )
    deliverable_review(deliverable=ndf, user=world.users["case_manager"], accept=True)  # today
    titles = [d.title for d in selectors.deliverables([world.own.pk], D(2024, 12, 1))]
    assert titles == ["CITES database of Togo"]
    pending = selectors.pending_material([world.own.pk], D(2024, 12, 1))
    assert [d.title for d in pending["deliverables"]] == ["NDF for Python regius"]


def test_the_report_page_lists_what_awaits_review_for_the_case_manager(world, client, portfolio):
    """The preparation view names what the document leaves out until it is accepted."""
    Deliverable.objects.create(
        cap_case=portfolio.togo_case, kind="ndf", title="NDF for Varanus ornatus", delivered_on=D(2024, 10, 1)
    )
    report = make_report([world.own], user=world.users["case_manager"])
    client.force_login(world.users["case_manager"])
    page = client.get(report.get_absolute_url()).content.decode()
    pending = page.split('id="pending-material"')[1]
    assert "NDF for Varanus ornatus" in pending and "Awaiting review" in pending
    assert "CITES database of Togo" not in pending  # accepted: in the report, not pending
    client.force_login(world.users["secretariat_viewer"])
    assert 'id="pending-material"' not in client.get(report.get_absolute_url()).content.decode()


def test_the_api_edits_the_narrative_and_shows_the_carried_mark(world, api_client):
    user = world.users["case_manager"]
    previous = sc77_report(world, user)
    services.section_update(
        section=previous.sections.get(kind=SectionKind.BACKGROUND), user=user, data={"narrative": "Before."}
    )
    report = make_report([world.own], user=user)
    section = report.sections.get(kind=SectionKind.BACKGROUND)
    api_client.force_login(user)
    url = reverse("api:report-section-detail", kwargs={"pk": section.pk})
    shown = api_client.get(url).json()
    assert shown["narrative"] == "Before." and shown["is_carried"] is True
    etag = api_client.get(url)["ETag"]
    edited = api_client.patch(url, {"narrative": "After."}, format="json", HTTP_IF_MATCH=etag).json()
    assert edited["narrative"] == "After." and edited["is_carried"] is False


@pytest.mark.parametrize(
    "language, two, one",
    [
        (
            "en",
            "2 activities are delayed or past their planned end",
            "1 activity is delayed or past its planned end",
        ),
        (
            "fr",
            "2 activités sont en retard ou ont dépassé leur date de fin prévue",
            "1 activité est en retard ou a dépassé sa date de fin prévue",
        ),
        (
            "es",
            "2 actividades están retrasadas o han superado su fecha de finalización prevista",
            "1 actividad está retrasada o ha superado su fecha de finalización prevista",
        ),
    ],
)
def test_plural_forms_read_back_from_the_pdf_in_each_language(world, portfolio, language, two, one):
    """The catalogue's singular and plural forms, in the rendered PDF (A3 and A4 are late, then A4)."""
    from reports.documents import render_pdf

    def text_of(report) -> str:
        pdf, _pages = render_pdf(render_html(build_snapshot(report)))
        return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())

    assert two in text_of(make_report([world.own], language=language))
    ongoing = next(activity for activity in portfolio.activities if activity.code == "A3")
    ongoing.status = "completed"
    ongoing.save()
    assert one in text_of(make_report([world.own], language=language, symbol="SC78 Doc. 24"))
