"""The three CITES languages: complete catalogues, and the UI in the user's language."""

import re
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import require_service


@pytest.mark.parametrize("language", ["fr", "es"])
def test_catalogue_is_complete(language):
    """Every message of the portal is translated; none is fuzzy (msgfmt's own count)."""
    import shutil

    if not shutil.which("msgfmt"):
        require_service("gettext", "install Debian's gettext package")
    po = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    stats = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ translated messages\.", stats), stats


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, words", [("fr", ["Se déconnecter", "Parties"]), ("es", ["Cerrar sesión", "Partes"])]
)
def test_ui_speaks_the_chosen_language(language, words, world, client):
    client.force_login(world.users["ma_focal_point"])
    client.post(reverse("set_language"), {"language": language, "next": "/parties/"})
    html = client.get("/parties/").content.decode()
    assert f'lang="{language}"' in html
    for word in words:
        assert word in html
