"""Requests per second for each API list page of 50 under load, with the portal under gunicorn
(2 sync workers, one per core) on 127.0.0.1, against its yardstick (issue 15.6): a plain Django view
serving the same page to the same user under the same authentication with one raw SQL query
(``/bench/yardstick/<list>/``, ``bench/views.py``). Goal: each list ≥ 0.5× its yardstick.

The API and its yardstick are measured interleaved (API, yardstick, API, yardstick… for
``--rounds`` rounds, each ``--seconds`` long), so that a change in the machine's load falls on
both; the figure is the median of the rounds' ratios, with their spread. The trivial view
(``/bench/trivial/``: no database, no template) is measured once per round as context only: no
endpoint that reads can approach it. Before measuring, the yardstick's page is checked against the
API's (same ids in the same order, same fields).

Load generator: ``wrk`` (Debian package ``wrk``: ``apt-get install wrk``) with 2 threads and 8
connections; without it, a small Python client (threads, keep-alive ``http.client``), which takes a
share of the two cores itself, so its absolute figures are lower. The client authenticates with a
DRF token of the benchmark user; throttling is off in that server (``bench/settings.py``). Set
``REDIS_URL`` as in production (the cache of users and roles is shared by the workers only through
Redis).

    DATABASE_URL=postgres://… REDIS_URL=redis://… uv run python bench/bench_load.py [--seconds 15 --rounds 3]
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

GOAL = 0.5
TRIVIAL = "/bench/trivial/"


def with_wrk(base: str, path: str, token: str, seconds: int, connections: int) -> float:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "-H",
            f"Authorization: Token {token}",
            base + path,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"{path}: {errors.group(1)} error responses\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def with_threads(base: str, path: str, token: str, seconds: int, connections: int) -> float:
    host, port = base.removeprefix("http://").split(":")
    deadline = time.monotonic() + seconds
    counts = [0] * connections

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        while time.monotonic() < deadline:
            connection.request("GET", path, headers={"Authorization": f"Token {token}"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            counts[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - start)


def yardstick_path(path: str) -> str:
    """``/api/v1/activities/`` → ``/bench/yardstick/activities/``."""
    return f"/bench/yardstick/{path.rstrip('/').rsplit('/', 1)[-1]}/"


def fetch_json(base: str, path: str, token: str) -> dict:
    request = urllib.request.Request(base + path, headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def check_same_page(base: str, path: str, token: str) -> None:
    """The yardstick must serve the API's page: the same rows in the same order, the same fields."""
    api = fetch_json(base, path, token)["results"]
    yardstick = fetch_json(base, yardstick_path(path), token)["results"]
    if [row["id"] for row in api] != [row["id"] for row in yardstick]:
        raise RuntimeError(f"{path}: the yardstick's page is not the API's (ids or order differ)")
    if api and list(api[0]) != list(yardstick[0]):
        raise RuntimeError(f"{path}: fields differ: API {list(api[0])}, yardstick {list(yardstick[0])}")


def main(seconds: int = 15, connections: int = 8, rounds: int = 3) -> dict:
    common.setup()
    token = common.bench_token()
    measure = with_wrk if shutil.which("wrk") else with_threads
    tool = f"wrk -t2 -c{connections}" if measure is with_wrk else f"python threads x{connections}"
    results: dict = {
        "server": "gunicorn, 2 sync workers",
        "load_generator": tool,
        "seconds": seconds,
        "rounds": rounds,
        "load_average_before": common.load_average(),
    }
    samples: dict[str, list[float]] = {TRIVIAL: []}
    for path in common.API_ENDPOINTS:
        samples[path], samples[yardstick_path(path)] = [], []
    with common.gunicorn(env={"BENCH_NO_THROTTLE": "1"}) as base:
        for path in common.API_ENDPOINTS:
            check_same_page(base, path, token)
        for path in samples:
            measure(base, path, token, 2, connections)  # warm up the workers
        for number in range(1, rounds + 1):
            for path in common.API_ENDPOINTS:
                for measured in (path, yardstick_path(path)):
                    samples[measured].append(measure(base, measured, token, seconds, connections))
            samples[TRIVIAL].append(measure(base, TRIVIAL, token, seconds, connections))
            print(
                f"round {number}: "
                + ", ".join(f"{path} {values[-1]:.1f}" for path, values in samples.items())
                + " requests/s",
                flush=True,
            )
    results["load_average_after"] = common.load_average()
    trivial = statistics.median(samples[TRIVIAL])
    results["trivial_rps"] = round(trivial, 1)
    results["trivial_rps_spread"] = common.spread_of(samples[TRIVIAL], 1)
    print(f"{TRIVIAL}: {trivial:.1f} requests/s median (context only)")
    figures = []
    for path in common.API_ENDPOINTS:
        api, yardstick = samples[path], samples[yardstick_path(path)]
        ratios = [a / b for a, b in zip(api, yardstick, strict=True)]
        ratio = statistics.median(ratios)
        met = ratio >= GOAL
        results[path] = {
            "rps": round(statistics.median(api), 1),
            "rps_rounds": [round(value, 1) for value in api],
            "yardstick_rps": round(statistics.median(yardstick), 1),
            "yardstick_rps_rounds": [round(value, 1) for value in yardstick],
            "ratio": round(ratio, 3),
            "ratio_spread": common.spread_of(ratios, 3),
            "ratio_to_trivial": round(statistics.median(api) / trivial, 3),
            "goal": f">= {GOAL}",
            "met": met,
        }
        figures.append(
            common.figure(
                f"throughput {path} / yardstick",
                round(ratio, 2),
                f">= {GOAL}",
                met,
                common.spread_of(ratios),
                "×",
            )
        )
        print(
            f"{path}: {statistics.median(api):.1f} requests/s, yardstick "
            f"{statistics.median(yardstick):.1f}; "
            + common.ratio_line("ratio to the yardstick", ratio, f">= {GOAL}", met)
            + f" (rounds {', '.join(f'{r:.2f}' for r in ratios)})"
        )
    results["figures"] = figures
    common.save("load", results)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    main(arguments.seconds, arguments.connections, arguments.rounds)
