"""The case manager's dashboard (``/``) on the generated portfolio: median server time through
Django's test Client in-process, and the number of SQL queries. Goals (issue 15.1): ≤ 0.5 s
median at scale 100, and its time at scale 100 ≤ 3× its time at scale 1.

The scale-1 portfolio lives in a database of its own, named by ``--scale1-url`` or
``BENCH_SCALE1_DATABASE_URL`` (``generate_portfolio --scale 1 --seed 1`` into it); without one,
only the scale-100 goal is checked. Scale 100 (``DATABASE_URL``) and scale 1 are measured
interleaved, a fresh process per round and database (scale 100, scale 1, scale 100…), so that a
change in the machine's load falls on both; the figures are medians of every sample, the spread
that of the rounds.

    DATABASE_URL=postgres://… uv run python bench/bench_dashboard.py [--repeat 5 --rounds 3]
        [--scale1-url postgres://…/cap_bench1]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

GOAL_SECONDS = 0.5
GOAL_RATIO = 3.0


def child(repeat: int) -> dict:
    """In a fresh process on ``DATABASE_URL``: one request with its queries timed, then ``repeat``."""
    common.setup()
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(common.bench_user())
    assert client.get("/").status_code == 200
    slowest: list[tuple[float, str]] = []

    def wrapper(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            slowest.append((time.perf_counter() - start, sql[:120]))

    with connection.execute_wrapper(wrapper):
        client.get("/")
    top = sorted(slowest, reverse=True)[:3]
    samples = common.timed(lambda: client.get("/").content, repeat, warmup=1)
    return {
        "samples": samples,
        "queries": len(slowest),
        "sql_ms_one_request": round(sum(t for t, _ in slowest) * 1000, 1),
        "slowest_queries": [{"ms": round(t * 1000, 1), "sql": s} for t, s in top],
    }


def run_child(database_url: str, repeat: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(repeat)],
        capture_output=True,
        text=True,
        cwd=common.ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
    )
    if output.returncode != 0:
        raise RuntimeError(output.stderr[-3000:])
    return json.loads(output.stdout.strip().splitlines()[-1])


def main(repeat: int = 5, rounds: int = 3, scale1_url: str | None = None) -> dict:
    common.setup()
    scale1_url = scale1_url or os.environ.get("BENCH_SCALE1_DATABASE_URL")
    databases = {"scale_100": os.environ["DATABASE_URL"]}
    if scale1_url:
        databases["scale_1"] = scale1_url
    load_before = common.load_average()
    runs: dict[str, list[dict]] = {name: [] for name in databases}
    for number in range(1, rounds + 1):
        for name, url in databases.items():
            runs[name].append(run_child(url, repeat))
        print(
            f"round {number}: "
            + ", ".join(f"{name} {common.median_ms(r[-1]['samples'])} ms" for name, r in runs.items()),
            flush=True,
        )
    result: dict = {
        "client": "django.test.Client, in-process, a fresh process per round",
        "repeat": repeat,
        "rounds": rounds,
        "load_average_before": load_before,
        "load_average_after": common.load_average(),
    }
    for name, measured in runs.items():
        samples = [sample for run in measured for sample in run["samples"]]
        last = measured[-1]
        result[name] = {
            "median_ms": common.median_ms(samples),
            "round_medians_ms": [common.median_ms(run["samples"]) for run in measured],
            "queries": last["queries"],
            "sql_ms_one_request": last["sql_ms_one_request"],
            "slowest_queries": last["slowest_queries"],
        }
        print(
            f"/ (dashboard, {name.replace('_', ' ')}): {result[name]['median_ms']} ms median "
            f"(rounds {result[name]['round_medians_ms']}), {last['queries']} queries "
            f"({last['sql_ms_one_request']} ms in SQL)"
        )
        for query in last["slowest_queries"]:
            print(f"    {query['ms']:8.1f} ms  {query['sql']}")
    big = result["scale_100"]
    seconds = big["median_ms"] / 1000
    figures = [
        common.figure(
            "dashboard median, scale 100",
            round(seconds, 3),
            f"<= {GOAL_SECONDS}",
            seconds <= GOAL_SECONDS,
            common.spread_of([ms / 1000 for ms in big["round_medians_ms"]], 3),
            "s",
        )
    ]
    if "scale_1" in result:
        ratios = [
            statistics.median(a["samples"]) / statistics.median(b["samples"])
            for a, b in zip(runs["scale_100"], runs["scale_1"], strict=True)
        ]
        ratio = big["median_ms"] / result["scale_1"]["median_ms"]
        result["ratio_100_to_1"] = round(ratio, 2)
        figures.append(
            common.figure(
                "dashboard scale 100 / scale 1",
                round(ratio, 2),
                f"<= {GOAL_RATIO}",
                ratio <= GOAL_RATIO,
                common.spread_of(ratios),
                "×",
            )
        )
    for entry in figures:
        print(common.ratio_line(entry["name"], entry["measured"], entry["goal"], entry["met"]))
    result["figures"] = figures
    common.save("dashboard", result)
    return result


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]))))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scale1-url", default=None)
    arguments = parser.parse_args()
    main(arguments.repeat, arguments.rounds, arguments.scale1_url)
