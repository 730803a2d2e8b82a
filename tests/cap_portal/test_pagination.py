"""Pagination without a count of the whole list on every request (issue 15): the API pages by
cursor (``cap_portal.api.pagination``), the UI lists keep page numbers with a cached count checked
against the page read and deep pages read by key (``cap_portal.pagination``)."""

import datetime
import uuid

import pytest
from django.core.paginator import EmptyPage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cap_portal import pagination
from cap_portal.pagination import CountCachedPaginator
from cases.models import ComplianceMeasure, Recommendation
from portfolio.models import Notification, NotificationKind
from portfolio.notify import inbox
from tests.cases.factories import ComplianceMeasureFactory, RecommendationFactory
from tests.workplans.factories import ActivityFactory, make_workplan
from workplans.models import Activity

pytestmark = pytest.mark.django_db

D1, D2 = datetime.date(2024, 6, 30), datetime.date(2025, 3, 31)


@pytest.fixture
def cm(world, api_client):
    api_client.force_login(world.users["case_manager"])
    return api_client


@pytest.fixture
def count_cache(settings, monkeypatch):
    """Counts kept in the cache, under keys of this test only."""
    settings.LIST_COUNT_CACHE_SECONDS = 60
    monkeypatch.setattr(pagination, "KEY_PREFIX", f"list-count-test-{uuid.uuid4().hex}:")


def ids(body, key="id"):
    return [row[key] for row in body["results"]]


def walk(client, url, **params):
    """The ids of every page from the first by the next links, and from the last back by the
    previous links."""
    body = client.get(url, params).json()
    forward = ids(body)
    while body["next"]:
        body = client.get(body["next"]).json()
        forward += ids(body)
    backward = ids(body)
    while body["previous"]:
        body = client.get(body["previous"]).json()
        backward = ids(body) + backward
    return forward, backward


def recommendations_with_ties(world):
    """Rows that tie on Party and deadline, NULL deadlines among them, on both Parties."""
    for party, deadlines in ((world.own, [D1, D1, D1, None, None, D2]), (world.other, [D1, D1, None])):
        for deadline in deadlines:
            RecommendationFactory(party=party, deadline=deadline)


# --- the API: cursor pages --------------------------------------------------------------------


def test_cursor_pages_walk_a_list_with_ties_and_nulls_exactly_once(world, cm):
    """Recommendations (Party name, deadline with NULLs, pk) in pages of 2: forward and backward,
    every row once, in the order of the list."""
    recommendations_with_ties(world)
    expected = list(
        Recommendation.objects.order_by("party__name", "deadline", "pk").values_list("pk", flat=True)
    )
    forward, backward = walk(cm, reverse("api:recommendation-list"), page_size=2)
    assert forward == expected and backward == expected


def test_cursor_pages_follow_an_ordering_through_relations(world, cm):
    """Activities order by their workplan (its Party's name, then version descending), area,
    planned start and code: the pages follow it, rows tying on all but the key included."""
    older, newer = make_workplan(world.own), make_workplan(world.own)
    for workplan in (older, newer, make_workplan(world.other)):
        for start in (D1, D1, D2):
            ActivityFactory(workplan=workplan, planned_start=start)
    expected = list(
        Activity.objects.order_by("workplan", "area", "planned_start", "code", "pk").values_list(
            "pk", flat=True
        )
    )
    forward, backward = walk(cm, reverse("api:activity-list"), page_size=4)
    assert forward == expected and backward == expected
    assert Activity.objects.get(pk=forward[0]).workplan.cap_case.party == world.other  # Nigeria first


def test_cursor_pages_of_a_list_ordered_only_by_a_column_shared_by_all(world, cm):
    """Compliance measures order by Party name alone: the key breaks every tie."""
    for _ in range(5):
        ComplianceMeasureFactory(party=world.own)
    expected = list(ComplianceMeasure.objects.order_by("party__name", "pk").values_list("pk", flat=True))
    forward, backward = walk(cm, reverse("api:compliancemeasure-list"), page_size=2)
    assert forward == expected and backward == expected


