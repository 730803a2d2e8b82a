"""The browser sweep (issue 14, point 14): every page each role may see, with the sample portfolio,
in English, French and Spanish, at 1,366 px and at a phone's 390 px. A page fails on a server
error, a horizontal overflow, a serious or critical WCAG 2.1 AA violation found by axe-core
(vendored from the npm registry, injected into the page) or, in French and Spanish, a visible
text that is a catalogue string left in English.

One test per role (pytest-xdist spreads them; each loads the sample portfolio once and signs in
once): every page is opened once per language at 1,366 px, checked, then narrowed to 390 px (the
page's CSS and scripts lay it out again, as on a phone) and checked again. A test reports every
finding of its pages together; they are also written to test-artifacts/sweep/. The pages are the
permission matrix's (tests/browser/sweep_support.py). Screenshots (test-artifacts/screenshots/):
each page in English at both widths, and any page with a finding.
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

pytestmark = [pytest.mark.sweep, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEIGHT = {1366: 768, 390: 844}
FINDINGS = ARTIFACTS.parent / "sweep"


@pytest.fixture
def portfolio():
    call_command("load_sample_data", verbosity=0)
    return SampleWorld()


def _check(page, where: str, language: str, width: int, data, findings) -> None:
    """Judge the page as it is laid out now; keep its findings under "language width problem"."""
    written_in = page.locator("html").get_attribute("lang")
    problems = overflow(page) + accessibility(page)
    if width == WIDTHS[0]:  # the words do not change with the width
        problems += untranslated(page, written_in, data)
    if problems or language == "en":  # every page in English, and any page with a finding
        page.shot(f"{language}-{width}-{where.split()[0].replace(':', '-')}")
    for problem, detail in problems:
        findings.setdefault(f"[{language}, {width} px] {problem}", []).append(f"{where} {detail}".rstrip())


def sweep(page, role: str, world: SampleWorld) -> dict[str, list[str]]:
    """Visit each page the role may read in each language and width; return the findings:
    problem → the pages that have it."""
    findings: dict[str, list[str]] = {}
    data = data_texts()
    urls = page_urls(role, world)
    for language in LANGUAGES:
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": page.base_url}]
        )
        for name, url in urls:
            where = f"{name} {url}"
            page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT[WIDTHS[0]]})
            try:
                response = page.goto(page.base_url + url)
            except PlaywrightError as error:
                if "Download is starting" not in error.message:
                    raise
                response = page.request.get(page.base_url + url)  # a file: its answer only
            if response.status >= 500:
                findings.setdefault(f"[{language}] HTTP {response.status}", []).append(where)
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            for width in WIDTHS:
                if width != WIDTHS[0]:
                    page.set_viewport_size({"width": width, "height": HEIGHT[width]})
                    page.wait_for_timeout(50)  # the resize handlers run
                _check(page, where, language, width, data, findings)
    return findings


def report(findings: dict[str, list[str]], role: str) -> str:
    lines = [f"{sum(map(len, findings.values()))} findings for {role}:"]
    for problem, pages in sorted(findings.items()):
        lines += [problem, *(f"    {where}" for where in pages)]
    return "\n".join(lines)


def keep(text: str, role: str) -> str:
    """Write a failing sweep's findings beside the screenshots (a CI artefact) as well."""
    FINDINGS.mkdir(parents=True, exist_ok=True)
    (FINDINGS / f"{role}.txt").write_text(text + "\n", encoding="utf-8")
    return text


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role(page, portfolio, role):
    """No server error, overflow, serious accessibility violation or untranslated string on any
    page the role may open, in any language, at either width."""
    login(page, usernames()[role], DEMO_PASSWORD)
    findings = sweep(page, role, portfolio)
    assert not findings, keep(report(findings, role), role)


def test_every_public_page(page, portfolio):
    """The pages of people not signed in (sign-in, password reset, invitations) pass the same checks."""
    findings = sweep(page, "anonymous", portfolio)
    assert not findings, keep(report(findings, "anonymous"), "anonymous")
