"""In-portal help instead of repository paths (issue 14 point 10): the user guides of docs/ are
pages of the portal, and no page points a user at "docs/….md"."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cap_portal.help import HELP_PAGES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", sorted(HELP_PAGES))
def test_every_guide_is_a_page_of_the_portal(world, client, slug):
    client.force_login(world.users["ma_focal_point"])
    response = client.get(reverse("help_page", kwargs={"slug": slug}))
    assert response.status_code == 200
    title = (settings.BASE_DIR / "docs" / HELP_PAGES[slug]).read_text().splitlines()[0].lstrip("# ").strip()
    assert response.context["title"] == title
    body = response.content.decode()
    assert "<h2>" in body or "<p>" in body  # rendered, not shown as Markdown source
    assert '.md"' not in body  # links between guides are help links


def test_links_between_guides_become_help_links(world, client):
    client.force_login(world.users["case_manager"])
    index = client.get(reverse("help_index")).content.decode()
    for slug in HELP_PAGES:
        assert reverse("help_page", kwargs={"slug": slug}) in index


def test_an_unknown_guide_is_not_found_and_developer_documents_are_not_served(world, client):
    client.force_login(world.users["case_manager"])
    assert client.get(reverse("help_page", kwargs={"slug": "developing"})).status_code == 404
    assert client.get(reverse("help_page", kwargs={"slug": "nope"})).status_code == 404


def test_no_template_points_a_user_at_a_repository_path():
    for template in Path(settings.BASE_DIR / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "docs/" not in text.replace("api/docs/", ""), template