def test_cursor_pages_of_an_ordering_expression_with_nulls_first(world, cm):
    """The inbox: unread (read_at NULL) first, then by sending time descending, ties on it too."""
    user = world.users["case_manager"]
    sent = timezone.now()
    for n in range(7):
        Notification.objects.create(
            recipient=user,
            party=world.own,
            kind=NotificationKind.MILESTONE_OVERDUE,
            subject="Milestone overdue",
            body="A milestone is overdue.",
            sent_at=sent - datetime.timedelta(hours=n % 2),
            read_at=sent if n % 3 == 0 else None,
            key=f"page-{n}",
        )
    expected = list(inbox(user).values_list("pk", flat=True))
    forward, backward = walk(cm, "/api/v1/notifications/", page_size=3)
    assert forward == expected and backward == expected


def test_cursor_pages_of_a_grouped_list(world, cm):
    """Reports are listed with their number of versions (a GROUP BY), newest meeting first, ties
    on the meeting broken by symbol: the cursor's conditions stay on the rows, not the groups."""
    from reports.models import Report
    from tests.reports.conftest import make_report

    for n, start in enumerate([D1, D1, D2, D1, D2]):
        make_report([world.own], symbol=f"SC Doc. {n % 2}", meeting_start=start, meeting_end=start)
    expected = list(Report.objects.order_by("-meeting_start", "symbol", "pk").values_list("pk", flat=True))
    forward, backward = walk(cm, reverse("api:report-list"), page_size=2)
    assert forward == expected and backward == expected


def test_a_list_request_runs_no_count(world, cm):
    """Neither the first page nor a page by cursor counts the list."""
    recommendations_with_ties(world)
    url = reverse("api:recommendation-list")
    with CaptureQueriesContext(connection) as first_page:
        body = cm.get(url, {"page_size": 2}).json()
    with CaptureQueriesContext(connection) as next_page:
        assert len(cm.get(body["next"]).json()["results"]) == 2
    for captured in (first_page, next_page):
        assert not [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]


def test_the_count_is_given_on_request_only_with_the_filters(world, cm):
    recommendations_with_ties(world)
    url = reverse("api:recommendation-list")
    assert "count" not in cm.get(url).json()
    assert cm.get(url, {"count": "true", "page_size": 2}).json()["count"] == 9
    assert cm.get(url, {"count": "true", "party": str(world.other.code), "page_size": 2}).json()["count"] == 3
    assert "count" not in cm.get(url, {"count": "false"}).json()
    body = cm.get(url, {"count": "true", "page_size": 2}).json()
    assert cm.get(body["next"]).json()["count"] == 9  # the links keep it


def test_a_list_of_one_page_gives_its_count_without_counting(world, cm):
    recommendations_with_ties(world)
    with CaptureQueriesContext(connection) as captured:
        body = cm.get(reverse("api:recommendation-list"), {"count": "true"}).json()
    assert body["count"] == 9 and len(body["results"]) == 9
    assert not [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]


def test_the_count_is_kept_per_filter(world, cm, count_cache):
    """With the count cache on, the same list and filters are counted once; other filters are
    counted apart."""
    recommendations_with_ties(world)
    url = reverse("api:recommendation-list")

    def counts(params):
        with CaptureQueriesContext(connection) as captured:
            body = cm.get(url, {"count": "true", "page_size": 2, **params}).json()
        return body["count"], len([q for q in captured if "COUNT(" in q["sql"].upper()])

    assert counts({}) == (9, 1)
    assert counts({}) == (9, 0)
    assert counts({"party": str(world.other.code)}) == (3, 1)
    assert counts({"party": str(world.other.code)}) == (3, 0)


@pytest.mark.parametrize(
    "cursor", ["abc", "eyJyIjowLCJ2IjpbMSwyXX0", "eyJyIjowLCJ2IjpbMSwiMjAyNC0xMy0wMSIsMV19"]
)
def test_a_cursor_the_api_did_not_give_is_a_400_naming_it(world, cm, cursor):
    """Not base64 JSON; two keys for three; a 13th month."""
    response = cm.get(reverse("api:recommendation-list"), {"cursor": cursor})
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["cursor"]


def test_a_cursor_value_out_of_its_columns_range_is_a_400(world, cm):
    import base64
    import json

    payload = json.dumps({"r": 0, "v": ["Togo", "2024-06-30", 10**30]}).encode()
    response = cm.get(
        reverse("api:recommendation-list"), {"cursor": base64.urlsafe_b64encode(payload).decode()}
    )
    assert response.status_code == 400


def test_the_schema_describes_cursor_pages(world, client):
    client.force_login(world.users["secretariat_viewer"])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/recommendations/"]["get"]
    assert {"cursor", "page_size", "count"} <= {p["name"] for p in operation["parameters"]}
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    properties = schema["components"]["schemas"][page]["properties"]
    assert {"count", "next", "previous", "results"} == set(properties)
    assert "page" not in {p["name"] for p in operation["parameters"]}


