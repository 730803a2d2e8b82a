"""The lean read path of the API's lists (cap_portal.api.lean, issue 15): every list endpoint of the
router answers, byte for byte, what DRF's full path answers on the same data (the sample
portfolio), for a case manager and a focal point, unfiltered, filtered and on a second page
reached by its cursor; the benchmarked lists do take the lean path (no model instance per row)."""

from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import BudgetLine
from cap_portal.access import Role
from cap_portal.api import lean, prepared
from cap_portal.api.urls import router
from cap_portal.api.viewsets import BaseModelViewSet
from cases.models import CapCase, Recommendation
from parties.api.serializers import PartySerializer
from parties.models import Party
from parties.services import role_assign, user_create
from sampledata.loaders import load_sample_portfolio
from workplans.models import Activity

pytestmark = pytest.mark.django_db

BENCHMARKED = {"activity": Activity, "budgetline": BudgetLine, "recommendation": Recommendation}


def list_routes() -> dict[str, type]:
    """basename -> viewset of every list route of the API router built on BaseModelViewSet (the
    others — absorption, people, notifications, IATI — have their own ``list``, untouched by the
    lean path; the IATI file stamps the second it was generated, so two answers can differ)."""
    return {
        basename: viewset
        for _prefix, viewset, basename in router.registry
        if hasattr(viewset, "list") and issubclass(viewset, BaseModelViewSet)
    }


def test_the_lists_outside_the_base_viewset_have_their_own_list():
    """The lists left out of the comparison never reach BaseModelViewSet.list."""
    others = {basename for _prefix, viewset, basename in router.registry if hasattr(viewset, "list")}
    others -= set(list_routes())
    assert others == {"absorption", "person", "notification", "iati-activities"}
    for _prefix, viewset, basename in router.registry:
        if basename in others:
            assert viewset.list is not BaseModelViewSet.list


@pytest.fixture
def portfolio(db):
    load_sample_portfolio()
    manager = user_create(username="lean-manager", password="pw-lean")
    role_assign(user=manager, role=Role.CASE_MANAGER)
    focal = user_create(username="lean-focal", password="pw-lean")
    # The Party with a CAP case that has the most recommendations: its lists have second pages.
    parties = CapCase.objects.values_list("party", flat=True)
    party = Party.objects.filter(pk__in=parties).annotate(n=Count("recommendations")).order_by("-n")[0]
    role_assign(user=focal, role=Role.MA_FOCAL_POINT, party=party)
    return {"case_manager": manager, "focal_point": focal}


def get(client, monkeypatch, url, *, lean_list: bool):
    monkeypatch.setattr(BaseModelViewSet, "lean_list", lean_list)
    return client.get(url)


def filter_of(viewset, row: dict) -> str | None:
    """A filter of the list set to the value ``row`` shows for it (``?status=open``), if any."""
    filterset_class = getattr(viewset, "filterset_class", None)
    if filterset_class is None:
        return None
    for name in filterset_class.base_filters:
        value = row.get(name)
        if isinstance(value, bool):
            return f"{name}={str(value).lower()}"
        if isinstance(value, str | int) and value != "":
            return f"{name}={value}"
    return None


def compare(client, monkeypatch, url) -> list[str]:
    """The differences between the lean and the full answer to ``url`` (none expected)."""
    full = get(client, monkeypatch, url, lean_list=False)
    answer = get(client, monkeypatch, url, lean_list=True)
    if (full.status_code, full.content) != (answer.status_code, answer.content):
        return [
            f"{url}: full {full.status_code} {full.content[:300]!r}\nlean {answer.status_code} "
            f"{answer.content[:300]!r}"
        ]
    return []


@pytest.mark.parametrize("role", ["case_manager", "focal_point"])
def test_every_list_answers_the_same_on_the_lean_path(role, portfolio, client, monkeypatch):
    """Every API list, unfiltered, filtered and its second page, answers byte for byte the same
    on the lean path as on DRF's full path, for a case manager and for a focal point."""
    client.force_login(portfolio[role])
    differences, filtered, second_pages = [], {}, {}
    for basename, viewset in list_routes().items():
        url = reverse(f"api:{basename}-list")
        differences += compare(client, monkeypatch, url)
        first = get(client, monkeypatch, url + "?page_size=3&count=true", lean_list=False)
        differences += compare(client, monkeypatch, url + "?page_size=3&count=true")
        json = first.status_code == 200 and first["Content-Type"].startswith("application/json")
        body = first.json() if json else {}
        if body.get("next"):
            differences += compare(client, monkeypatch, body["next"])
            second_pages[basename] = body["next"]
        rows = body.get("results") or []
        query = filter_of(viewset, rows[0]) if rows else None
        if query:
            differences += compare(client, monkeypatch, f"{url}?{query}")
            filtered[basename] = get(client, monkeypatch, f"{url}?{query}", lean_list=True)
    assert differences == [], "\n\n".join(differences)
    # The comparison covered the benchmarked lists on every kind of request.
    for basename in BENCHMARKED:
        assert basename in second_pages, basename
        assert filtered[basename].status_code == 200 and filtered[basename].json()["results"], basename


