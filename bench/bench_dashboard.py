"""The case manager's dashboard (``/``) on the generated portfolio: median server time through
Django's test Client in-process, and the number of SQL queries.

    DATABASE_URL=postgres://… uv run python bench/bench_dashboard.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402


def main(repeat: int = 5) -> dict:
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
    queries = len(slowest)
    sql_ms = round(sum(t for t, _ in slowest) * 1000, 1)
    top = sorted(slowest, reverse=True)[:3]
    samples = common.timed(lambda: client.get("/").content, repeat, warmup=1)
    result = {
        "client": "django.test.Client, in-process",
        "median_ms": common.median_ms(samples),
        "queries": queries,
        "sql_ms_one_request": sql_ms,
        "slowest_queries": [{"ms": round(t * 1000, 1), "sql": s} for t, s in top],
        "repeat": repeat,
    }
    print(f"/ (dashboard): {result['median_ms']} ms median, {queries} queries ({sql_ms} ms in SQL)")
    for t, sql in top:
        print(f"    {t * 1000:8.1f} ms  {sql}")
    common.save("dashboard", result)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    main(parser.parse_args().repeat)
