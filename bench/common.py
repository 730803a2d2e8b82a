"""Shared by the benchmark scripts: Django set-up on bench.settings, the benchmark user, timing
helpers, gunicorn, and the results file (bench/results/latest.json)."""

from __future__ import annotations

import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results" / "latest.json"
BENCH_USER = "portfolio.cm1"  # a case manager made by generate_portfolio
API_ENDPOINTS = ["/api/v1/activities/", "/api/v1/budget-lines/", "/api/v1/recommendations/"]


def setup() -> None:
    """Django on bench.settings; refuses to run without a PostgreSQL DATABASE_URL."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to the PostgreSQL database holding the generated portfolio.")
    import django

    django.setup()


def bench_user():
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=BENCH_USER).first()
    if user is None:
        sys.exit("No generated portfolio: run `manage.py generate_portfolio --scale N` first.")
    return user


def bench_token() -> str:
    """A new API token of the bench user, for this run (it expires with the default expiry)."""
    from django.utils import timezone

    from accounts.tokens import token_create

    _token, secret = token_create(user=bench_user(), name=f"bench {timezone.now().isoformat()}")
    return secret


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def timed(fn, repeat: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def count_queries(connection, fn) -> int:
    """The number of SQL queries ``fn`` runs (request_started resets Django's own query log)."""
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        fn()
    return len(seen)


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(
            line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
        )
        ram_gib = round(int(mem.split()[1]) / 1024 / 1024, 1)
    except (OSError, StopIteration):
        ram_gib = None
    return {"nproc": os.cpu_count(), "ram_gib": ram_gib, "cpu": model, "python": platform.python_version()}


def save(name: str, result: dict) -> None:
    """Merge one benchmark's result into bench/results/latest.json."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data["machine"] = machine()
    data.setdefault("benchmarks", {})[name] = {
        **result,
        "at": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }
    RESULTS.write_text(json.dumps(data, indent=2, default=str) + "\n")


def figure(
    name: str, measured: float, goal: str, met: bool, spread: list | None = None, unit: str = ""
) -> dict:
    """One figure of a benchmark against its goal, the uniform entry that ``bench/run.py`` tabulates:
    ``measured`` (a median, or a ratio of medians), ``goal`` as text (``"<= 3"``), whether it is
    ``met``, and ``spread`` (``[lowest, highest]`` over the rounds or samples, or None)."""
    return {
        "name": name,
        "measured": measured,
        "unit": unit,
        "goal": goal,
        "met": bool(met),
        "spread": spread,
    }


def spread_of(values: list[float], digits: int = 2) -> list[float]:
    return [round(min(values), digits), round(max(values), digits)]


def load_average() -> list[float]:
    """The machine's load average (1, 5, 15 minutes): the benchmarks share the cores with whatever
    else runs, and the figures move with it."""
    return [round(value, 2) for value in os.getloadavg()]


def ratio_line(label: str, value: float, goal: str, met: bool) -> str:
    return f"{label}: {value:.2f} (goal {goal}) {'MET' if met else 'MISSED'}"


# --- gunicorn ------------------------------------------------------------------------------------


@contextmanager
def gunicorn(port: int = 8765, workers: int = 2, env: dict | None = None):
    """The portal under gunicorn (sync workers) on 127.0.0.1:port with bench.settings."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "cap_portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
        "--timeout",
        "120",
    ]
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", **(env or {})}
    process = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/trivial/", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