def test_a_list_with_a_field_not_read_from_columns_takes_the_full_path(portfolio):
    """A serializer with a field the lean path cannot serve (a hyperlink) gets no lean plan."""
    assert lean.lean_plan(PartySerializer(), Party.objects.all()) is None


@pytest.mark.parametrize("basename", sorted(BENCHMARKED))
def test_the_benchmarked_lists_build_no_model_instance(basename, portfolio, client, monkeypatch):
    """Activities, budget lines and recommendations are listed without a model instance per row
    (the full path builds one per row), in no more queries than the full path."""
    client.force_login(portfolio["case_manager"])
    url = reverse(f"api:{basename}-list")
    built = Counter()

    def count(sender, **kwargs):
        built[sender] += 1

    post_init.connect(count)
    try:
        built.clear()
        with CaptureQueriesContext(connection) as full_queries:
            full = get(client, monkeypatch, url, lean_list=False)
        full_built = built[BENCHMARKED[basename]]
        built.clear()
        with CaptureQueriesContext(connection) as lean_queries:
            answer = get(client, monkeypatch, url, lean_list=True)
        lean_built = built[BENCHMARKED[basename]]
    finally:
        post_init.disconnect(count)
    assert full.content == answer.content
    assert len(answer.json()["results"]) > 1
    assert full_built >= len(answer.json()["results"])
    assert lean_built == 0
    assert len(lean_queries) <= len(full_queries)


def test_a_field_that_reads_more_than_it_declares_fails_loudly(portfolio, client, monkeypatch):
    """A ``lean_reads`` that leaves out a column the field reads is an error, not a query per row."""
    from cases.api.serializers import RecommendationSerializer

    monkeypatch.setattr(RecommendationSerializer.Meta, "lean_reads", {"is_overdue": ("status",)})
    monkeypatch.setattr(lean, "_plans", {})  # planned again, with the declaration above
    monkeypatch.setattr(prepared, "_lists", {})  # and no page query kept with the old plan
    client.force_login(portfolio["case_manager"])
    client.raise_request_exception = True
    with pytest.raises(lean.LeanReadError):
        client.get(reverse("api:recommendation-list"))


def test_relation_ids_read_after_the_page_where_arrays_are_not_in_sql(portfolio, client, monkeypatch):
    """On a database without ARRAY (the embedded SQLite), the ids of a relation are read after the
    page, one query for the page's rows: the same answer."""
    monkeypatch.setattr(lean, "arrays_in_sql", lambda db: False)
    client.force_login(portfolio["case_manager"])
    url = reverse("api:activity-list") + "?page_size=5"
    assert compare(client, monkeypatch, url) == []
    second = get(client, monkeypatch, url, lean_list=True).json()["next"]
    assert compare(client, monkeypatch, second) == []
    assert compare(client, monkeypatch, reverse("api:activity-list")) == []
    rows = get(client, monkeypatch, reverse("api:activity-list"), lean_list=True).json()["results"]
    assert any(len(row["recommendations"]) > 1 for row in rows)


@pytest.mark.parametrize("basename", sorted(BENCHMARKED))
def test_the_page_reads_its_timestamps_with_psycopgs_compiled_loader(
    basename, portfolio, client, timestamp_loaders
):
    """The lean page's query reads ``created`` and ``updated`` with psycopg's own timestamptz
    loader (its compiled version), not Django's Python subclass of it; other queries keep
    Django's. The answer is the full path's (``test_every_list_answers_the_same_on_the_lean_path``)."""
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader

    client.force_login(portfolio["case_manager"])
    with timestamp_loaders() as loaders:
        response = client.get(reverse(f"api:{basename}-list"))
    assert response.status_code == 200 and response.json()["results"][0]["created"]
    table = BENCHMARKED[basename]._meta.db_table
    page = [loader for sql, loader in loaders if f'FROM "{table}"' in sql]
    others = [loader for sql, loader in loaders if f'FROM "{table}"' not in sql]
    assert len(page) == 1, loaders
    assert not issubclass(page[0], BaseTzLoader) and page[0].__module__.startswith("psycopg")
    assert page[0].__name__ == "TimestamptzLoader"
    assert others and all(issubclass(loader, BaseTzLoader) for loader in others), others
