"""The overall findings and conclusions: every heading of the SC78 document with evidence computed
from the data as of the report's date, in the Secretariat's voice (singular and plural forms, no
"0 …" sentences); results enter the Impact finding only once accepted."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.models import Result, Stakeholder
from cases.services import result_record, result_review
from reports import services
from reports.choices import SectionKind as K
from reports.composers import ComposeContext, compose
from reports.selectors import report_as_of
from tests.budgets import factories as ff
from tests.cases.factories import TechnicalMissionFactory
from tests.workplans.factories import IndicatorFactory, ProgressUpdateFactory, make_recommendation
from workplans.choices import ReviewStatus

from .conftest import make_report

pytestmark = pytest.mark.django_db

FINDING_KINDS = [
    K.FINDINGS,
    K.FINDING_SELECTION,
    K.FINDING_IMPACT,
    K.FINDING_OWNERSHIP,
    K.FINDING_SUSTAINABILITY,
    K.FINDING_ADAPTABILITY,
    K.FINDING_TIMEFRAMES,
    K.FINDING_EXPECTATIONS,
    K.FINDING_FINANCE,
    K.FINDING_ABSORPTION,
    K.FINDING_GENDER,
    K.FINDING_MANAGEMENT,
    K.COOPERATION,
    K.CONCLUSIONS,
]
# A count of zero written as a figure: "0 other", "(0 …", ", 0 …".
ZERO_COUNT = re.compile(r"(^|[\s(,:;])0 ")


def record_quota_result(
    world, cap_case, *, accept=True, title="The Animals Committee accepted an annual export quota"
):
    result = result_record(
        user=world.users["ma_focal_point"],
        data={
            "cap_case": cap_case,
            "title": title,
            "achieved_on": datetime.date(2024, 7, 19),
            "species": "Pandinus imperator",
            "quota": Decimal("20000"),
            "quota_unit": "specimens",
            "document_reference": "AC33 SR",
            "is_example": True,
        },
    )
    if accept:
        result = result_review(result=result, user=world.users["case_manager"], accept=True)
    return result


@pytest.fixture
def sample_like(world, portfolio):
    """The report portfolio (Togo: workplan, mission, events, an accepted deliverable) with what
    the findings read besides: legal instruments (Togo's extended once), funds received and spent,
    recommendations, an accepted result cited as an example, an accepted progress update from the
    MA focal point, an indicator counting people by sex and a partner."""
    togo = ff.make_instrument(world.own)
    ff.make_extension(world.own, instrument=togo)  # 90 days from 31 December 2024: 3 months
    ff.make_instrument(world.other)
    ff.make_installment(
        world.own, instrument=togo, amount=Decimal("10000.00"), received_on=datetime.date(2024, 3, 1)
    )
    line = ff.make_line(world.own, workplan=portfolio.workplan)
    ff.ExpenditureFactory(budget_line=line, amount=Decimal("2500.00"))
    make_recommendation(world.own, status="implemented")
    make_recommendation(world.own, text="Strengthen the SA.")
    record_quota_result(world, portfolio.togo_case)
    ProgressUpdateFactory(
        activity=portfolio.activities[2],
        submitted_by=world.users["ma_focal_point"],
        review_status=ReviewStatus.ACCEPTED,
        reviewed_by=world.users["case_manager"],
        reviewed_at=timezone.now(),
    )
    IndicatorFactory(workplan=portfolio.workplan)
    Stakeholder.objects.create(
        cap_case=portfolio.togo_case, name="UNDP country office", kind="un_agency", role="Funds."
    )
    return portfolio


def findings(report) -> dict[str, str]:
    return {kind: services.section_default(report.sections.get(kind=kind)) for kind in FINDING_KINDS}


def today_report(world, **values):
    return make_report([world.own, world.other], as_of=timezone.localdate(), **values)


def test_every_finding_heading_has_evidence_from_the_data(world, sample_like):
    texts = findings(today_report(world))
    assert all(texts[kind].strip() for kind in FINDING_KINDS), [k for k in FINDING_KINDS if not texts[k]]
    impact = texts[K.FINDING_IMPACT]
    assert "1 of the 2 recommendations" in impact and "has been implemented" in impact
    assert (
        "- Togo: the Animals Committee accepted an annual export quota "
        "(Pandinus imperator; quota: 20,000 specimens; AC33 SR)." in impact
    )
    assert (
        "Of the 4 activities of the workplans in force, 4 are led by the national authorities"
        in (texts[K.FINDING_OWNERSHIP])
    )
    assert "The progress update accepted by" in texts[K.FINDING_OWNERSHIP]
    assert "was submitted by the Party's focal point" in texts[K.FINDING_OWNERSHIP]
    timeframes = texts[K.FINDING_TIMEFRAMES]
    assert "In Nigeria and Togo, the legal instruments" in timeframes and "of 12 months" in timeframes
    assert "1 of the 2 legal instruments had to go through a no-cost extension" in timeframes
    assert "adding 3 months in total (Togo: 3 months)" in timeframes
    assert "4 activities; 2 had been completed" in texts[K.FINDING_EXPECTATIONS]
    assert (
        "2 of the 2 legal instruments were signed with the Management Authorities" in texts[K.FINDING_FINANCE]
    )
    assert "USD 10,000.00" in texts[K.FINDING_FINANCE]
    assert "Per Party: Togo 25.0%" in texts[K.FINDING_ABSORPTION]
    assert "40 participants: 17 women (42%) and 23 men." in texts[K.FINDING_GENDER]
    assert "1 indicator of the workplans in force counts people by sex." in texts[K.FINDING_GENDER]
    assert "UNDP country office (Togo)" in texts[K.COOPERATION]
    assert "express its appreciation to the European Union and Switzerland" in texts[K.CONCLUSIONS]


def test_a_result_enters_the_impact_finding_only_once_accepted(world, portfolio):
    result = record_quota_result(world, portfolio.togo_case, accept=False)
    report = today_report(world)
    section = report.sections.get(kind=K.FINDING_IMPACT)
    assert "Pandinus imperator" not in services.section_default(section)
    result_review(result=result, user=world.users["case_manager"], accept=True)
    assert "Togo: the Animals Committee accepted" in services.section_default(section)


def test_a_result_accepted_after_the_as_of_date_is_not_cited(world, portfolio):
    record_quota_result(world, portfolio.togo_case)  # accepted today
    report = make_report([world.own], as_of=timezone.localdate() - datetime.timedelta(days=1))
    assert "Pandinus imperator" not in services.section_default(report.sections.get(kind=K.FINDING_IMPACT))


def _compose(world, kind, parties=None):
    report = today_report(world)
    parties = parties or [world.other, world.own]
    return compose(kind, ComposeContext(report, report_as_of(report), parties)).body


def test_singular_and_plural_forms_in_english(world, portfolio):
    assert "The Secretariat undertook 1 technical mission (Lomé)." in _compose(world, K.FINDING_MANAGEMENT)
    assert "1 result achieved by the beneficiary Parties has been accepted" not in _compose(
        world, K.CONCLUSIONS
    )
    record_quota_result(world, portfolio.togo_case)
    assert "1 result achieved by the beneficiary Parties has been accepted" in _compose(world, K.CONCLUSIONS)
    assert "The following result, accepted by the Secretariat, illustrates" in _compose(
        world, K.FINDING_IMPACT
    )
    TechnicalMissionFactory(cap_case=portfolio.togo_case, place="Kara", starts_on=datetime.date(2024, 5, 2))
    record_quota_result(world, portfolio.togo_case, title="A second quota")
    assert "The Secretariat undertook 2 technical missions (Kara and Lomé)." in _compose(
        world, K.FINDING_MANAGEMENT
    )
    assert "2 results achieved by the beneficiary Parties have been accepted" in _compose(
        world, K.CONCLUSIONS
    )
    assert "The following results, accepted by the Secretariat, illustrate" in _compose(
        world, K.FINDING_IMPACT
    )
    assert "This report covers 1 beneficiary Party," in _compose(world, K.FINDING_SELECTION, [world.own])
    assert "This report covers 2 beneficiary Parties," in _compose(world, K.FINDING_SELECTION)


def test_no_sentence_counts_zero(world, sample_like):
    """Nothing recorded as "other" participants, no late reports: the count of zero is left out
    (once "… 18 men and 0 other or not recorded")."""
    assert not Result.objects.exclude(review_status=ReviewStatus.ACCEPTED).exists()
    for texts in (findings(today_report(world)), findings(make_report([world.own, world.other]))):
        for kind, text in texts.items():
            assert not ZERO_COUNT.search(text), (kind, text)
            assert "0 other" not in text


def test_no_sentence_counts_zero_when_nothing_is_recorded(world):
    texts = findings(make_report([world.own, world.other]))
    for kind, text in texts.items():
        assert text.strip(), kind
        assert not ZERO_COUNT.search(text), (kind, text)
    assert "appreciation to the Parties that have provided" in texts[K.CONCLUSIONS]
