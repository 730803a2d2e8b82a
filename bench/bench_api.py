"""API list page of 50 (activities, budget lines, recommendations): median latency of the page
through Django's test Client, in-process (the whole request: middleware, session authentication,
permissions, the count and page queries, DRF serialisation, JSON rendering), against fetching the
same 50 rows with one raw SQL query through psycopg and serialising them with ``json`` (goal ≤ 3×).
The two are measured interleaved (API, raw, API, raw …) in ``ROUNDS`` rounds of ``--repeat`` each;
the figure is the median of the rounds' ratios of medians, with their spread. Interleaved with
them, and printed beside them (not a goal): the load benchmark's yardstick for the same list
(``bench/views.py``: the same authentication and roles, the page's SQL compiled once and run raw,
``JsonResponse``) through the same client, i.e. what Django's request cycle costs any view that
serves these rows: the floor under the API's ratio on this machine.

Deep pages (``deep_pages``): the page of 50 that starts at row 50,000 (page 1,001; the last page of
a shorter list) against page 1, medians of ``--deep-repeat`` requests each, interleaved (goal:
deep / first ≤ 1.5): the API's activities and budget lines, by cursor (the deep page is reached by
following ``next`` links 500 rows at a time), and the UI list of expenditure, by page number (its
count kept in the cache, as between two requests of a user).

    DATABASE_URL=postgres://… uv run python bench/bench_api.py [--repeat 30] [--deep-repeat 20]
    DATABASE_URL=postgres://… uv run python bench/bench_api.py --only deep_pages
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

GOAL = 3.0
ROUNDS = 3  # interleaved rounds of the API list against its raw baseline
DEEP_GOAL = 1.5
DEEP_OFFSET = 50_000
DEEP_API = ["/api/v1/activities/", "/api/v1/budget-lines/"]
# The largest UI list (500,000 rows at scale 100). The recommendations page (50,000) is left out
# while its filter form reads a compliance case's Party and mechanism per choice (about 2,000
# queries, 12 s a page whatever the page: docs/performance.md, "Pagination").
DEEP_UI = ["budgets:expenditure_list"]
# The same rows, fields and order as the API's first page (Meta.ordering, following relations).
# ``{amount}`` is a budget line's amount, filled in by :func:`budget_line_amount_sql`.
SQL = {
    "/api/v1/activities/": """
        SELECT a.id, a.workplan_id AS workplan, p.code AS party, a.code, a.title, a.description,
               a.area, a.priority, a.responsible_entity, a.planned_start, a.planned_end,
               a.actual_start, a.actual_end, a.status, a.percent_complete,
               ARRAY(SELECT r.recommendation_id FROM workplans_activity_recommendations r
                     WHERE r.activity_id = a.id ORDER BY r.recommendation_id) AS recommendations,
               a.is_illustrative, a.created, a.updated
        FROM workplans_activity a
        JOIN workplans_workplan w ON w.id = a.workplan_id
        JOIN cases_capcase c ON c.id = w.cap_case_id
        JOIN parties_party p ON p.id = c.party_id
        ORDER BY p.name, w.version DESC, a.area, a.planned_start, a.code
        LIMIT 50""",
    "/api/v1/budget-lines/": """
        SELECT b.id, b.workplan_id AS workplan, p.code AS party, b.activity_id AS activity,
               b.category, b.description, b.unit, b.units, b.rate, {amount} AS amount,
               b.funding_source_id AS funding_source, f.fund, b.year, b.is_illustrative,
               b.created, b.updated
        FROM budgets_budgetline b
        JOIN workplans_workplan w ON w.id = b.workplan_id
        JOIN cases_capcase c ON c.id = w.cap_case_id
        JOIN parties_party p ON p.id = c.party_id
        JOIN budgets_fundingsource f ON f.id = b.funding_source_id
        ORDER BY p.name, w.version DESC, b.year, b.category, b.id
        LIMIT 50""",
    "/api/v1/recommendations/": """
        SELECT r.id, p.code AS party, r.compliance_case_id AS compliance_case, m.body,
               r.adopted_at_id AS adopted_at, r.reference, r.text, r.area, r.deadline, r.status,
               (r.status IN ('open', 'in_progress') AND r.deadline < CURRENT_DATE) AS is_overdue,
               r.is_illustrative, r.created, r.updated
        FROM cases_recommendation r
        JOIN parties_party p ON p.id = r.party_id
        JOIN cases_meeting m ON m.id = r.adopted_at_id
        ORDER BY p.name, r.deadline, r.id
        LIMIT 50""",
}


def budget_line_amount_sql(alias: str = "b") -> str:
    """A budget line's amount as SQL on the table alias ``alias``: ``BudgetLine.AMOUNT``, the one
    definition of units × rate, compiled for the current database, so that the raw baseline
    computes exactly what the API does and the rule has no second spelling here."""
    from django.db import connection

    from budgets.models import BudgetLine

    query = BudgetLine.objects.annotate(amount=BudgetLine.AMOUNT).query
    expression = query.annotations["amount"].relabeled_clone({BudgetLine._meta.db_table: alias})
    sql, params = query.get_compiler(connection=connection).compile(expression)
    assert not params, params
    return sql


def raw_queries() -> dict[str, str]:
    """``SQL`` with the budget line's amount compiled in (Django must be set up)."""
    return {url: sql.replace("{amount}", budget_line_amount_sql()) for url, sql in SQL.items()}


