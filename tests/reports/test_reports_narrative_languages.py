"""The narrative may be written per language (issue 13, Deliver 7): a report renders the narrative
of its language; one not written in that language yet falls back to another, marked in the preview
(not in the PDF), and carried forward in every language."""

import datetime
import re

import pytest
from django.urls import reverse

from reports import services
from reports.choices import SectionKind
from reports.snapshot import build_snapshot

from .conftest import make_report

pytestmark = pytest.mark.django_db


def background(report):
    return report.sections.get(kind=SectionKind.BACKGROUND)


def narrative_blocks(snapshot):
    section = next(s for s in snapshot["sections"] if s["kind"] == SectionKind.BACKGROUND)
    return section, [block for block in section["blocks"] if block.get("narrative")]


def test_a_french_report_takes_the_french_narrative(world):
    user = world.users["case_manager"]
    report = make_report([world.own], user=user, language="fr")
    services.section_update(
        section=background(report),
        user=user,
        data={"narrative": "The CAP grew.", "narrative_fr": "Le CAP s'est étendu."},
    )
    section, blocks = narrative_blocks(build_snapshot(report))
    assert [block["text"] for block in blocks] == ["Le CAP s'est étendu."]
    assert "fallback" not in blocks[0] and section["narrative_fallback"] is None


def test_a_missing_translation_falls_back_visibly_in_the_preview(world, client):
    user = world.users["case_manager"]
    report = make_report([world.own], user=user, language="es")
    services.section_update(section=background(report), user=user, data={"narrative": "The CAP grew."})
    section, blocks = narrative_blocks(build_snapshot(report))
    assert [block["text"] for block in blocks] == ["The CAP grew."]
    assert blocks[0]["fallback"] == "en" and section["narrative_fallback"] == "en"
    client.force_login(user)
    page = client.get(reverse("reports:report_preview", args=[report.pk])).content.decode()
    assert "data-narrative-fallback" in page and "inglés" in page.lower()
    # Written in Spanish: no mark any more.
    services.section_update(section=background(report), user=user, data={"narrative_es": "El CAP creció."})
    page = client.get(reverse("reports:report_preview", args=[report.pk])).content.decode()
    assert "El CAP creció." in page and "data-narrative-fallback" not in page


def test_every_language_is_carried_forward(world):
    user = world.users["case_manager"]
    previous = make_report(
        [world.own],
        user=user,
        symbol="SC77 Doc. 14",
        meeting_start=datetime.date(2023, 11, 6),
        meeting_end=datetime.date(2023, 11, 10),
        as_of=datetime.date(2023, 9, 1),
    )
    services.section_update(
        section=background(previous),
        user=user,
        data={"narrative": "Grew.", "narrative_fr": "S'est étendu.", "narrative_es": "Creció."},
    )
    report = make_report([world.own], user=user)
    section = background(report)
    assert (section.narrative, section.narrative_fr, section.narrative_es) == (
        "Grew.",
        "S'est étendu.",
        "Creció.",
    )
    assert section.is_carried
    services.section_update(section=section, user=user, data={"narrative_fr": "Nouveau."})
    section.refresh_from_db()
    assert not section.is_carried


def test_the_edit_page_puts_the_report_language_first(world, client):
    user = world.users["case_manager"]
    report = make_report([world.own], user=user, language="fr")
    client.force_login(user)
    page = client.get(background(report).get_absolute_url()).content.decode()
    assert (
        page.index('name="narrative_fr"') < page.index('name="narrative"') < page.index('name="narrative_es"')
    )
    # "Insert" (an accepted progress narrative) adds to the narrative in the report's language.
    target = re.search(r"<textarea[^>]*data-narrative-target[^>]*>", page).group(0)
    assert 'name="narrative_fr"' in target