# --- the UI: page numbers, a cached count, deep pages by key -------------------------------------


def test_a_list_page_is_counted_once_while_its_count_is_kept(world, client, count_cache):
    recommendations_with_ties(world)
    client.force_login(world.users["case_manager"])
    url = reverse("cases:recommendation_list")
    with CaptureQueriesContext(connection) as first:
        one = client.get(url)
    with CaptureQueriesContext(connection) as second:
        two = client.get(url)
    counted = [len([q for q in run if "COUNT(" in q["sql"].upper()]) for run in (first, second)]
    assert len(second) == len(first) - 1 and counted[0] - counted[1] == 1
    assert one.context["paginator"].count == two.context["paginator"].count == 9


def ordered():
    """The recommendations in the list's order, a new queryset each time (none keeps its rows)."""
    return Recommendation.objects.select_related("party").order_by("party__name", "deadline", "pk")


def test_a_cached_count_that_grew_is_corrected_on_the_page_that_shows_it(world, count_cache):
    recommendations_with_ties(world)
    assert CountCachedPaginator(ordered(), 4).page(1).paginator.num_pages == 3  # 9 rows: counted, kept
    for _ in range(4):
        RecommendationFactory(party=world.own, deadline=None)  # 13 rows, the count kept says 9
    assert CountCachedPaginator(ordered(), 4).page(1).paginator.count == 9  # mid-list: it stands
    page = CountCachedPaginator(ordered(), 4).page(4)  # past the kept count: counted again, served
    assert page.paginator.count == 13 and [r.pk for r in page] == [r.pk for r in ordered()][12:]
    last = CountCachedPaginator(ordered(), 4).page(3)
    assert last.paginator.count == 13 and last.has_next()


def test_a_cached_count_that_shrank_is_corrected_on_the_last_page(world, count_cache):
    recommendations_with_ties(world)
    assert CountCachedPaginator(ordered(), 4).count == 9
    Recommendation.objects.filter(pk__in=[r.pk for r in ordered()][-3:]).delete()  # 6 rows
    page = CountCachedPaginator(ordered(), 4).page(2)
    assert page.paginator.count == 6 and not page.has_next() and len(page) == 2
    with pytest.raises(EmptyPage):
        CountCachedPaginator(ordered(), 4).page(3)


def test_a_deep_page_reads_its_rows_by_key(world):
    """Past the first page the keys come first (``SELECT pk … LIMIT … OFFSET …``), then the rows
    by those keys: the same rows in the same order as a plain slice. A short list's first page
    is one query."""
    recommendations_with_ties(world)
    expected = [r.pk for r in ordered()]
    paginator = CountCachedPaginator(ordered(), 2)
    assert paginator.count == 9
    with CaptureQueriesContext(connection) as captured:
        page = paginator.page(3)
    assert [r.pk for r in page] == expected[4:6]
    keys, rows = [q["sql"].upper() for q in captured]
    assert "OFFSET 4" in keys and "PARTIES_PARTY" not in keys.split("FROM", 1)[0]
    assert "OFFSET" not in rows and "IN (" in rows
    with CaptureQueriesContext(connection) as captured:
        first = paginator.page(1)
    assert [r.pk for r in first] == expected[:2]
    (sql,) = [q["sql"] for q in captured]
    assert "LIMIT 3" in sql.upper()


def test_the_first_page_of_a_long_list_is_read_by_key(world, monkeypatch):
    recommendations_with_ties(world)
    monkeypatch.setattr(pagination, "KEYED_FIRST_PAGE_FROM", 9)
    with CaptureQueriesContext(connection) as captured:
        page = CountCachedPaginator(ordered(), 2).page(1)
    assert [r.pk for r in page] == [r.pk for r in ordered()][:2]
    count, keys, rows = [q["sql"].upper() for q in captured]
    assert "COUNT(" in count and "LIMIT 3" in keys and "IN (" in rows


def test_a_page_past_the_last_one_is_a_404(world, client):
    recommendations_with_ties(world)
    client.force_login(world.users["case_manager"])
    url = reverse("cases:recommendation_list")
    assert client.get(url, {"page": 1}).status_code == 200
    assert client.get(url, {"page": 2}).status_code == 404
