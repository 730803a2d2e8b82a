"""API lists page by cursor (keyset pagination, issue 15): ``next`` and ``previous`` are links
with an opaque ``?cursor=``; a page is read with ``WHERE (ordering columns) > (those of the last
row shown) … LIMIT``, so page 1,000 costs what page 1 costs, and no request counts the whole list
unless it asks for the count (``?count=true``).

The order is each list's own (its queryset's ``order_by``, or its model's ``Meta.ordering``,
relations followed to their models' ordering as Django does), with the primary key added as the
last key: rows that tie on every column keep one order, so walking the pages shows each row
exactly once. A cursor holds the values of every key of the row it follows (or precedes), so ties
need no offset; NULLs are placed where the database places them by default.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections import OrderedDict
from dataclasses import dataclass, replace

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections
from django.db.models import F, OrderBy, Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from cap_portal.pagination import list_count

ALIAS = "_cursor_{}"
TRUE, FALSE = {"true", "1"}, {"false", "0", ""}


@dataclass(frozen=True)
class Key:
    """One column of a list's order: an expression, its direction, where its NULLs go."""

    expression: object
    descending: bool = False
    nullable: bool = True
    nulls_first: bool = False
    alias: str = "pk"

    def reversed(self) -> Key:
        return replace(self, descending=not self.descending, nulls_first=not self.nulls_first)

    def order_by(self) -> OrderBy:
        if not self.nullable:
            return OrderBy(F(self.alias), descending=self.descending)
        if self.nulls_first:
            return OrderBy(F(self.alias), descending=self.descending, nulls_first=True)
        return OrderBy(F(self.alias), descending=self.descending, nulls_last=True)

    def equal(self, value) -> Q:
        return Q(**{f"{self.alias}__isnull": True}) if value is None else Q(**{self.alias: value})

    def after(self, value) -> Q | None:
        """The rows strictly after ``value`` in this key's order (None: no row can be)."""
        if value is None:
            return Q(**{f"{self.alias}__isnull": False}) if self.nulls_first else None
        after = Q(**{f"{self.alias}__{'lt' if self.descending else 'gt'}": value})
        if self.nullable and not self.nulls_first:
            after |= Q(**{f"{self.alias}__isnull": True})
        return after


def _query_ordering(queryset) -> list:
    """The ordering Django compiles for ``queryset`` (``SQLCompiler._order_by_pairs``'s choice)."""
    query = queryset.query
    if query.extra_order_by:
        raise ImproperlyConfigured("Cursor pagination does not support extra(order_by=…).")
    if not query.default_ordering or query.order_by:
        return list(query.order_by)
    return list(query.get_meta().ordering or [])


def _resolve(model, lookup: str):
    """The last field of ``lookup`` from ``model``, and whether a NULL can come on its way."""
    opts, field, nullable = model._meta, None, False
    pieces = lookup.split("__")
    for index, piece in enumerate(pieces):
        field = opts.pk if piece == "pk" else opts.get_field(piece)
        nullable = nullable or field.null
        if index < len(pieces) - 1:
            if not field.is_relation or field.many_to_many or field.one_to_many:
                raise ImproperlyConfigured(f"Cursor pagination cannot order by {lookup!r}.")
            opts = field.related_model._meta
    return field, nullable


def _expand(model, lookup: str, descending: bool, seen: frozenset) -> list[tuple[str, bool, bool]]:
    """(lookup, descending, nullable) of each column an ordering name stands for, following a
    relation to its model's ``Meta.ordering`` as ``SQLCompiler.find_ordering_name`` does."""
    field, nullable = _resolve(model, lookup)
    related = field.related_model._meta.ordering if field.is_relation else None
    if related and lookup.split("__")[-1] not in (field.attname, "pk"):
        if lookup in seen:
            raise ImproperlyConfigured(f"Infinite loop in the ordering of {lookup!r}.")
        keys = []
        for item in related:
            if not isinstance(item, str):
                raise ImproperlyConfigured(f"Cursor pagination cannot follow the ordering of {lookup!r}.")
            sub = item.lstrip("-")
            sub_lookup = lookup + "__" + (field.related_model._meta.pk.name if sub == "pk" else sub)
            for name, desc, null in _expand(
                model, sub_lookup, descending ^ item.startswith("-"), seen | {lookup}
            ):
                keys.append((name, desc, null or nullable))
        return keys
    return [(lookup, descending, nullable)]


