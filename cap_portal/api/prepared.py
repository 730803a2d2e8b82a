"""The page queries of the API's lean lists, built and compiled once per shape and kept in the
process (issue 15): a list's page is the same SQL for every request of the same shape, only the
cursor's values change.

Building a page's queryset (the user's restriction, the table's annotations, the serializer's
columns, the ids of many-valued relations, the cursor's keys and order) and compiling it to SQL
cost about as much as running it (1.1–2.3 ms of a 6–9 ms page at scale 100,
docs/performance.md, "The page's SQL compiled once"). A hand-written view has its SQL as a
constant; this module gives the API the same, without a second spelling of any query:

- the **shape** of a request is what its SQL depends on: the view (its class, action and URL
  arguments), the user and what their restriction depends on (``access.restriction_key``), the
  day (a table's annotations read today's date), the language, the page size, and whether the
  page is read forward or backward from a cursor whose values are NULL or not. Requests with
  filter parameters or ``?count=true`` are not served here (a filter set validates its
  parameters against the database, which a kept query would skip): they take the lean path as
  before;
- the first request of a shape builds the page's queryset as the lean path does
  (``get_queryset``, ``lean_queryset``, the paginator's ``page_queryset`` and cursor condition)
  with each cursor value as a parameter slot, compiles it once, and keeps the SQL, its
  parameters, the columns' names and Django's converters;
- every request of that shape puts its cursor's values (checked as the paginator checks them,
  turned into database values by their columns' own fields) into the slots, runs the SQL through
  Django's cursor (query logging, execute wrappers, the same connection) and turns the rows into
  what ``values()`` gives, with the same converters.

What is kept is forgotten when a setting changes (tests) and when the process keeps more than
``MAX_SHAPES`` shapes (the whole store is emptied: a new shape is built as the first time).
``tests/cap_portal/test_prepared_pages.py`` compares a kept page with one built afresh for every
list, and checks that a page of a kept shape compiles nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections
from django.db.models import Expression
from django.utils import timezone, translation

from cap_portal.access import restriction_key
from cap_portal.api.lean import Plan, lean_plan_for, lean_queryset
from cap_portal.api.pagination import after_position, ordering_keys
from cap_portal.db import bound_cursor, compiled_timestamps

MAX_SHAPES = 2000

_lists: dict[tuple, PreparedList | None] = {}


def forget(**kwargs) -> None:
    """Drop every kept query (a setting changed: the next requests build theirs afresh)."""
    _lists.clear()


setting_changed.connect(forget, dispatch_uid="cap_api_prepared_pages")


class _Marker:
    """The parameter a cursor value's slot compiles to, found again by identity."""

    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index


class _Slot(Expression):
    """A cursor value in a page's query: compiled to one parameter, filled in at each request."""

    def __init__(self, index: int, output_field):
        super().__init__(output_field=output_field)
        self.marker = _Marker(index)

    def as_sql(self, compiler, connection):
        return "%s", [self.marker]


@dataclass
class PreparedPage:
    """The SQL of one shape of page, and how its rows become ``values()`` rows."""

    sql: str
    params: list
    slots: list[tuple[int, int, object]]  # (position in params, cursor value index, its field)
    names: list[str]
    converters: dict  # SQLCompiler.get_converters: {column: (functions, expression)}
    width: int | None  # the columns of a row when the SQL selects more (for its order)

    def rows(self, db: str, values: list) -> list[dict]:
        connection = connections[db]
        params = list(self.params)
        for position, index, key_field in self.slots:
            params[position] = key_field.get_db_prep_value(values[index], connection, prepared=False)
        with compiled_timestamps(db), bound_cursor(db) as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.width is not None:
            rows = [row[: self.width] for row in rows]
        if self.converters:  # as SQLCompiler.apply_converters, with this request's connection
            converters = list(self.converters.items())
            converted = []
            for row in rows:
                row = list(row)
                for position, (functions, expression) in converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
                converted.append(row)
            rows = converted
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in rows]


