"""The lean read path of the API's lists (issue 15): a page read with ``values()`` of only the
columns its serializer shows, the ids of many-valued relations aggregated in the same query
(PostgreSQL's ``ARRAY``; elsewhere, one query per relation for the page's rows, as a prefetch),
and each row turned into the serializer's output by the serializer's own fields, without a model
instance per row. The JSON is the same as the full path's
(``tests/cap_portal/test_lean_lists.py`` compares them for every list).

A serializer is served this way only when every field it shows is one whose output is known from
columns (:func:`lean_plan`); any other field (a nested serializer, a hyperlink, a property, a
method, a serializer with its own ``to_representation``…) sends the list down the full path, so
that an unforeseen field costs speed, never a different answer. A serializer can say what such a
field reads, so that it is served too (``Meta.lean_reads``), and a related field what it reads of
its object (``lean_attribute``):

- ``Meta.lean_reads = {"is_overdue": ("status", "deadline")}``: the field (here a method field)
  reads only these columns of the row's object; it is computed, by the field itself, on a shell of
  the model holding only them (the model's own rule, no second spelling of it);
- ``lean_attribute = "code"`` on a related field: its ``to_representation`` reads only this
  attribute of the related object, given a shell of that object holding it.

The plan of a serializer whose fields are the same for every request is kept between requests
(:func:`lean_plan_for`): building a ModelSerializer's fields costs more than turning a page into
output. A shell is the model's class without ``__init__`` (no signals, no row conversion), holding only
the columns read; a field that reads anything else would query the database, which is refused
while rows are turned into output (:class:`LeanReadError`): a wrong declaration fails loudly.
"""

from __future__ import annotations

import copy
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Model, OuterRef
from django.db.models.base import ModelState
from django.db.models.query_utils import DeferredAttribute
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers
from rest_framework.fields import SkipField, empty
from rest_framework.generics import GenericAPIView
from rest_framework.settings import ISO_8601, api_settings

# Serializer fields whose ``to_representation`` depends on the value alone (as the model
# attribute holds it), by the class that defines it.
VALUE_FIELDS = (
    drf_fields.BooleanField,
    drf_fields.CharField,
    drf_fields.UUIDField,
    drf_fields.IntegerField,
    drf_fields.FloatField,
    drf_fields.DecimalField,
    drf_fields.DateTimeField,
    drf_fields.DateField,
    drf_fields.TimeField,
    drf_fields.DurationField,
    drf_fields.ChoiceField,
    drf_fields.ReadOnlyField,
    drf_fields.JSONField,
    *([drf_fields.BigIntegerField] if hasattr(drf_fields, "BigIntegerField") else []),
)
VALUE_REPRESENTATIONS = {cls.__dict__["to_representation"] for cls in VALUE_FIELDS}
PLAIN_GET_ATTRIBUTE = {
    drf_fields.Field.get_attribute,
    relations.RelatedField.get_attribute,
    relations.ManyRelatedField.get_attribute,
}
SKIP = object()


def _shareable_methods(name: str) -> set:
    """The ``name`` methods of the serializer classes that build the same fields for every request."""
    from cap_portal.api.serializers import BaseModelSerializer, PlainTextMixin

    classes = (serializers.Field, serializers.BaseSerializer, serializers.Serializer)
    classes += (serializers.ModelSerializer, PlainTextMixin, BaseModelSerializer)
    return {klass.__dict__[name] for klass in classes if name in klass.__dict__}


# BaseModelSerializer's ``__init__`` narrows the querysets of related fields to the user's (for
# input): the output of the fields is the same for every user.
SHAREABLE_SERIALIZER_METHODS = {
    name: _shareable_methods(name) for name in ("__init__", "get_fields", "fields", "get_field_names")
}


class LeanReadError(RuntimeError):
    """A field read more than the lean path gave it (a query while rows were turned into output)."""