def raw_fetch(connection, sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return json.dumps({"results": rows}, default=str)


def api_page_at(client, url: str, offset: int) -> tuple[str, int]:
    """The address of the API page of 50 that starts at row ``offset`` (or at the start of the
    last 500 rows of a shorter list), reached as a client reaches it: following ``next`` links,
    500 rows at a time. Returns it and the row it starts at."""
    from rest_framework.utils.urls import replace_query_param

    link, start = f"{url}?page_size=500", 0
    while start + 500 <= offset:
        body = client.get(link).json()
        if not body["next"]:
            break
        start, link = start + len(body["results"]), body["next"]
    return replace_query_param(link, "page_size", 50), start


def ui_page_at(client, url: str, offset: int) -> tuple[str, int]:
    """The address of the UI page of 50 holding row ``offset`` (or the last page of a shorter
    list), and the row it starts at."""
    from django.urls import resolve

    view = resolve(url).func.view_class
    model = view.model or view.queryset.model
    rows = model.objects.restrict(common.bench_user(), "view").count()
    number = min(offset, max(rows - 1, 0)) // 50 + 1
    return f"{url}?page={number}", (number - 1) * 50


def answered(response) -> bytes:
    """The content of a 200 (a timed request that was throttled, 429, or failed would be timed as
    a fast one: the benchmark stops instead)."""
    assert response.status_code == 200, (response.status_code, response.content[:200])
    return response.content


def interleaved(*calls, repeat: int, warmup: int = 3) -> tuple[list[float], ...]:
    """``repeat`` timings of each of the calls, taken in turn (A B A B …, or A B C A B C …)."""
    import time

    for _ in range(warmup):
        for fn in calls:
            fn()
    timings = tuple([] for _ in calls)
    for _ in range(repeat):
        for fn, samples in zip(calls, timings, strict=True):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
    return timings


def deep_pages(client, repeat: int = 20) -> dict:
    """Page 1 against the page at row ``DEEP_OFFSET`` of the API and UI lists (module docstring)."""
    from django.urls import reverse

    lists, figures = {}, []
    targets = [(url, url, api_page_at) for url in DEEP_API]
    targets += [(name, reverse(name), ui_page_at) for name in DEEP_UI]
    for name, url, page_at in targets:
        deep_url, start = page_at(client, url, DEEP_OFFSET)
        for address in (url, deep_url):
            response = client.get(address)
            assert response.status_code == 200, (address, response.status_code)
        first, deep = interleaved(
            lambda url=url: answered(client.get(url)),
            lambda d=deep_url: answered(client.get(d)),
            repeat=repeat,
        )
        ratio = round(common.median_ms(deep) / common.median_ms(first), 2)
        met = ratio <= DEEP_GOAL
        lists[name] = {
            "deep_page_starts_at_row": start,
            "first_median_ms": common.median_ms(first),
            "deep_median_ms": common.median_ms(deep),
            "first_spread_ms": common.spread_of([s * 1000 for s in first]),
            "deep_spread_ms": common.spread_of([s * 1000 for s in deep]),
            "ratio": ratio,
            "goal": f"<= {DEEP_GOAL}",
            "met": met,
        }
        figures.append(
            common.figure(
                f"deep page / page 1, {name} (row {start:,})", ratio, f"<= {DEEP_GOAL}", met, unit="×"
            )
        )
        print(
            f"{name}: page 1 {common.median_ms(first)} ms, page at row {start:,} "
            f"{common.median_ms(deep)} ms median of {repeat}; "
            + common.ratio_line("deep / first", ratio, f"<= {DEEP_GOAL}", met)
        )
    worst = max(entry["ratio"] for entry in lists.values())
    result = {
        "client": "django.test.Client, in-process",
        "repeat": repeat,
        "goal": f"page at row {DEEP_OFFSET:,} / page 1 <= {DEEP_GOAL}",
        "measured": worst,
        "met": all(entry["met"] for entry in lists.values()),
        "load_average": common.load_average(),
        "lists": lists,
        "figures": figures,
    }
    common.save("deep_pages", result)
    return result


def main(repeat: int = 30, deep_repeat: int = 20, only: tuple = ("api_list", "deep_pages")) -> dict:
    common.setup()
    import psycopg
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(common.bench_user())
    raw = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    results = {}
    if "deep_pages" in only:
        results["deep_pages"] = deep_pages(client, deep_repeat)
    if "api_list" not in only:
        raw.close()
        return results
    for url, sql in raw_queries().items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert len(response.json()["results"]) == 50, url
        queries = common.count_queries(connection, lambda url=url: client.get(url))
        assert len(json.loads(raw_fetch(raw, sql))["results"]) == 50
        # Interleaved (API, raw, API, raw …), in ROUNDS rounds: the ratio of each round's medians,
        # and the median of those ratios with their spread.
        yardstick_url = f"/bench/yardstick/{url.rstrip('/').rsplit('/', 1)[-1]}/"
        assert client.get(yardstick_url).status_code == 200, yardstick_url
        api, baseline, yardstick, ratios, floors = [], [], [], [], []
        for _ in range(ROUNDS):
            a, b, y = interleaved(
                lambda url=url: answered(client.get(url)),
                lambda sql=sql: raw_fetch(raw, sql),
                lambda y=yardstick_url: answered(client.get(y)),
                repeat=repeat,
            )
            api += a
            baseline += b
            yardstick += y
            ratios.append(common.median_ms(a) / common.median_ms(b))
            floors.append(common.median_ms(y) / common.median_ms(b))
        ratio = statistics.median(ratios)
        results[url] = {
            "api_median_ms": common.median_ms(api),
            "raw_sql_json_median_ms": common.median_ms(baseline),
            "yardstick_median_ms": common.median_ms(yardstick),
            "yardstick_ratio": round(statistics.median(floors), 2),
            "queries": queries,
            "ratio": round(ratio, 2),
            "rounds_ratios": [round(r, 2) for r in ratios],
            "spread": common.spread_of(ratios),
            "goal": f"<= {GOAL}",
            "met": ratio <= GOAL,
            "load_average": common.load_average(),
        }
        print(
            f"{url}: API page of 50 {common.median_ms(api)} ms median ({queries} "
            f"queries), raw SQL + json {common.median_ms(baseline)} ms, interleaved; "
            + common.ratio_line("ratio", ratio, f"<= {GOAL}", ratio <= GOAL)
            + f" (rounds {', '.join(f'{r:.2f}' for r in ratios)}); yardstick (same authentication, "
            f"raw SQL) {common.median_ms(yardstick)} ms, {statistics.median(floors):.2f}× raw"
        )
    raw.close()
    lists = {url: entry for url, entry in results.items() if url.startswith("/")}
    common.save("api_list", {"client": "django.test.Client, in-process", "repeat": repeat, **lists})
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--deep-repeat", type=int, default=20)
    parser.add_argument(
        "--only", nargs="+", choices=["api_list", "deep_pages"], default=["api_list", "deep_pages"]
    )
    arguments = parser.parse_args()
    main(arguments.repeat, arguments.deep_repeat, tuple(arguments.only))
