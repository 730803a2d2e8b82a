"""Helpers of the IATI tests: the 2.03 schema, and an independent reader of the file's money."""

from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from lxml import etree

SCHEMA_DIR = Path("/work/shared/standards/iati-2.03")


@pytest.fixture(scope="session")
def iati_schema():
    """The IATI 2.03 activity schema, as published (``iati-activities-schema.xsd``)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


def assert_valid(schema, content: bytes) -> None:
    document = etree.fromstring(content)
    if not schema.validate(document):
        raise AssertionError("\n".join(str(error) for error in schema.error_log))


def money_totals(content: bytes) -> dict:
    """Read back with the standard library's reader (not lxml): per activity identifier and for
    the file, the budget total and the total of each transaction type, as ``Decimal``."""
    root = ElementTree.fromstring(content)
    totals: dict = defaultdict(lambda: defaultdict(Decimal))
    for activity in root.iter("iati-activity"):
        identifier = activity.findtext("iati-identifier")
        for budget in activity.findall("budget"):
            value = Decimal(budget.findtext("value"))
            totals[identifier]["budget"] += value
            totals["file"]["budget"] += value
        for transaction in activity.findall("transaction"):
            kind = transaction.find("transaction-type").get("code")
            value = Decimal(transaction.findtext("value"))
            totals[identifier][kind] += value
            totals["file"][kind] += value
    return totals


def figures_of(totals: dict) -> dict:
    """The file's totals under the funding page's names (budget; 2 committed; 1 received; 4 spent)."""
    return {
        "budget": totals["budget"],
        "committed": totals["2"],
        "received": totals["1"],
        "spent": totals["4"],
    }