@dataclass
class PreparedList:
    """A list's page queries for one (view, user, roles, day, language)."""

    plan: Plan
    rows: object  # the lean queryset of the whole list (never evaluated: each page clones it)
    keys: list
    pk_name: str
    key_fields: list
    pages: dict = field(default_factory=dict)

    def page(self, paginator, reverse: bool, cursor_values: list | None) -> PreparedPage | None:
        pattern = None if cursor_values is None else tuple(value is None for value in cursor_values)
        shape = (paginator.page_size, reverse, pattern)
        if shape not in self.pages:
            self.pages[shape] = _compile(paginator, self, reverse, pattern)
        return self.pages[shape]


def _compile(paginator, prepared: PreparedList, reverse: bool, pattern) -> PreparedPage | None:
    rows = paginator.page_queryset(prepared.rows, reverse)
    slots = {}
    if pattern is not None:
        values = []
        for index, (is_null, key_field) in enumerate(zip(pattern, prepared.key_fields, strict=True)):
            slot = None if is_null else _Slot(index, key_field)
            if slot is not None:
                slots[id(slot.marker)] = (index, key_field)
            values.append(slot)
        rows = rows.filter(after_position(paginator.ordered_keys(reverse), values))
    rows = rows[: paginator.page_size + 1]
    query = rows.query
    compiler = query.get_compiler(using=rows.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    params = list(params)
    # A value may stand in several places (the key "after" it, or equal to it and the next after).
    positions = [
        (position, *slots[id(param)]) for position, param in enumerate(params) if isinstance(param, _Marker)
    ]
    if {id(params[position]) for position, *_ in positions} != set(slots):
        return None  # a slot that compiled to no parameter: not served from kept queries
    # As ValuesIterable names a row's columns, and results_iter converts them.
    if query.selected:
        names = list(query.selected)
    else:
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
    columns = [column[0] for column in compiler.select[: compiler.col_count]]
    if compiler.has_composite_fields(columns):
        return None
    width = compiler.col_count if compiler.has_extra_select else None
    return PreparedPage(sql, params, positions, names, compiler.get_converters(columns), width)


def _shape(view, request) -> tuple:
    access = view.get_access_action()
    return (
        type(view),
        view.action,
        tuple(sorted(view.kwargs.items())),
        request.user.pk,
        restriction_key(request.user, view.get_model(), access),
        timezone.localdate(),
        translation.get_language(),
    )


def prepared_list(view, request) -> PreparedList | None:
    """The kept queries of ``view``'s list for this request's shape (built on first use), or
    ``None`` when the list is not served from kept queries."""
    key = _shape(view, request)
    if key in _lists:
        return _lists[key]
    queryset = view.get_queryset()
    plan = lean_plan_for(view, queryset)
    prepared = None
    if plan is not None and plan.shareable:
        rows = lean_queryset(plan, queryset)
        paginator = view.paginator
        keys = ordering_keys(rows)
        paginator.keys = keys
        key_fields = paginator.key_fields(paginator.page_queryset(rows, False))
        prepared = PreparedList(plan, rows, keys, queryset.model._meta.pk.name, key_fields)
    if len(_lists) >= MAX_SHAPES:
        _lists.clear()
    _lists[key] = prepared
    return prepared


def prepared_page(view, request) -> tuple[Plan, list[dict], str] | None:
    """The lean plan, the page of rows (as the paginator gives them) and the database of
    ``view``'s list, read with the shape's kept SQL; ``None`` when this request is not served
    from kept queries."""
    prepared = prepared_list(view, request)
    if prepared is None:
        return None
    paginator = view.paginator
    paginator.start(request, prepared.keys, prepared.pk_name)
    cursor = paginator.decode_cursor(request)
    reverse = bool(cursor and cursor[0])
    values = None if cursor is None else paginator.cursor_values(prepared.key_fields, cursor)
    page = prepared.page(paginator, reverse, values)
    if page is None:
        return None
    rows = page.rows(prepared.rows.db, values or [])
    return prepared.plan, paginator.finish(rows, cursor), prepared.rows.db
