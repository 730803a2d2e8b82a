"""API p95 latency (activities, page of 50) while an SC report renders in a Celery worker, against
the same latency when idle (goal ≤ 1.5×). The report covers the first ``--parties`` CAP Parties
(50 by default: a render of about a minute and a half; 185 takes several minutes).

Starts gunicorn (2 sync workers) and a Celery worker (concurrency 1) on Redis database 14
(REDIS_URL, default redis://127.0.0.1:6379/14), both with bench.settings; the client sends one
request at a time with a DRF token. The benchmark report is deleted afterwards.

    DATABASE_URL=postgres://… uv run python bench/bench_concurrent.py [--idle-requests 100]
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

GOAL = 1.5
PATH = "/api/v1/activities/"


def sample(base: str, token: str, count: int | None = None, until=None) -> list[float]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    samples = []
    while (count is None or len(samples) < count) and (until is None or not until()):
        start = time.perf_counter()
        connection.request("GET", PATH, headers={"Authorization": f"Token {token}"})
        response = connection.getresponse()
        response.read()
        assert response.status == 200, response.status
        samples.append(time.perf_counter() - start)
    return samples


def main(idle_requests: int = 100, parties: int = 50) -> dict:
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    common.setup()
    from django.db import transaction

    from cases.models import CapCase
    from reports.choices import RenderState
    from reports.models import Report, ReportRender
    from reports.services import report_render_request, report_sections_sync

    user = common.bench_user()
    token = common.bench_token()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cap_portal", "worker", "-c", "1", "-l", "warning"],
        cwd=common.ROOT,
        env=environment,
        start_new_session=True,
    )
    report = Report.objects.create(
        symbol="SC99 Doc. BENCH-RENDER",
        meeting_name="Ninety-ninth meeting of the Standing Committee",
        meeting_place="Geneva (Switzerland)",
        meeting_start=datetime.date(2025, 11, 3),
        meeting_end=datetime.date(2025, 11, 7),
        as_of=datetime.date(2025, 6, 30),
    )
    try:
        report.parties.set(
            CapCase.objects.order_by("party__name").values_list("party_id", flat=True)[:parties]
        )
        report_sections_sync(report=report, user=user)
        # One client asks one token for pages back to back for a minute and more, beyond the
        # production rate (600 a minute): unthrottled, as the load benchmark (bench/settings.py).
        with common.gunicorn(env={"BENCH_NO_THROTTLE": "1"}) as base:
            sample(base, token, 10)  # warm up
            idle = sample(base, token, idle_requests)
            with transaction.atomic():
                render = report_render_request(report=report, user=user)
            render_id = render.pk

            def running() -> str:
                return ReportRender.objects.values_list("state", flat=True).get(pk=render_id)

            deadline = time.monotonic() + 120
            while running() == RenderState.QUEUED and time.monotonic() < deadline:
                time.sleep(0.2)
            started = time.monotonic()
            busy = sample(base, token, until=lambda: running() in (RenderState.DONE, RenderState.FAILED))
            render_seconds = time.monotonic() - started
            state = running()
        idle_p95, busy_p95 = common.percentile(idle, 95), common.percentile(busy, 95)
        ratio = busy_p95 / idle_p95
        result = {
            "endpoint": PATH,
            "idle_p95_ms": round(idle_p95 * 1000, 1),
            "idle_median_ms": common.median_ms(idle),
            "rendering_p95_ms": round(busy_p95 * 1000, 1),
            "rendering_median_ms": common.median_ms(busy),
            "requests_idle": len(idle),
            "requests_rendering": len(busy),
            "render_state": state,
            "render_seconds": round(render_seconds, 1),
            "parties": report.parties.count(),
            "ratio": round(ratio, 2),
            "goal": f"<= {GOAL}",
            "met": ratio <= GOAL,
        }
        print(
            f"{PATH} p95 idle {result['idle_p95_ms']} ms, while a {result['parties']}-Party report renders "
            f"({state}, {result['render_seconds']} s) {result['rendering_p95_ms']} ms; "
            + common.ratio_line("ratio", ratio, f"<= {GOAL}", ratio <= GOAL)
        )
        common.save("api_while_rendering", result)
        return result
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
        for version in report.versions.all():
            version.pdf.delete(save=False)
            version.docx.delete(save=False)
            version.delete()
        report.renders.all().delete()
        report.sections.all().delete()
        report.delete()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--idle-requests", type=int, default=100)
    parser.add_argument("--parties", type=int, default=50)
    arguments = parser.parse_args()
    main(arguments.idle_requests, arguments.parties)
