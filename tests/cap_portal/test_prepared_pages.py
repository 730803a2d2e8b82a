"""The page queries of the API's lean lists kept per shape (cap_portal.api.prepared, issue 15): a
page served from a kept query answers byte for byte what a page built afresh answers, for every
list, first pages and pages reached by ``next`` and ``previous``; a kept shape compiles nothing;
a role granted or ended changes the shape."""

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cap_portal.access import Role
from cap_portal.api import prepared
from cap_portal.api.viewsets import BaseModelViewSet
from parties.models import Party, RoleAssignment
from parties.services import role_assign
from tests.cap_portal.test_lean_lists import BENCHMARKED, list_routes, portfolio  # noqa: F401

pytestmark = pytest.mark.django_db


def answer(client, monkeypatch, url, *, kept: bool):
    """The answer to ``url``: built afresh (no kept query, none kept after it), or from the query
    a first request of its shape kept."""
    monkeypatch.setattr(prepared, "_lists", {})
    monkeypatch.setattr(BaseModelViewSet, "prepared_list", kept)
    if kept:
        client.get(url)  # keeps the shape's query
    return client.get(url)


def differences(client, monkeypatch, url) -> list[str]:
    fresh = answer(client, monkeypatch, url, kept=False)
    kept = answer(client, monkeypatch, url, kept=True)
    if (fresh.status_code, fresh.content) != (kept.status_code, kept.content):
        return [f"{url}: afresh {fresh.content[:300]!r}\nkept {kept.content[:300]!r}"]
    return []


@pytest.mark.parametrize("role", ["case_manager", "focal_point"])
def test_every_list_answers_the_same_from_kept_queries(role, portfolio, client, monkeypatch):  # noqa: F811
    """Every API list, its first page, the next two pages and the page before the third, answers
    the same from a kept query as built afresh."""
    client.force_login(portfolio[role])
    found, walked = [], set()
    for basename in list_routes():
        url = reverse(f"api:{basename}-list") + "?page_size=2"
        found += differences(client, monkeypatch, reverse(f"api:{basename}-list"))
        for _ in range(3):
            found += differences(client, monkeypatch, url)
            body = answer(client, monkeypatch, url, kept=False)
            if body.status_code != 200 or not body["Content-Type"].startswith("application/json"):
                break
            body = body.json()
            if body.get("previous"):
                found += differences(client, monkeypatch, body["previous"])
                walked.add(basename)
            if not body.get("next"):
                break
            url = body["next"]
    assert found == [], "\n\n".join(found)
    assert set(BENCHMARKED) <= walked, walked  # cursors forward and backward on the benchmarked lists


@pytest.mark.parametrize("basename", sorted(BENCHMARKED))
def test_a_kept_shape_compiles_nothing(basename, portfolio, client, monkeypatch):  # noqa: F811
    """The second request of a shape (page 1, or a page reached by a cursor) builds no query of
    the list and runs its page in one query; a first one compiles it once."""
    model = BENCHMARKED[basename]
    compiled = []
    real = SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        compiled.append(self.query.model)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", as_sql)
    monkeypatch.setattr(prepared, "_lists", {})
    client.force_login(portfolio["case_manager"])
    first = reverse(f"api:{basename}-list") + "?page_size=2"
    following = client.get(first).json()["next"]
    for url in (first, following):
        compiled.clear()
        client.get(url)
        assert compiled.count(model) == (1 if url == following else 0), url  # a new shape, once
        compiled.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert model not in compiled, url
        pages = [q for q in queries.captured_queries if f'FROM "{model._meta.db_table}"' in q["sql"]]
        assert len(pages) == 1, pages


def test_a_role_granted_or_ended_changes_the_shape(portfolio, client):  # noqa: F811
    """A focal point's kept query is their Parties': granted another Party, the next page shows
    its rows too; the role ended, the list answers 403."""
    focal = portfolio["focal_point"]
    client.force_login(focal)
    url = reverse("api:recommendation-list") + "?page_size=500"

    def parties():
        return {row["party"] for row in client.get(url).json()["results"]}

    before = parties()
    assert parties() == before and len(before) == 1  # the second from the kept query
    other = Party.objects.filter(recommendations__isnull=False).exclude(code__in=before).first()
    role_assign(user=focal, role=Role.MA_FOCAL_POINT, party=other)
    after = parties()
    assert before < after and other.code in after
    RoleAssignment.objects.filter(user=focal).update(ends_on=timezone.localdate())
    assert client.get(url).status_code == 403


def test_the_shape_holds_the_day(portfolio, client, monkeypatch):  # noqa: F811
    """A query kept on one day is not used the next (a table's annotations read today's date)."""
    monkeypatch.setattr(prepared, "_lists", {})
    client.force_login(portfolio["case_manager"])
    url = reverse("api:recommendation-list")
    client.get(url)
    today = timezone.localdate()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + timezone.timedelta(days=1))
    client.get(url)
    assert sorted(key[5] for key in prepared._lists) == [today, today + timezone.timedelta(days=1)]


@pytest.mark.parametrize("basename", sorted(BENCHMARKED))
def test_a_kept_page_query_is_prepared_on_postgresql(basename, postgresql, portfolio, client):  # noqa: F811
    """On PostgreSQL a kept page query is bound on the server and prepared (PostgreSQL plans it
    once per connection, not at every request), and the query log still shows it with its values."""
    client.force_login(portfolio["case_manager"])
    url = reverse(f"api:{basename}-list") + "?page_size=2"
    following = client.get(url).json()["next"]
    table = BENCHMARKED[basename]._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        assert client.get(following).status_code == 200
    (page,) = [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert "%s" not in page and "LIMIT 3" in page  # its values in the log, as Django logs
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        prepared_statements = [row[0] for row in cursor.fetchall()]
    assert any(f'FROM "{table}"' in statement for statement in prepared_statements), prepared_statements
