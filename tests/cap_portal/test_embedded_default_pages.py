"""README's run command serves the portal as users see it: DEBUG off, static files through
WhiteNoise, the portal's own 403/404/500 pages in the user's language (issue 14 point 9)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

pytestmark = pytest.mark.django_db


def local_settings(**extra) -> list[str]:
    """DEBUG and WHITENOISE_USE_FINDERS as a fresh process of the embedded default sees them."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(DJANGO_SETTINGS_MODULE="cap_portal.settings.local", **extra)
    code = "from cap_portal.settings import local as s; print(s.DEBUG, s.WHITENOISE_USE_FINDERS)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1].split()


def test_the_embedded_default_runs_with_debug_off():
    assert local_settings() == ["False", "True"]


def test_debug_is_a_developers_choice_in_the_environment():
    assert local_settings(DEBUG="true")[0] == "True"


@override_settings(DEBUG=False, WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_are_served_without_debug_and_without_collectstatic(client):
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == (django_settings.BASE_DIR / "static" / "css" / "portal.css").read_bytes()


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Page not found"), ("fr", "Page introuvable"), ("es", "Página no encontrada")],
)
def test_a_missing_page_is_the_portals_own_page_in_the_users_language(client, language, title):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    text = response.content.decode()
    assert title in text
    assert "Using the URLconf" not in text  # Django's technical 404 page
    assert 'href="/static/css/portal.css"' in text or "portal.css" in text


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("8012", "http://127.0.0.1:8012/"),
        ("0.0.0.0:8080", "http://127.0.0.1:8080/"),
        ("[::1]:8012", "http://[::1]:8012/"),
    ],
)
def test_runportal_prints_the_address_to_open(addrport, url):
    from cap_portal.management.commands.runportal import served_url

    assert served_url(addrport) == url
