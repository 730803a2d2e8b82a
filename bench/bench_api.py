"""API list page of 50 (activities, budget lines, recommendations): median latency of the page
through Django's test Client, in-process (the whole request: middleware, session authentication,
permissions, the count and page queries, DRF serialisation, JSON rendering), against fetching the
same 50 rows with one raw SQL query through psycopg and serialising them with ``json`` (goal ≤ 3×).

    DATABASE_URL=postgres://… uv run python bench/bench_api.py [--repeat 30]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

GOAL = 3.0
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


def main(repeat: int = 30) -> dict:
    common.setup()
    import psycopg
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(common.bench_user())
    raw = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    results = {}
    for url, sql in raw_queries().items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert len(response.json()["results"]) == 50, url
        queries = common.count_queries(connection, lambda url=url: client.get(url))
        api = common.timed(lambda url=url: client.get(url).content, repeat)
        assert len(json.loads(raw_fetch(raw, sql))["results"]) == 50
        baseline = common.timed(lambda sql=sql: raw_fetch(raw, sql), repeat)
        ratio = common.median_ms(api) / common.median_ms(baseline)
        results[url] = {
            "api_median_ms": common.median_ms(api),
            "raw_sql_json_median_ms": common.median_ms(baseline),
            "queries": queries,
            "ratio": round(ratio, 2),
            "goal": f"<= {GOAL}",
            "met": ratio <= GOAL,
        }
        print(
            f"{url}: API page of 50 {common.median_ms(api)} ms median ({queries} "
            f"queries), raw SQL + json {common.median_ms(baseline)} ms; "
            + common.ratio_line("ratio", ratio, f"<= {GOAL}", ratio <= GOAL)
        )
    raw.close()
    common.save("api_list", {"client": "django.test.Client, in-process", "repeat": repeat, **results})
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30)
    main(parser.parse_args().repeat)