def ordering_keys(queryset) -> list[Key]:
    """The keys of ``queryset``'s order, ending with its primary key (added when absent)."""
    model = queryset.model
    nulls_largest = connections[queryset.db].features.nulls_order_largest
    keys: list[Key] = []
    seen: set = set()

    def add(expression, descending, nullable, nulls_first=None, name=None):
        if name is not None:
            if name in seen:
                return
            seen.add(name)
        if nulls_first is None:  # where the database puts NULLs when not told
            nulls_first = descending if nulls_largest else not descending
        keys.append(Key(expression, descending, nullable, nulls_first, ALIAS.format(len(keys))))

    for item in _query_ordering(queryset):
        if isinstance(item, str):
            if item == "?":
                raise ImproperlyConfigured("Cursor pagination cannot page a random order.")
            descending, name = item.startswith("-"), item.lstrip("-")
            if name in queryset.query.annotations:
                add(F(name), descending, True, name=name)
                continue
            for lookup, desc, nullable in _expand(model, name, descending, frozenset()):
                lookup = model._meta.pk.name if lookup == "pk" else lookup
                if lookup == model._meta.pk.name:  # unique: nothing after it changes the order
                    keys.append(Key(F("pk"), desc, False, False, "pk"))
                    return keys
                add(F(lookup), desc, nullable, name=lookup)
        else:
            order = item if isinstance(item, OrderBy) else item.asc()
            expression, nullable = order.expression, True
            if isinstance(expression, F):
                try:
                    nullable = _resolve(model, expression.name)[1]
                except (FieldDoesNotExist, ImproperlyConfigured):
                    nullable = True
            nulls_first = True if order.nulls_first else (False if order.nulls_last else None)
            add(expression, order.descending, nullable, nulls_first)
    descending = keys[-1].descending if keys else False
    keys.append(Key(F("pk"), descending, False, False, "pk"))
    return keys


def after_position(keys: list[Key], values: list) -> Q | None:
    """The rows after the position ``values`` in the order of ``keys`` (lexicographic, NULLs
    where each key puts them): ``a₁ after v₁ OR (a₁ = v₁ AND (a₂ after v₂ OR (…)))``."""
    condition = None
    for key, value in reversed(list(zip(keys, values, strict=True))):
        after = key.after(value)
        if condition is not None:
            tie = key.equal(value) & condition
            after = tie if after is None else after | tie
        condition = after
    return condition


