"""The IATI 2.03 activity file, built with lxml from ``iati.selectors`` (no text templating: every
value is escaped by the XML library). Elements follow the order of the 2.03 schema
(``iati-activities-schema.xsd``); tests validate the output against it."""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext
from lxml import etree

from budgets.choices import Currency

from . import codes
from .selectors import ActivityRecord, Org, Scope, activity_records, reporting_org


def _text(value) -> str:
    return "" if value is None else str(value)


def _number(value: Decimal) -> str:
    """A decimal as plain digits (no exponent): 12500.00, 3."""
    return f"{Decimal(value):f}"


def _narratives(parent, text: str) -> None:
    """A ``narrative`` in the file's language (its ``xml:lang`` is the activity's)."""
    etree.SubElement(parent, "narrative").text = _text(text)


def _element(parent, tag: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): _text(v) for k, v in attributes.items()})
    if text is not None:
        _narratives(element, text)
    return element


def _org(parent, tag: str, org: Org, **attributes):
    extra = {"ref": org.ref} if org.ref else {}
    if org.type:
        extra["type"] = org.type
    return _element(parent, tag, org.name, **attributes, **extra)


def _value(parent, tag: str, amount: Decimal, value_date):
    """A money value, always in USD (the portal's reporting currency), dated."""
    element = etree.SubElement(parent, tag, {"currency": Currency.USD, "value-date": value_date.isoformat()})
    element.text = _number(amount)
    return element


def _activity(root, record: ActivityRecord, language: str, generated: datetime) -> None:
    activity = etree.SubElement(
        root,
        "iati-activity",
        {
            codes.XML_LANG: language,
            "default-currency": settings.IATI_DEFAULT_CURRENCY,
            "last-updated-datetime": generated.isoformat(timespec="seconds"),
            "hierarchy": "1",
        },
    )
    etree.SubElement(activity, "iati-identifier").text = record.identifier
    _org(activity, "reporting-org", reporting_org())
    _element(activity, "title", record.title)
    _element(activity, "description", record.description, type=codes.DESCRIPTION_GENERAL)
    for org in record.funders:
        _org(activity, "participating-org", org, role=codes.FUNDING)
    _org(activity, "participating-org", reporting_org(), role=codes.EXTENDING)
    for org in record.implementers:
        _org(activity, "participating-org", org, role=codes.IMPLEMENTING)
    etree.SubElement(activity, "activity-status", code=record.status)
    for date_type, day in record.dates:
        etree.SubElement(activity, "activity-date", {"type": date_type, "iso-date": day.isoformat()})
    etree.SubElement(activity, "recipient-country", code=str(record.cap_case.party.code), percentage="100")
    etree.SubElement(
        activity,
        "sector",
        vocabulary=settings.IATI_SECTOR_VOCABULARY,
        code=settings.IATI_SECTOR_CODE,
        percentage="100",
    )
    for budget in record.budgets:
        element = etree.SubElement(activity, "budget", type=budget.type, status=budget.status)
        etree.SubElement(element, "period-start", {"iso-date": budget.start.isoformat()})
        etree.SubElement(element, "period-end", {"iso-date": budget.end.isoformat()})
        _value(element, "value", budget.value, budget.start)
    for transaction in record.transactions:
        element = etree.SubElement(activity, "transaction")
        etree.SubElement(element, "transaction-type", code=transaction.type)
        etree.SubElement(element, "transaction-date", {"iso-date": transaction.day.isoformat()})
        _value(element, "value", transaction.value, transaction.day)
        _element(element, "description", transaction.description)
        if transaction.provider:
            _org(element, "provider-org", transaction.provider)
        if transaction.receiver:
            _org(element, "receiver-org", transaction.receiver)
    for result in record.results:
        _result(activity, result, record)


def _result(activity, result, record: ActivityRecord) -> None:
    element = etree.SubElement(activity, "result", type=codes.RESULT_OUTPUT)
    _element(element, "title", result.title)
    workplan = record.workplan
    for item in result.indicators:
        indicator = item.indicator
        measure = codes.MEASURE_PERCENTAGE if indicator.unit.strip() == "%" else codes.MEASURE_UNIT
        node = etree.SubElement(element, "indicator", measure=measure, ascending="1")
        _element(node, "title", indicator.name)
        _element(node, "description", gettext("Unit: %(unit)s") % {"unit": indicator.unit})
        etree.SubElement(
            node,
            "baseline",
            {
                "year": str(workplan.starts_on.year),
                "iso-date": workplan.starts_on.isoformat(),
                "value": _number(indicator.baseline),
            },
        )
        periods = [(v.period_start, v.period_end, v) for v in item.values] or [
            (workplan.starts_on, workplan.ends_on, None)
        ]
        for start, end, value in periods:
            period = etree.SubElement(node, "period")
            etree.SubElement(period, "period-start", {"iso-date": start.isoformat()})
            etree.SubElement(period, "period-end", {"iso-date": end.isoformat()})
            etree.SubElement(period, "target", value=_number(indicator.target))
            if value is not None and value.value is not None:
                actual = etree.SubElement(period, "actual", value=_number(value.value))
                by_sex = [(sex, getattr(value, sex)) for sex in value.SEX_FIELDS]
                if indicator.counts_people and any(count is not None for _sex, count in by_sex):
                    # The total stays on the one actual (a reader summing actuals counts nobody
                    # twice); the split by sex goes to its comment.
                    text = ", ".join(f"{sex}: {count}" for sex, count in by_sex if count is not None)
                    _element(actual, "comment", text)


def activities_document(scope: Scope, *, user) -> bytes:
    """The IATI 2.03 ``iati-activities`` file of the scope, as UTF-8 bytes with an XML
    declaration. Narratives are written in ``IATI_DEFAULT_LANGUAGE``."""
    language = settings.IATI_DEFAULT_LANGUAGE
    generated = timezone.now().replace(microsecond=0)
    with translation.override(language):
        records = activity_records(scope, user=user)
        if not records:
            # The schema wants at least one activity: an empty scope has no file.
            raise Http404(gettext("Nothing in this scope is published."))
        root = etree.Element(
            "iati-activities", {"version": codes.VERSION, "generated-datetime": generated.isoformat()}
        )
        for record in records:
            _activity(root, record, language, generated)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
