"""Browser tests: Playwright driving Debian's chromium (/usr/bin/chromium); no browser download.

Each test gets a fresh page against pytest-django's live server; screenshots of each step are
saved under test-artifacts/screenshots/ (kept by CI as artefacts).
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import require_service

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between browser steps are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if not executable:
        require_service("chromium", "install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    page.shot = _shooter(page, request.node.name)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not violations, f"Content-Security-Policy violations: {violations}"


def _shooter(page, test_name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def shot(step: str):
        counter["n"] += 1
        path = ARTIFACTS / f"{test_name}-{counter['n']:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shot


def login(page, username: str, password: str):
    page.goto(page.base_url + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(page.base_url + "/")


@pytest.fixture(autouse=True)
def in_process_tasks(settings):
    """The live server runs in this test process: background work runs in-process, as in the
    embedded default (the Redis-backed worker has tests of its own)."""
    from cap_portal.celery import app

    before = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.update(task_always_eager=True)
    yield
    app.conf.update(task_always_eager=before)
