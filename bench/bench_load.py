"""Requests per second for each API list page of 50 under load, with the portal under gunicorn
(2 sync workers, one per core) on 127.0.0.1, against a trivial Django view (``/bench/trivial/``,
``bench/urls.py``) under the same server (goal: ratio ≥ 0.25).

Load generator: ``wrk`` (Debian package ``wrk``: ``apt-get install wrk``) with 2 threads and 8
connections; without it, a small Python client (threads, keep-alive ``http.client``), which takes a
share of the two cores itself, so its absolute figures are lower. The client authenticates with a
DRF token of the benchmark user.

    DATABASE_URL=postgres://… uv run python bench/bench_load.py [--seconds 15]
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

GOAL = 0.25
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


def main(seconds: int = 15, connections: int = 8) -> dict:
    common.setup()
    token = common.bench_token()
    measure = with_wrk if shutil.which("wrk") else with_threads
    tool = f"wrk -t2 -c{connections}" if measure is with_wrk else f"python threads x{connections}"
    results: dict = {"server": "gunicorn, 2 sync workers", "load_generator": tool, "seconds": seconds}
    with common.gunicorn() as base:
        for path in [TRIVIAL, *common.API_ENDPOINTS]:
            measure(base, path, token, 2, connections)  # warm up the workers
        trivial = measure(base, TRIVIAL, token, seconds, connections)
        results["trivial_rps"] = round(trivial, 1)
        print(f"{TRIVIAL}: {trivial:.1f} requests/s ({tool})")
        for path in common.API_ENDPOINTS:
            rps = measure(base, path, token, seconds, connections)
            ratio = rps / trivial
            results[path] = {"rps": round(rps, 1), "ratio": round(ratio, 3), "goal": f">= {GOAL}"}
            results[path]["met"] = ratio >= GOAL
            print(
                f"{path}: {rps:.1f} requests/s; "
                + common.ratio_line("ratio to the trivial view", ratio, f">= {GOAL}", ratio >= GOAL)
            )
    common.save("load", results)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    arguments = parser.parse_args()
    main(arguments.seconds, arguments.connections)
