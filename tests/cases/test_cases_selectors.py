"""The ranking rule, the derived 'in effect' and 'overdue', the status history, and the sample
portfolio."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases import selectors
from cases.choices import MechanismKind
from cases.models import (
    CapCase,
    ComplianceCase,
    ComplianceMeasure,
    ComplianceMechanism,
    Meeting,
    ProgressRating,
    Recommendation,
    TechnicalMission,
)
from cases.selectors import CandidateFacts, candidate_ranking, recommendation_status_history, score_candidate
from tests.factories import new_party

from .factories import (
    CapCaseFactory,
    ComplianceCaseFactory,
    ComplianceMeasureFactory,
    ComplianceMechanismFactory,
    EligibilityAssessmentFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2025, 3, 1)


# --- The pure rule -------------------------------------------------------------------------------


def test_more_mechanisms_and_overdue_recommendations_score_higher():
    light = CandidateFacts(mechanisms=("RST",), years_under=2)
    heavy = CandidateFacts(mechanisms=("Article XIII", "RST"), years_under=2, overdue_recommendations=3)
    assert score_candidate(heavy).score > score_candidate(light).score
    expected = 2 * selectors.POINTS_PER_MECHANISM + 2 * selectors.POINTS_PER_YEAR_UNDER
    expected += 3 * selectors.POINTS_PER_OVERDUE_RECOMMENDATION + selectors.POINTS_GEOGRAPHICAL_BALANCE
    assert score_candidate(heavy).score == expected


def test_every_point_has_a_reason():
    facts = CandidateFacts(
        mechanisms=("Article XIII",),
        processes=("NIAP",),
        years_under=14,
        measures_in_effect=1,
        overdue_recommendations=2,
        region_has_beneficiary=True,
        assessed=True,
        export_significance="high",
        committed=True,
        focal_point_nominated=True,
        formal_request=True,
        ongoing_projects=True,
        potential_for_impact="medium",
    )
    score = score_candidate(facts)
    assert score.eligible
    assert score.score == sum(r.points for r in score.reasons)
    texts = [r.text for r in score.reasons]
    assert any("criterion a" in t and "Article XIII" in t for t in texts)
    assert any("criterion b" in t and "NIAP" in t for t in texts)
    assert any("14 years" in t and "counted up to 10" in t for t in texts)
    assert any("criterion d" in t and "high" in t for t in texts)
    assert not any("geographical balance" in t for t in texts)
    assert (
        next(r.points for r in score.reasons if "criterion c" in r.text)
        == selectors.MAX_YEARS_COUNTED * selectors.POINTS_PER_YEAR_UNDER
    )


def test_processes_alone_are_not_eligible():
    score = score_candidate(CandidateFacts(processes=("NIAP",), years_under=3))
    assert not score.eligible
    assert any("not eligible" in r.text for r in score.reasons)
    assert any("not assessed yet" in r.text for r in score.reasons)


# --- The ranking from the data ---------------------------------------------------------------------


def _mechanism(kind=MechanismKind.MECHANISM):
    return ComplianceMechanismFactory(kind=kind)


def test_ranking_from_case_data_with_reasons(world):
    """A candidate under more mechanisms, for longer, with overdue recommendations ranks first;
    a Party under a process alone ranks after the eligible ones; beneficiaries are not ranked."""
    heavy, light, process_only = CapCaseFactory(party=world.own), CapCaseFactory(party=world.other), None
    for _ in range(2):
        ComplianceCaseFactory(party=world.own, mechanism=_mechanism(), opened_on=D(2016, 1, 1))
    RecommendationFactory(party=world.own, deadline=D(2020, 1, 1), status="open")
    RecommendationFactory(party=world.own, deadline=D(2020, 1, 1), status="implemented")
    ComplianceCaseFactory(party=world.other, mechanism=_mechanism(), opened_on=D(2023, 1, 1))
    third = new_party()
    process_only = CapCaseFactory(party=third)
    ComplianceCaseFactory(party=third, mechanism=_mechanism(MechanismKind.PROCESS), opened_on=D(2000, 1, 1))
    EligibilityAssessmentFactory(cap_case=process_only, export_significance="high", committed=True)
    CapCaseFactory(party=new_party(), stage="in_implementation")

    rows = candidate_ranking(user=world.users["secretariat_viewer"], today=TODAY)
    assert [r.cap_case for r in rows] == [heavy, light, process_only]
    assert [r.rank for r in rows] == [1, 2, 3]
    top = rows[0]
    assert top.facts.overdue_recommendations == 1  # the implemented one is not overdue
    assert top.facts.years_under == 9
    texts = [r.text for r in top.reasons]
    assert any("criterion a: under 2 compliance mechanism(s)" in t for t in texts)
    assert any("1 recommendation past its deadline" in t for t in texts)
    assert any("not assessed yet" in t for t in texts)
    assert not rows[2].eligible and rows[2].score > rows[1].score  # eligible first, whatever the score


def test_geographical_balance_comes_from_current_beneficiaries(world):
    cap_case = CapCaseFactory(party=world.own)
    ComplianceCaseFactory(party=world.own, mechanism=_mechanism())
    before = candidate_ranking(user=world.users["case_manager"], today=TODAY)[0]
    CapCaseFactory(party=world.other, stage="in_implementation")  # Nigeria: also Africa
    after = candidate_ranking(user=world.users["case_manager"], today=TODAY)[0]
    assert after.cap_case == cap_case
    assert before.score - after.score == selectors.POINTS_GEOGRAPHICAL_BALANCE


def test_equal_scores_share_a_rank(world):
    for party in (world.own, world.other):
        CapCaseFactory(party=party)
        ComplianceCaseFactory(party=party, mechanism=_mechanism(), opened_on=D(2020, 1, 1))
    assert [r.rank for r in candidate_ranking(user=world.users["case_manager"], today=TODAY)] == [1, 1]


@pytest.mark.parametrize("role", ["ma_focal_point", "sa_focal_point", "donor_observer"])
def test_ranking_is_for_the_secretariat_only(role, world):
    CapCaseFactory(party=world.own)
    assert candidate_ranking(user=world.users[role]) == []


def test_ranking_runs_a_fixed_number_of_queries(world, django_assert_num_queries):
    user = world.users["case_manager"]
    mechanism = _mechanism()

    def add_candidate():
        party = new_party()
        CapCaseFactory(party=party)
        ComplianceCaseFactory(party=party, mechanism=mechanism)
        RecommendationFactory(party=party, deadline=D(2020, 1, 1))
        ComplianceMeasureFactory(party=party)

    add_candidate()
    # roles, CAP cases, open cases, measures, overdue, served regions, assessments
    with django_assert_num_queries(7):
        assert len(candidate_ranking(user=user, today=TODAY)) == 1
    for _ in range(5):
        add_candidate()
    user = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(7):
        assert len(candidate_ranking(user=user, today=TODAY)) == 6


def test_ranking_api(world, api_client):
    CapCaseFactory(party=world.own)
    ComplianceCaseFactory(party=world.own, mechanism=_mechanism())
    api_client.force_login(world.users["secretariat_viewer"])
    rows = api_client.get(reverse("api:eligibilityassessment-ranking")).json()
    assert rows[0]["party"] == "TG" and rows[0]["rank"] == 1 and rows[0]["eligible"]
    assert any("criterion a" in r["text"] for r in rows[0]["reasons"])


# --- Derived: in effect, overdue -----------------------------------------------------------------


def test_in_effect_is_derived_from_the_dates(world):
    on = D(2025, 1, 1)
    cases = {
        "open-ended": (D(2020, 1, 1), None, True),
        "ended": (D(2016, 5, 1), D(2024, 9, 30), False),
        "not yet": (D(2025, 6, 1), None, False),
        "last day": (D(2024, 1, 1), on, True),
        "first day": (on, D(2026, 1, 1), True),
    }
    made = {
        name: ComplianceMeasureFactory(party=world.own, in_effect_from=start, in_effect_to=end)
        for name, (start, end, _) in cases.items()
    }
    current = set(ComplianceMeasure.objects.in_effect(on))
    for name, (_, _, expected) in cases.items():
        assert made[name].is_in_effect(on) is expected, name
        assert (made[name] in current) is expected, name


def test_overdue_only_for_pending_recommendations_past_their_deadline(world):
    on = D(2025, 1, 1)
    late = RecommendationFactory(party=world.own, deadline=D(2024, 12, 31), status="in_progress")
    done = RecommendationFactory(party=world.own, deadline=D(2024, 12, 31), status="implemented")
    due_today = RecommendationFactory(party=world.own, deadline=on, status="open")
    no_deadline = RecommendationFactory(party=world.own, deadline=None, status="open")
    assert set(Recommendation.objects.overdue(on)) == {late}
    assert late.is_overdue(on) and not done.is_overdue(on)
    assert not due_today.is_overdue(on) and not no_deadline.is_overdue(on)


def test_status_history_lists_each_change_with_who(world, api_client):
    recommendation = RecommendationFactory(party=world.own)
    api_client.force_login(world.users["case_manager"])
    url = reverse("api:recommendation-detail", args=[recommendation.pk])

    def patch(data):  # as a client does: read the version, write with If-Match
        response = api_client.patch(url, data, format="json", HTTP_IF_MATCH=api_client.get(url)["ETag"])
        assert response.status_code == 200, response.content

    patch({"status": "in_progress"})
    patch({"text": "Reworded."})  # not a status change
    patch({"status": "implemented"})
    history = recommendation_status_history(recommendation)
    assert [h.status for h in history] == ["open", "in_progress", "implemented"]
    assert history[-1].changed_by == world.users["case_manager"]


# --- The sample portfolio --------------------------------------------------------------------------


def test_sample_portfolio_is_loaded_from_the_documents_and_idempotent():
    call_command("load_sample_data")
    counts = {
        m: m.objects.count() for m in (Meeting, ComplianceCase, Recommendation, ComplianceMeasure, CapCase)
    }
    call_command("load_sample_data")
    assert counts == {m: m.objects.count() for m in counts}
    beneficiaries = {"KH", "GN", "LA", "NG", "SB", "SR", "TG", "VN"}
    in_implementation = CapCase.objects.filter(stage="in_implementation")
    assert {str(c.party.code) for c in in_implementation} == beneficiaries
    assert all(c.case_manager and c.case_manager.username == "casemanager" for c in in_implementation)
    assert CapCase.objects.filter(stage__in=["candidate", "long_list"]).count() >= 3
    assert {m.code for m in Meeting.objects.all()} >= {
        "SC70",
        "SC71",
        "SC77",
        "SC78",
        "AC33",
        "CoP18",
        "CoP19",
    }
    togo_rst = set(
        ComplianceCase.objects.filter(party__code="TG", mechanism__code="rst").values_list(
            "species", flat=True
        )
    )
    assert togo_rst == {"Pandinus imperator", "Chamaeleo gracilis", "Varanus ornatus", "Python regius"}
    quota = ComplianceMeasure.objects.get(party__code="TG", kind="export_quota")
    assert (quota.export_quota, quota.species, quota.adopted_at.code) == (20000, "Pandinus imperator", "AC33")
    assert (
        ProgressRating.objects.get(compliance_case__party__code="KH", meeting__number=77).rating == "achieved"
    )
    assert Recommendation.objects.filter(party__code="NG", text__contains="Pterocarpus erinaceus").exists()
    assert Recommendation.objects.filter(party__code="GN", reference="SC71 SR").count() == 7
    solomon = TechnicalMission.objects.get(cap_case__party__code="SB")
    assert (solomon.starts_on, solomon.ends_on) == (D(2023, 9, 12), D(2023, 9, 15))
    hanoi = TechnicalMission.objects.get(cap_case__party__code="VN")
    assert (hanoi.place, hanoi.starts_on, hanoi.ends_on) == ("Hanoi", D(2024, 11, 18), D(2024, 11, 22))
    assert ComplianceMechanism.objects.count() == 7
    ranking = candidate_ranking(user=CapCase.objects.first().case_manager)
    assert ranking and ranking[0].reasons
