"""Issue 13 (Deliver 8) in a real browser: the case manager clicks Render; the page answers at once
and follows the job that a real Celery worker, consuming the filesystem broker, renders: the
progress bar moves through the steps, the buttons stay disabled while the job runs, and the new
version appears in the versions list without a reload.

The worker is Celery's own test worker (``celery.contrib.testing.worker.start_worker``) run in a
thread of this process on a broker folder of the test's own, not a `celery worker` subprocess:
on SQLite the test database lives in this process's memory, where a subprocess cannot reach it.
It is a real worker all the same: the web request only writes the message file, and the worker
takes it from the folder."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from kombu import pools as kombu_pools

from cap_portal.celery import app, ensure_broker_folders
from reports import services
from reports.choices import RenderState
from reports.models import ReportRender, ReportVersion
from tests.reports.conftest import make_report

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def worker_on_filesystem_broker(tmp_path, settings, monkeypatch):
    """Tasks go through a broker folder to a worker: nothing runs in the web request."""
    folder = tmp_path / "celery"
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "processed_folder": str(folder / "processed"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    before = {key: app.conf[key] for key in ("broker_url", "broker_transport_options", "task_always_eager")}
    app.conf.update(broker_url="filesystem://", broker_transport_options=options, task_always_eager=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    ensure_broker_folders(app.conf)
    kombu_pools.reset()
    app._after_fork()  # forget pooled connections made with another broker's options

    # The PDF step takes a couple of seconds, as a real report's does, so the page can be seen
    # following the job between 0 and 100 %.
    render_pdf = services.render_pdf

    def slow_render_pdf(html):
        time.sleep(2.5)
        return render_pdf(html)

    monkeypatch.setattr(services, "render_pdf", slow_render_pdf)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield folder
    finally:
        app.conf.update(**before)
        kombu_pools.reset()
        app._after_fork()


def test_the_page_follows_the_worker_and_lists_the_version_without_reload(
    page, world, worker_on_filesystem_broker
):
    user = world.users["case_manager"]
    report = make_report([world.own, world.other], user=user)
    login(page, "case_manager", "pw-case_manager")  # the world's case manager
    page.goto(page.base_url + report.get_absolute_url())
    assert page.get_by_text("No version rendered yet.").is_visible()
    page.evaluate("window.stillTheSamePage = true")
    page.shot("before-render")

    button = page.get_by_role("button", name="Render PDF and DOCX")
    button.click()
    bar = page.locator("[data-render-progress] .progress-bar")
    bar.wait_for(state="visible")

    seen, disabled_while_running = [], False
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        text = bar.inner_text().strip()
        if not seen or seen[-1] != text:
            seen.append(text)
            if text not in ("0%", "100%"):
                page.shot(f"progress-{text.rstrip('%')}")
        if text not in ("100%",) and button.is_disabled():
            disabled_while_running = True
        if text == "100%":
            break
        time.sleep(0.2)
    assert seen[-1] == "100%", (seen, ReportRender.objects.values("state", "message").first())
    assert any(value not in ("0%", "100%") for value in seen), f"no progress seen between: {seen}"
    assert disabled_while_running

    job = ReportRender.objects.get(report=report)
    assert job.state == RenderState.DONE
    version = ReportVersion.objects.get(report=report)
    row = page.locator(f'#version-table tr[data-version="{version.pk}"]')
    row.wait_for()
    assert row.locator("td").nth(1).inner_text() == "1"
    assert row.get_by_role("link", name="PDF").get_attribute("href") == version.get_pdf_url()
    assert not page.get_by_text("No version rendered yet.").is_visible()
    assert page.evaluate("window.stillTheSamePage") is True  # no reload happened
    assert button.is_enabled()
    page.shot("version-listed")

    # The listed version is a real file, served through the checked view.
    response = page.context.request.get(page.base_url + version.get_pdf_url())
    assert response.ok and response.body().startswith(b"%PDF")
    # The compare form is there for the new row too.
    assert row.locator('input[name="v"]').get_attribute("value") == str(version.pk)
    assert reverse("reports:version_compare", kwargs={"pk": report.pk}) in page.content()