def _defined(cls, name):
    """The function ``name`` as ``cls`` resolves it (the one defined lowest in its MRO)."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def shell(model, db, values: dict):
    """An instance of ``model`` holding only ``values`` (attnames), built without ``__init__``."""
    obj = model.__new__(model)
    obj.__dict__.update(values)
    state = obj._state = ModelState()
    state.adding, state.db = False, db
    return obj


@dataclass
class Column:
    """One field of the output: the lookups it reads and how a row becomes its value."""

    name: str
    lookups: list[str] = field(default_factory=list)
    represent: object = None  # (row, db) -> value, or SKIP to leave the field out
    many: tuple | None = None  # (related name, query name) of a many-valued relation
    # A column read as it is: the row's ``key``, None as None, any other value through
    # ``convert`` (None: as it is).
    key: str | None = None
    convert: object = None
    # For a plan kept between requests: (serializer context) -> (convert, represent) of one
    # request (its time zone, its memo, its serializer), when they are not the same for every
    # request.
    bind: object = None
    # Whether the column may serve other requests than the one it was planned for (not a method
    # of the serializer, which may read the request from its context).
    shareable: bool = True


@dataclass
class Plan:
    model: type[Model]
    columns: list[Column]
    shareable: bool = False

    @property
    def lookups(self) -> list[str]:
        pk = self.model._meta.pk.attname
        seen = {pk: None}
        for column in self.columns:
            for lookup in column.lookups:
                seen.setdefault(lookup, None)
        return list(seen)


class NotLean(Exception):
    """The field cannot be served from columns: the list takes the full path."""


def _is_plain_column(model, name) -> bool:
    """Whether the model attribute ``name`` is the column's value as read (no descriptor that
    turns it into something else, such as a file or a country)."""
    return type(getattr(model, name, None)) is DeferredAttribute


def _path(model, source_attrs: list[str]):
    """The model fields of a dotted source: (fields, whether a NULL can come on the way)."""
    opts, found, nullable = model._meta, [], False
    for index, piece in enumerate(source_attrs):
        try:
            model_field = opts.get_field(piece)
        except Exception:
            raise NotLean(piece) from None
        if not model_field.concrete:
            raise NotLean(piece)
        found.append(model_field)
        if index < len(source_attrs) - 1:
            if not (model_field.many_to_one or model_field.one_to_one):
                raise NotLean(piece)
            nullable = nullable or model_field.null
            opts = model_field.related_model._meta
    return found, nullable


def _username(model_field) -> str | None:
    """``get_username`` of a user model reads ``USERNAME_FIELD``."""
    related = model_field.related_model
    base = getattr(related, "get_username", None)
    from django.contrib.auth.base_user import AbstractBaseUser

    if base is not None and base is AbstractBaseUser.get_username:
        return related.USERNAME_FIELD
    return None


def _none_when_missing(serializer_field) -> bool:
    """Whether DRF answers None when an object on the field's path is missing (as it does when
    the last column is NULL), so that the two need not be told apart."""
    if serializer_field.default is not empty:
        return serializer_field.get_default() is None
    return serializer_field.allow_null


def _value_column(name, serializer_field, model, queryset) -> Column:
    attrs = list(serializer_field.source_attrs)
    if len(attrs) == 1 and attrs[0] in queryset.query.annotations:
        lookup = attrs[0]
    else:
        if len(attrs) >= 2 and attrs[-1] == "get_username":
            fields, _nullable = _path(model, attrs[:-1])
            username = _username(fields[-1]) if fields[-1].many_to_one else None
            if username is None:
                raise NotLean(name)
            attrs = [*attrs[:-1], username]
        fields, nullable = _path(model, attrs)
        last = fields[-1]
        if last.is_relation or not _is_plain_column(last.model, last.attname):
            raise NotLean(name)
        if nullable and not _none_when_missing(serializer_field):
            raise NotLean(name)
        lookup = "__".join(attrs)
    if isinstance(serializer_field, drf_fields.DateTimeField) and not hasattr(serializer_field, "timezone"):
        # The request's time zone, looked up once rather than for every value by ``enforce_timezone``.
        def bind(context):
            request_field = copy.copy(serializer_field)
            request_field.timezone = request_field.default_timezone()
            return _timestamps(request_field), None

        return Column(name, [lookup], key=lookup, bind=bind)
    return Column(name, [lookup], key=lookup, convert=serializer_field.to_representation)


def _timestamps(request_field):
    """The request's ``DateTimeField.to_representation`` for the aware datetimes a timestamp
    column holds, in DRF's default format (ISO 8601): ``astimezone`` to the request's zone,
    ``isoformat``, UTC written "Z", as DRF writes them, without its look-ups per value (3.2 →
    2.4 µs a value, ``timeit``; a page of 50 has 100 timestamps). Anything else (a naive value,
    another format, no time zone, a date beyond the zone's range) goes through DRF;
    ``test_lean_timestamps.py`` compares the two value for value in several zones, and
    ``test_lean_lists.py`` every list's output with DRF's byte for byte."""
    through_drf = request_field.to_representation
    zone = request_field.timezone
    output_format = getattr(request_field, "format", api_settings.DATETIME_FORMAT)
    if zone is None or output_format is None or output_format.lower() != ISO_8601:
        return through_drf

    def represent(value):
        if value.__class__ is not datetime.datetime or value.tzinfo is None:
            return through_drf(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return through_drf(value)
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return represent


def _pk_column(name, serializer_field, model) -> Column:
    if serializer_field.pk_field is not None:
        raise NotLean(name)
    fields, nullable = _path(model, list(serializer_field.source_attrs))
    last = fields[-1]
    if not last.many_to_one and not last.one_to_one:
        raise NotLean(name)
    if len(fields) > 1:
        raise NotLean(name)  # DRF reads a missing object on the way as no value: keep it simple
    return Column(name, [last.attname], key=last.attname)


def _object_column(name, serializer_field, model, attribute: str) -> Column:
    """A field whose ``to_representation`` reads ``attribute`` of a related object."""
    fields, nullable = _path(model, list(serializer_field.source_attrs))
    last = fields[-1]
    if not (last.many_to_one or last.one_to_one):
        raise NotLean(name)
    related = last.related_model
    try:
        target = related._meta.get_field(attribute)
    except Exception:
        raise NotLean(name) from None
    if not target.concrete or target.is_relation:
        raise NotLean(name)
    if nullable and not _none_when_missing(serializer_field):
        raise NotLean(name)
    path = "__".join(serializer_field.source_attrs)
    key, value_lookup = f"{path}__{related._meta.pk.name}", f"{path}__{attribute}"
    attname = target.attname
    to_representation = serializer_field.to_representation

    def bind(context):
        # The field reads nothing else of the object: one output per value for the request (a
        # page's rows share their Party, their funding source…).
        memo = {}

        def represent(row, db):
            if row[key] is None:
                return None
            value = row[value_lookup]
            try:
                return memo[value]
            except KeyError:
                output = memo[value] = to_representation(shell(related, db, {attname: value}))
                return output
            except TypeError:  # a value that cannot be a key (a JSON list…)
                return to_representation(shell(related, db, {attname: value}))

        return None, represent

    return Column(name, [key, value_lookup], bind=bind)


def _many_column(name, serializer_field, model) -> Column:
    child = serializer_field.child_relation
    if _defined(type(child), "to_representation") is not relations.PrimaryKeyRelatedField.to_representation:
        raise NotLean(name)
    if child.pk_field is not None or len(serializer_field.source_attrs) != 1:
        raise NotLean(name)
    try:
        relation = model._meta.get_field(serializer_field.source_attrs[0])
    except Exception:
        raise NotLean(name) from None
    if not (relation.many_to_many or relation.one_to_many):
        raise NotLean(name)
    related = relation.related_model
    if related._default_manager.all().query.where:
        raise NotLean(name)  # a manager that filters: left to the full path
    # The name by which the related model reaches back to this one.
    query_name = relation.field.name if relation.auto_created else relation.related_query_name()
    return Column(name, [], many=(related, query_name), key=f"_lean_{name}")


def _hinted_column(name, serializer_field, model, reads) -> Column:
    attnames = []
    for attribute in reads:
        model_field = model._meta.get_field(attribute)
        if not model_field.concrete or model_field.many_to_many:
            raise ValueError(f"lean_reads of {name!r}: {attribute!r} is not a column")
        attnames.append(model_field.attname)
    pk = model._meta.pk.attname
    cls = type(serializer_field)
    if (
        _defined(cls, "to_representation") is serializers.SerializerMethodField.to_representation
        and _defined(cls, "get_attribute") is drf_fields.Field.get_attribute
    ):
        return _method_column(name, serializer_field, model, pk, attnames)
    get_attribute, to_representation = serializer_field.get_attribute, serializer_field.to_representation

    def represent(row, db):
        obj = shell(model, db, {attname: row[attname] for attname in (pk, *attnames)})
        try:
            attribute = get_attribute(obj)
        except SkipField:
            return SKIP
        check = attribute.pk if isinstance(attribute, relations.PKOnlyObject) else attribute
        return None if check is None else to_representation(attribute)

    # A method of the serializer may read the request (its context): planned for each request.
    shareable = _defined(type(serializer_field), "to_representation") in VALUE_REPRESENTATIONS
    return Column(name, attnames, represent, shareable=shareable)


def _method_column(name, serializer_field, model, pk, attnames) -> Column:
    """A method field (``source="*"``): the serializer's method given the row's shell."""
    serializer, method_name = serializer_field.parent, serializer_field.method_name

    def bind(context):
        # The method is the serializer's, and may read its context: this request's serializer
        # (a copy of the planned one, its fields already built).
        request_serializer = copy.copy(serializer)
        request_serializer._context = context
        method = getattr(request_serializer, method_name)

        def represent(row, db):
            return method(shell(model, db, {attname: row[attname] for attname in (pk, *attnames)}))

        return None, represent

    return Column(name, attnames, bind=bind)


def _column(name, serializer_field, model, queryset, reads) -> Column:
    cls = type(serializer_field)
    if name in reads:
        return _hinted_column(name, serializer_field, model, reads[name])
    if isinstance(serializer_field, serializers.BaseSerializer):
        raise NotLean(name)
    if _defined(cls, "get_attribute") not in PLAIN_GET_ATTRIBUTE:
        raise NotLean(name)
    if serializer_field.source == "*":
        raise NotLean(name)
    representation = _defined(cls, "to_representation")
    if isinstance(serializer_field, relations.ManyRelatedField):
        return _many_column(name, serializer_field, model)
    attribute = getattr(serializer_field, "lean_attribute", None)
    if attribute is not None:
        return _object_column(name, serializer_field, model, attribute)
    if representation is relations.SlugRelatedField.to_representation:
        if "__" in serializer_field.slug_field:
            raise NotLean(name)
        return _object_column(name, serializer_field, model, serializer_field.slug_field)
    if representation is relations.PrimaryKeyRelatedField.to_representation:
        return _pk_column(name, serializer_field, model)
    if isinstance(serializer_field, relations.RelatedField):
        raise NotLean(name)
    if representation in VALUE_REPRESENTATIONS:
        return _value_column(name, serializer_field, model, queryset)
    raise NotLean(name)


def lean_plan(serializer, queryset) -> Plan | None:
    """How to serve ``queryset`` through ``serializer`` (a list's child serializer) from
    columns, or None when some field cannot be (the list takes the full path)."""
    cls = type(serializer)
    if _defined(cls, "to_representation") is not serializers.Serializer.to_representation:
        return None
    meta = getattr(cls, "Meta", None)
    if getattr(meta, "list_serializer_class", serializers.ListSerializer) is not serializers.ListSerializer:
        return None
    model = queryset.model
    if getattr(meta, "model", model) is not model:
        return None
    reads = getattr(meta, "lean_reads", {})
    columns = []
    for name, serializer_field in serializer.fields.items():
        if serializer_field.write_only:
            continue
        try:
            columns.append(_column(name, serializer_field, model, queryset, reads))
        except NotLean:
            return None
    shareable = all(column.shareable for column in columns) and all(
        _defined(cls, name) in SHAREABLE_SERIALIZER_METHODS[name] for name in SHAREABLE_SERIALIZER_METHODS
    )
    return Plan(model, columns, shareable)


# Plans of serializers whose fields are the same for every request, by (serializer class, model,
# annotations of the queryset): building a serializer's fields costs more than a page's rows.
_plans: dict[tuple, Plan] = {}


def lean_plan_for(view, queryset) -> Plan | None:
    """:func:`lean_plan` of ``view``'s serializer, kept between requests when it may be."""
    if type(view).get_serializer is not GenericAPIView.get_serializer:
        return lean_plan(view.get_serializer(), queryset)
    key = (view.get_serializer_class(), queryset.model, tuple(queryset.query.annotations))
    plan = _plans.get(key)
    if plan is None:
        plan = lean_plan(view.get_serializer(), queryset)
        if plan is not None and plan.shareable:
            _plans[key] = plan
    return plan


def _related(column: Column):
    """The related rows of ``column``'s relation, in the order a prefetch or ``.all()`` gives."""
    related, query_name = column.many
    rows = related._default_manager.all()
    return rows, query_name, [*(rows.query.order_by or related._meta.ordering or []), "pk"]


def arrays_in_sql(db: str) -> bool:
    """Whether the ids of a relation are read in the page's own query (PostgreSQL's ARRAY); on
    other databases they are read after it, one query per relation (:func:`_related_ids`)."""
    return connections[db].vendor == "postgresql"


def lean_queryset(plan: Plan, queryset):
    """``queryset`` as rows of the plan's columns (no prefetch: the relations come with the row on
    PostgreSQL, after the page elsewhere)."""
    rows = queryset.prefetch_related(None).values(*plan.lookups)
    if arrays_in_sql(queryset.db):
        from django.contrib.postgres.expressions import ArraySubquery

        arrays = {}
        for column in plan.columns:
            if column.many:
                related, query_name, ordering = _related(column)
                ids = related.filter(**{query_name: OuterRef("pk")}).order_by(*ordering).values("pk")
                arrays[column.key] = ArraySubquery(ids)
        rows = rows.annotate(**arrays)
    return rows


def _related_ids(column: Column, pks: list, db: str) -> dict:
    """The ids of ``column``'s relation for each of ``pks``, in the related model's order (the
    order a prefetch or ``.all()`` gives them)."""
    ids = defaultdict(list)
    if not pks:
        return ids
    related, query_name, ordering = _related(column)
    rows = related.using(db).filter(**{f"{query_name}__in": pks}).values_list(query_name, "pk")
    for owner, pk in rows.order_by(*ordering):
        ids[owner].append(pk)
    return ids


def _refuse(execute, sql, params, many, context):
    raise LeanReadError(f"A field of a lean list read the database: {sql}")


def lean_data(plan: Plan, rows: list[dict], db: str, context: dict) -> list[dict]:
    """The output of the rows, as the serializer's ``.data`` gives it for model instances
    (``context``: the serializer's, ``get_serializer_context()``)."""
    pk = plan.model._meta.pk.attname
    pks = [row[pk] for row in rows]
    in_sql = arrays_in_sql(db)
    many = {
        column.name: _related_ids(column, pks, db) for column in plan.columns if column.many and not in_sql
    }
    steps = []
    for column in plan.columns:
        convert, represent = column.bind(context) if column.bind else (column.convert, column.represent)
        steps.append((column.name, None if column.many and not in_sql else column.key, convert, represent))
    data = []
    with connections[db].execute_wrapper(_refuse):
        for row in rows:
            item = {}
            for name, key, convert, represent in steps:
                if key is not None:
                    value = row[key]
                    item[name] = value if value is None or convert is None else convert(value)
                elif represent is None:
                    item[name] = many[name].get(row[pk], [])
                else:
                    value = represent(row, db)
                    if value is not SKIP:
                        item[name] = value
            data.append(item)
    return data
