"""Yardsticks of the load benchmark (issue 15.6): for each benchmarked API list, a plain Django
view that serves the same page to the same user as hand-written code would, so that the API's
throughput is compared with what any endpoint reading those rows must cost.

Each ``/bench/yardstick/<list>/``:

- authenticates the request with the API's own authentication classes
  (``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]``: the token is read and checked as the API
  does, ``last_used_at`` included), and answers 401 as the API does without valid credentials;
- reads the user's roles as the API does (``get_user_roles``, through the shared auth cache);
- runs one raw SQL query through ``connection.cursor()``: the API viewset's own queryset for that
  user (``restrict``, ``for_table``, filters), reduced with ``values()`` to the columns of the
  list's serializer (related ids aggregated in SQL), paged by the API's paginator (its order, its
  LIMIT: the SQL is captured as the paginator runs it);
- answers the rows with ``JsonResponse``.

The SQL is compiled once per list, user, roles and day and kept in the process (a hand-written view
would have it as a constant); what each request pays is authentication, the roles and the query.
Query parameters are ignored: the yardstick serves the first page without filters, which is what
``bench_load.py`` requests of both. ``bench_load.py`` checks that the yardstick answers the API's
first page: the same ids, in the same order, with the same fields.
"""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q
from django.http import Http404, JsonResponse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from budgets.api.views import BudgetLineViewSet
from budgets.models import BudgetLine
from cap_portal.access import get_user_roles
from cases.api.views import RecommendationViewSet
from cases.models import PENDING_RECOMMENDATION_STATUSES
from workplans.api.views import ActivityViewSet
from workplans.models import Activity

# The SQL of each (list, user, roles, day), compiled on first use in this process.
_compiled: dict[tuple, tuple[str, tuple, int]] = {}


def _activity_columns() -> dict:
    links = Activity.recommendations.through.objects.filter(activity_id=OuterRef("pk"))
    return {"recommendations": ArraySubquery(links.order_by("recommendation_id").values("recommendation_id"))}


def _budget_line_columns() -> dict:
    return {"amount": BudgetLine.AMOUNT}


def _recommendation_columns() -> dict:
    # Recommendation.is_overdue() (RecommendationQuerySet.overdue()): still pending after its deadline.
    overdue = Q(status__in=PENDING_RECOMMENDATION_STATUSES, deadline__lt=timezone.localdate())
    return {"is_overdue": ExpressionWrapper(overdue, output_field=BooleanField())}


# Each benchmarked list: its API viewset, and the columns its serializer computes (the others
# are its fields' sources, followed through relations by ``_column``).
LISTS = {
    "activities": (ActivityViewSet, _activity_columns),
    "budget-lines": (BudgetLineViewSet, _budget_line_columns),
    "recommendations": (RecommendationViewSet, _recommendation_columns),
}


def _column(name: str, field) -> F:
    """A serializer field as a column: its source followed through relations (``workplan`` is the
    foreign key's id; a related field shown by a slug, or a Party shown by its code, follows it)."""
    path = (field.source or name).replace(".", "__")
    if isinstance(field, serializers.SlugRelatedField):
        path += f"__{field.slug_field}"
    elif type(field).__name__ == "PartyCodeField":  # workplans.api.serializers: the Party's code
        path += "__code"
    return F(path)


def _compile(viewset_class, extra_columns, request: Request) -> tuple[str, tuple, int]:
    """The SQL of the list's first page for this request's user: the viewset's queryset reduced to
    the serializer's columns and paged by the viewset's own paginator (its order, its LIMIT),
    captured as the paginator runs it once."""
    view = viewset_class(
        request=request, action="list", format_kwarg=None, args=(), kwargs={}, action_map={"get": "list"}
    )
    queryset = view.filter_queryset(view.get_queryset())
    extra = extra_columns()
    fields = view.get_serializer().fields
    # Aliased ("c_<name>"): values() refuses an expression named like a model field.
    columns = {
        f"c_{name}": extra[name] if name in extra else _column(name, field) for name, field in fields.items()
    }
    rows = queryset.prefetch_related(None).values(**columns)
    captured: list[tuple[str, tuple]] = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    page_size = view.paginator.get_page_size(request) if view.paginator else 50
    with connection.execute_wrapper(capture):
        if view.paginator is None:
            list(rows[:page_size])
        else:
            try:
                view.paginator.paginate_queryset(rows, request, view)
            except KeyError:
                pass  # its links name the rows' keys by field ("id"): the page's query has run by then
    pages = [query for query in captured if '"c_id"' in query[0]]
    if not pages:
        raise RuntimeError(f"{viewset_class.__name__}: the paginator ran no page query")
    sql, params = pages[-1]
    return sql, params, page_size


def yardstick(request, name: str):
    """The first page of the API list ``name`` for the request's user: authentication and roles as
    the API reads them, then one raw query (module docstring)."""
    try:
        viewset_class, extra_columns = LISTS[name]
    except KeyError:
        raise Http404 from None
    authenticators = [cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    drf_request = Request(request, authenticators=authenticators)
    try:
        user = drf_request.user
    except APIException as error:
        return JsonResponse({"detail": str(error.detail)}, status=error.status_code)
    if not user.is_authenticated:
        return JsonResponse({"detail": "Authentication credentials were not provided."}, status=401)
    roles = get_user_roles(user)
    key = (
        name,
        user.pk,
        roles.global_roles,
        tuple(sorted((role, tuple(sorted(ids))) for role, ids in roles.party_roles.items())),
        roles.donor_ids,
        timezone.localdate(),
    )
    if key not in _compiled:
        _compiled[key] = _compile(viewset_class, extra_columns, drf_request)
    sql, params, page_size = _compiled[key]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # The serializer's columns ("c_<name>"); a cursor paginator also selects its keys.
        names = [column.name for column in cursor.description]
        wanted = [(index, name[2:]) for index, name in enumerate(names) if name.startswith("c_")]
        rows = [{name: row[index] for index, name in wanted} for row in cursor.fetchmany(page_size)]
    return JsonResponse({"results": rows})