def _json_value(value):
    """A key's value in the cursor: JSON's own types as they are, dates in ISO 8601, anything
    else (Decimal, UUID) as text; the column's ``to_python`` reads them back."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _value_of(row, alias: str, pk_name: str):
    if isinstance(row, dict):  # a values() list: its primary key may go by its name
        return row[alias] if alias != "pk" or "pk" in row else row[pk_name]
    return getattr(row, alias)


class StandardPagination(CursorPagination):
    """Pages of 50 by default; ``?page_size=`` from 1 up to 500 (a larger size gives 500); a page
    size that is not a positive whole number is a 400 naming ``page_size``, not silently the
    default. ``?cursor=`` as the ``next``/``previous`` links give it (a cursor that is not one is
    a 400 naming ``cursor``); ``?count=true`` adds ``count``, the number of rows of the whole
    (filtered) list, which may lag behind writes by ``LIST_COUNT_CACHE_SECONDS``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    cursor_query_param = "cursor"
    count_query_param = "count"
    cursor_query_description = _(
        "Where the page starts: the cursor of the previous answer's next or previous link."
    )
    page_size_query_description = _("Rows per page: 1 to 500, 50 by default.")
    count_query_description = _(
        "true: the answer also gives count, the number of rows of the whole list with these filters."
    )
    invalid_cursor_message = _("This cursor is not valid: follow the next or previous link of a list.")
    ordering = ("pk",)  # unused: each list keeps its own order (see the module's docstring)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                },
                code="invalid",
            )
        return min(size, self.max_page_size)

    def wants_count(self, request) -> bool:
        raw = request.query_params.get(self.count_query_param)
        if raw is None or raw.lower() in FALSE:
            return False
        if raw.lower() in TRUE:
            return True
        raise ValidationError(
            {self.count_query_param: [_("Enter true or false.")]},
            code="invalid",
        )

    def invalid_cursor(self):
        return ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}, code="invalid")

    def decode_cursor(self, request):
        """(reverse, values) of the request's cursor, or None for the first page."""
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii") + b"==="))
            reverse, values = bool(payload["r"]), payload["v"]
        except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error):
            raise self.invalid_cursor() from None
        if not isinstance(values, list) or len(values) != len(self.keys):
            raise self.invalid_cursor()
        if any(isinstance(value, dict | list) for value in values):
            raise self.invalid_cursor()
        return reverse, values

    def key_fields(self, rows) -> list:
        """The model field of each key's column in ``rows`` (a :meth:`page_queryset`)."""
        return [
            rows.model._meta.pk if key.alias == "pk" else rows.query.annotations[key.alias].output_field
            for key in self.keys
        ]

    def checked_values(self, fields: list, values: list) -> list:
        """The cursor's values as their columns' Python values (``fields``: :meth:`key_fields`),
        refused (ValidationError, ValueError) when a column could not hold them: a cursor is read
        from the address, and must not reach the database with a number out of range or a NUL
        byte."""
        checked = []
        for field, value in zip(fields, values, strict=True):
            if value is not None:
                if isinstance(value, str) and "\x00" in value:
                    raise ValueError("NUL byte")
                value = field.to_python(value)
                field.run_validators(value)
            checked.append(value)
        return checked

    def cursor_values(self, fields: list, cursor) -> list:
        """The cursor's values checked (:meth:`checked_values`), or the 400 of a cursor that is not one."""
        try:
            return self.checked_values(fields, cursor[1])
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            raise self.invalid_cursor() from None

    def encode_cursor(self, reverse: bool, row) -> str:
        values = [_json_value(_value_of(row, key.alias, self.pk_name)) for key in self.keys]
        payload = json.dumps({"r": int(reverse), "v": values}, separators=(",", ":"))
        encoded = base64.urlsafe_b64encode(payload.encode()).decode("ascii").rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def paginate_queryset(self, queryset, request, view=None):
        self.start(request, ordering_keys(queryset), queryset.model._meta.pk.name)
        cursor = self.decode_cursor(request)
        reverse = bool(cursor and cursor[0])
        rows = self.page_queryset(queryset, reverse)
        if cursor is not None:
            values = self.cursor_values(self.key_fields(rows), cursor)
            try:
                condition = after_position(self.ordered_keys(reverse), values)
            except (DjangoValidationError, ValueError, TypeError, OverflowError):
                raise self.invalid_cursor() from None
            rows = rows.filter(condition)
        return self.finish(list(rows[: self.page_size + 1]), cursor, queryset)

    def start(self, request, keys: list[Key], pk_name: str) -> None:
        """Read the request's page size and count, for a list ordered by ``keys``."""
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = remove_query_param(request.build_absolute_uri(), self.cursor_query_param)
        self.want_count = self.wants_count(request)
        self.keys = keys
        self.pk_name = pk_name

    def ordered_keys(self, reverse: bool) -> list[Key]:
        return [key.reversed() for key in self.keys] if reverse else self.keys

    def page_queryset(self, queryset, reverse: bool):
        """``queryset`` with its keys' columns (``_cursor_<n>``) in the order of a page read forward
        or backward; the cursor's condition and the LIMIT are the caller's."""
        annotations = {key.alias: key.expression for key in self.keys if key.alias != "pk"}
        order = [key.order_by() for key in self.ordered_keys(reverse)]
        return queryset.annotate(**annotations).order_by(*order)

    def finish(self, rows: list, cursor, queryset=None) -> list:
        """The page of ``rows`` (read with :meth:`page_queryset`, at most ``page_size + 1``), its
        links and its count (``queryset``: the list, counted when asked)."""
        reverse = bool(cursor and cursor[0])
        has_more = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        if reverse:
            self.page.reverse()
            self.has_previous, self.has_next = has_more, True
        else:
            self.has_previous, self.has_next = cursor is not None, has_more
        self.next_link = self.encode_cursor(False, self.page[-1]) if self.has_next and self.page else None
        self.previous_link = (
            self.encode_cursor(True, self.page[0]) if self.has_previous and self.page else None
        )
        aliases = [key.alias for key in self.keys if key.alias != "pk"]
        for row in self.page:
            if isinstance(row, dict):  # the cursor's columns are not the list's
                for alias in aliases:
                    row.pop(alias, None)
        self.count = None
        if self.want_count:
            # One page and nothing before it: that is the whole list, no need to count.
            whole = cursor is None and not has_more
            self.count = len(self.page) if whole else list_count(queryset)[0]
        self.display_page_controls = self.template is not None and (self.has_previous or self.has_next)
        return self.page

    def get_next_link(self):
        return self.next_link

    def get_previous_link(self):
        return self.previous_link

    def get_paginated_response(self, data):
        body = OrderedDict()
        if self.count is not None:
            body["count"] = self.count
        body.update(next=self.get_next_link(), previous=self.get_previous_link(), results=data)
        return Response(body)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["next", "previous", "results"]
        example = "https://cap.example.org/api/v1/parties/?cursor="
        response["properties"]["next"]["example"] = example + "eyJyIjowLCJ2IjpbIlRvZ28iLDE4NF19"
        response["properties"]["previous"]["example"] = example + "eyJyIjoxLCJ2IjpbIlR1cmtleSIsMTg1XX0"
        response["properties"] = {
            "count": {
                "type": "integer",
                "description": "With ?count=true only: the rows of the whole list with these filters.",
                "example": 123,
            },
            **response["properties"],
        }
        return response

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.count_query_param,
                "required": False,
                "in": "query",
                "description": str(self.count_query_description),
                "schema": {"type": "boolean"},
            },
        ]
