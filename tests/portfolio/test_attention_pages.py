"""The attention list in constant work (issue 15.1): the counts come from SQL, only the rows shown
are read (five per kind on the home page, a page per kind on the attention list), and the HTML is
the same as when every item was built and sliced in Python."""

import datetime
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cap_portal.access import Role
from portfolio.attention import ATTENTION_PAGE_SIZE, Kind, attention, attention_groups, needs_attention
from tests.cases.factories import RecommendationFactory
from tests.workplans.factories import ActivityFactory, MilestoneFactory, make_workplan
from workplans.choices import ActivityStatus, WorkplanStatus

pytestmark = pytest.mark.django_db

# The partial as it was before issue 15.1, fed with every item of each kind (``needs_attention``)
# and the first five of each as ``preview``, as the home page did then.
FORMER_PARTIAL = """{% load i18n %}{% for group in attention_groups %}
<section class="mb-3" aria-labelledby="attention-{{ group.kind }}">
  <h3 class="h6 mb-1" id="attention-{{ group.kind }}">{{ group.label }} <span class="badge text-bg-warning">{{ group.items|length }}</span></h3>
  <ul class="list-unstyled small mb-0 attention-{{ group.kind }}">
    {% for item in group.preview|default:group.items %}<li class="py-1 border-bottom"><a href="{{ item.url }}">{{ item.title }}</a> <span class="text-muted">· {{ item.party.name }}{% if item.date %} · {{ item.date|date:"DATE_FORMAT" }}{% endif %}</span><br><span class="text-muted">{{ item.detail }}</span></li>{% endfor %}
    {% if group.preview and group.items|length > group.preview|length %}<li class="pt-1"><a href="{% url 'portfolio:attention' %}#attention-{{ group.kind }}">{% blocktranslate count counter=group.items|length %}See the {{ counter }} item{% plural %}See all {{ counter }} items{% endblocktranslate %}</a></li>{% endif %}
  </ul>
</section>
{% empty %}<p class="text-muted mb-0" id="attention-empty">{% translate "Nothing needs attention: no overdue update, review, milestone, agreement end, installment or recommendation." %}</p>{% endfor %}"""  # noqa: E501


def former_html(user, *, preview: bool) -> str:
    groups = attention_groups(needs_attention(user))
    for group in groups:
        group.preview = group.items[:5] if preview else []
    return Template(FORMER_PARTIAL).render(Context({"attention_groups": groups}))


def fragment(page: str) -> str:
    """The attention sections of a page."""
    start = page.index('\n<section class="mb-3" aria-labelledby="attention-')
    end = page.rindex("</section>") + len("</section>")
    return page[start:end]


@pytest.fixture
def portfolio(world):
    """More items than the home page shows of some kinds, fewer of others."""
    approved = make_workplan(world.own, status=WorkplanStatus.APPROVED, ends_on=datetime.date(2030, 12, 31))
    for day in range(1, 8):
        MilestoneFactory(workplan=approved, due_on=datetime.date(2024, 3, day))
        RecommendationFactory(party=world.own, deadline=datetime.date(2023, 5, day))
    for n in range(3):
        ActivityFactory(
            workplan=approved, status=ActivityStatus.ONGOING, planned_start=datetime.date(2024, 1, n + 1)
        )
    make_workplan(world.other, status=WorkplanStatus.SUBMITTED)
    return approved


def test_home_page_html_is_the_same_as_when_every_item_was_read(world, portfolio, client):
    user = world.users["case_manager"]
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    expected = former_html(user, preview=True)
    assert "See all 7 items" in expected
    assert fragment(page) == fragment(expected)


def test_attention_page_html_is_the_same_as_when_every_item_was_read(world, portfolio, client):
    user = world.users["case_manager"]
    client.force_login(user)
    response = client.get(reverse("portfolio:attention"))
    assert fragment(response.content.decode()) == fragment(former_html(user, preview=False))
    assert response.context["attention_count"] == len(needs_attention(user))


