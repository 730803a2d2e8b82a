"""The browser sweep (issue 14, point 14): every page each role may see, with the sample portfolio,
in English, French and Spanish, at 1,366 px and at a phone's 390 px. A page fails on a server
error, a horizontal overflow, a serious or critical WCAG 2.1 AA violation found by axe-core
(vendored from the npm registry, injected into the page) or, in French and Spanish, a visible
text that is a catalogue string left in English.

One test per role × language × width, so that pytest-xdist spreads them; each signs in once and
reports every finding of its pages together. The pages are the permission matrix's
(tests/browser/sweep_support.py). Screenshots go to test-artifacts/screenshots/.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from sampledata.demo import DEMO_PASSWORD
from tests.security.matrix import ROLES

from .conftest import ARTIFACTS, login
from .sweep_support import (
    LANGUAGES,
    WIDTHS,
    SampleWorld,
    accessibility,
    data_texts,
    overflow,
    page_urls,
    untranslated,
    usernames,
)

# Not in README's test command yet: it still finds overflow at 390 px, scrollable regions without
# focus and data strings that match catalogue entries (see the closing note), and takes
# ~27 minutes on two loaded cores. Run it with: uv run pytest -m sweep tests/browser/test_sweep.py
pytestmark = [pytest.mark.sweep, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEIGHT = {1366: 768, 390: 844}
FINDINGS = ARTIFACTS.parent / "sweep"


@pytest.fixture
def portfolio():
    call_command("load_sample_data", verbosity=0)
    return SampleWorld()


def sweep(page, role: str, language: str, width: int, world: SampleWorld) -> dict[str, list[str]]:
    """Visit each page the role may read; return the findings: problem → the pages that have it."""
    page.set_viewport_size({"width": width, "height": HEIGHT[width]})
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": page.base_url}]
    )
    findings: dict[str, list[str]] = {}
    data = data_texts()
    for name, url in page_urls(role, world):
        where = f"{name} {url}"
        try:
            response = page.goto(page.base_url + url)
        except PlaywrightError as error:
            if "Download is starting" not in error.message:
                raise
            response = page.request.get(page.base_url + url)  # a file: its answer only
        if response.status >= 500:
            findings.setdefault(f"HTTP {response.status}", []).append(where)
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        # A document keeps its own language (a report's preview is in the report's language).
        written_in = page.locator("html").get_attribute("lang")
        problems = overflow(page) + accessibility(page) + untranslated(page, written_in, data)
        if problems or language == "en":  # every page in English, and any page with a finding
            page.shot(name.replace(":", "-"))
        for problem, detail in problems:
            findings.setdefault(problem, []).append(f"{where} {detail}".rstrip())
    return findings


def report(findings: dict[str, list[str]], role: str, language: str, width: int) -> str:
    lines = [f"{sum(map(len, findings.values()))} findings for {role}, {language}, {width} px:"]
    for problem, pages in sorted(findings.items()):
        lines += [problem, *(f"    {where}" for where in pages)]
    return "\n".join(lines)


def keep(text: str, role: str, language: str, width: int) -> str:
    """Write a failing sweep's findings beside the screenshots (a CI artefact) as well."""
    FINDINGS.mkdir(parents=True, exist_ok=True)
    (FINDINGS / f"{role}-{language}-{width}.txt").write_text(text + "\n", encoding="utf-8")
    return text


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role(page, portfolio, role, language, width):
    """No server error, overflow, serious accessibility violation or untranslated string on any
    page the role may open."""
    login(page, usernames()[role], DEMO_PASSWORD)
    findings = sweep(page, role, language, width, portfolio)
    assert not findings, keep(report(findings, role, language, width), role, language, width)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page(page, portfolio, language, width):
    """The pages of people not signed in (sign-in, password reset, invitations) pass the same checks."""
    findings = sweep(page, "anonymous", language, width, portfolio)
    assert not findings, keep(report(findings, "anonymous", language, width), "anonymous", language, width)