def test_the_focal_points_home_page_html_too(world, portfolio, client):
    user = world.users["ma_focal_point"]
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    groups = attention_groups(needs_attention(user, party_ids=[world.own.pk]))
    for group in groups:
        group.preview = group.items[:5]
    expected = Template(FORMER_PARTIAL).render(Context({"attention_groups": groups}))
    assert fragment(page) == fragment(expected)


def test_only_the_rows_shown_are_read(world, portfolio):
    """Five rows per kind at most, counted in SQL: every query on the attention kinds' tables
    has a LIMIT (the former code read every overdue row to show five)."""
    with CaptureQueriesContext(connection) as queries:
        shown = attention(world.users["case_manager"])
    milestones = next(g for g in shown.groups if g.kind == Kind.MILESTONE_OVERDUE)
    assert (milestones.count, len(milestones.items)) == (7, 5)
    reads = [q["sql"] for q in queries if 'FROM "workplans_milestone"' in q["sql"].split(" WHERE ")[0]]
    assert reads and all(re.search(r"LIMIT 5\b", sql) for sql in reads)
    # The count, with the rows: a scalar subquery over the rows' keys in the same query.
    assert len(reads) == 1 and "(SELECT COUNT(*) FROM (SELECT" in reads[0]


def test_the_attention_list_is_paginated_per_kind(world, client):
    approved = make_workplan(world.own, status=WorkplanStatus.APPROVED)
    for n in range(ATTENTION_PAGE_SIZE + 3):
        MilestoneFactory(
            workplan=approved, title=f"M{n:03}", due_on=datetime.date(2024, 1, 1) + datetime.timedelta(n)
        )
    RecommendationFactory(party=world.own, deadline=datetime.date(2023, 5, 1))
    client.force_login(world.users["case_manager"])
    first = client.get(reverse("portfolio:attention"))
    group = next(g for g in first.context["attention_groups"] if g.kind == Kind.MILESTONE_OVERDUE)
    assert (group.count, len(group.items), group.page.paginator.num_pages) == (53, 50, 2)
    assert "kind=milestone_overdue&amp;page=2" in first.content.decode()
    second = client.get(reverse("portfolio:attention"), {"kind": Kind.MILESTONE_OVERDUE, "page": 2})
    groups = {g.kind: g for g in second.context["attention_groups"]}
    assert [i.title for i in groups[Kind.MILESTONE_OVERDUE].items] == ["M050", "M051", "M052"]
    assert len(groups[Kind.RECOMMENDATION_UNADDRESSED].items) == 1  # other kinds on their first page
    assert second.context["attention_count"] == 54
    # A page past the last one, or not a number, shows the first.
    for page in ("9", "x"):
        response = client.get(reverse("portfolio:attention"), {"kind": Kind.MILESTONE_OVERDUE, "page": page})
        group = next(g for g in response.context["attention_groups"] if g.kind == Kind.MILESTONE_OVERDUE)
        assert group.page.number == 1 and group.items[0].title == "M000"


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_every_role_opens_the_attention_list_and_the_home_page(world, client, role):
    """A kind a role may not see at all is an empty queryset (``none()``), which has no SQL: its
    count must not be compiled (the donor observer's attention list answered 500 when the count
    became a subquery)."""
    approved = make_workplan(world.own, status=WorkplanStatus.APPROVED)
    MilestoneFactory(workplan=approved, due_on=datetime.date(2024, 1, 1))
    RecommendationFactory(party=world.own, deadline=datetime.date(2023, 5, 1))
    client.force_login(world.users[role])
    assert client.get(reverse("portfolio:attention")).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_counting_rows_of_an_empty_queryset(world):
    """``count_rows`` (the navigation's to-do count) takes a ``none()`` queryset, which has no SQL,
    as no row."""
    from cases.models import Recommendation
    from portfolio.attention import count_rows

    RecommendationFactory(party=world.own, deadline=datetime.date(2023, 5, 1))
    counts = count_rows({"none": Recommendation.objects.none(), "all": Recommendation.objects.all()})
    assert counts == {"none": 0, "all": 1}
