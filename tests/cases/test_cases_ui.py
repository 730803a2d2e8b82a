"""The cases UI: list, detail and edit pages for every role through the generic mixins, the
selection board, CAP case transitions, and the compliance picture on the Party page."""

import datetime

import pytest
from django.urls import reverse

from cases.models import (
    CapCase,
    ComplianceCase,
    ComplianceMechanism,
    EligibilityAssessment,
    Meeting,
    Recommendation,
)
from tests.mixins import UIListTests

from .factories import (
    CapCaseFactory,
    ComplianceCaseFactory,
    ComplianceMeasureFactory,
    ComplianceMechanismFactory,
    EligibilityAssessmentFactory,
    MeetingFactory,
    ProgressRatingFactory,
    RecommendationFactory,
    StakeholderFactory,
    TechnicalMissionFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


class TestMeetingUI(UIListTests):
    model = Meeting

    def make_object(self, party):
        return MeetingFactory()

    def list_url(self):
        return reverse("cases:meeting_list")


class TestMechanismUI(UIListTests):
    model = ComplianceMechanism

    def make_object(self, party):
        return ComplianceMechanismFactory()

    def list_url(self):
        return reverse("cases:mechanism_list")


class TestComplianceCaseUI(UIListTests):
    model = ComplianceCase

    def make_object(self, party):
        return ComplianceCaseFactory(party=party)

    def list_url(self):
        return reverse("cases:compliancecase_list")


class TestRecommendationUI(UIListTests):
    model = Recommendation

    def make_object(self, party):
        return RecommendationFactory(party=party)

    def list_url(self):
        return reverse("cases:recommendation_list")


class TestCapCaseUI(UIListTests):
    model = CapCase

    def make_object(self, party):
        return CapCaseFactory(party=party)

    def list_url(self):
        return reverse("cases:capcase_list")


# --- Selection board -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status",
    [
        ("case_manager", 200),
        ("secretariat_viewer", 200),
        ("ma_focal_point", 403),
        ("sa_focal_point", 403),
        ("donor_observer", 403),
    ],
)
def test_selection_board_is_for_the_secretariat(role, status, world, client):
    CapCaseFactory(party=world.own)
    client.force_login(world.users[role])
    assert client.get(reverse("cases:selection_board")).status_code == status


def test_selection_board_ranks_with_reasons_and_records_a_decision(world, client):
    heavy = CapCaseFactory(party=world.own)
    light = CapCaseFactory(party=world.other)
    for _ in range(2):
        ComplianceCaseFactory(
            party=world.own, mechanism=ComplianceMechanismFactory(), opened_on=D(2015, 1, 1)
        )
    RecommendationFactory(party=world.own, deadline=D(2020, 1, 1))
    ComplianceCaseFactory(party=world.other, mechanism=ComplianceMechanismFactory(), opened_on=D(2024, 1, 1))
    assessment = EligibilityAssessmentFactory(cap_case=heavy, committed=True)
    client.force_login(world.users["case_manager"])
    response = client.get(reverse("cases:selection_board"))
    rows = response.context["rows"]
    assert [r.cap_case for r in rows] == [heavy, light]
    page = response.content.decode()
    assert "criterion a: under 2 compliance mechanism(s)" in page
    assert "recommendation past its deadline" in page
    assert page.index("Togo") < page.index("Nigeria")

    response = client.post(
        reverse("cases:assessment_decide", args=[assessment.pk]),
        {"decision": "long_list", "reason": "Two mechanisms, overdue recommendations."},
    )
    assert response.status_code == 302
    heavy.refresh_from_db()
    assessment.refresh_from_db()
    assert heavy.stage == "long_list" and assessment.decision == "long_list"
    assert "Two mechanisms" in client.get(reverse("cases:selection_board")).content.decode()


def test_viewer_cannot_record_a_decision_from_the_ui(world, client):
    assessment = EligibilityAssessmentFactory(cap_case=CapCaseFactory(party=world.own))
    client.force_login(world.users["secretariat_viewer"])
    response = client.post(
        reverse("cases:assessment_decide", args=[assessment.pk]), {"decision": "long_list", "reason": "x"}
    )
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.decision == ""


def test_case_manager_assesses_a_candidate_from_the_ui(world, client):
    cap_case = CapCaseFactory(party=world.own)
    client.force_login(world.users["case_manager"])
    response = client.post(
        reverse("cases:assessment_add"),
        {
            "cap_case": cap_case.pk,
            "assessed_on": "2025-03-01",
            "export_significance": "high",
            "potential_for_impact": "medium",
            "committed": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assessment = EligibilityAssessment.objects.get()
    assert assessment.assessor == world.users["case_manager"] and assessment.committed


# --- CAP case page -------------------------------------------------------------------------------


def test_cap_case_page_shows_history_missions_and_stakeholders(world, client):
    cap_case = CapCaseFactory(party=world.own)
    TechnicalMissionFactory(cap_case=cap_case, place="Lomé")
    StakeholderFactory(cap_case=cap_case, name="UNDP country office")
    client.force_login(world.users["case_manager"])
    response = client.post(
        reverse("cases:capcase_transition", args=[cap_case.pk]),
        {"to_stage": "long_list", "reason": "Desk review found two mechanisms."},
    )
    assert response.status_code == 302
    page = client.get(cap_case.get_absolute_url()).content.decode()
    assert "Desk review found two mechanisms." in page
    assert "Lomé" in page and "UNDP country office" in page
    client.force_login(world.users["ma_focal_point"])
    page = client.get(cap_case.get_absolute_url()).content.decode()
    assert "Desk review found two mechanisms." in page
    assert "Record the transition" not in page


def test_transition_from_the_ui_by_a_focal_point_is_403(world, client):
    cap_case = CapCaseFactory(party=world.own)
    client.force_login(world.users["ma_focal_point"])
    response = client.post(
        reverse("cases:capcase_transition", args=[cap_case.pk]), {"to_stage": "long_list", "reason": "x"}
    )
    assert response.status_code == 403
    cap_case.refresh_from_db()
    assert cap_case.stage == "candidate" and not cap_case.transitions.exists()


def test_transition_not_in_the_table_from_the_ui_is_refused(world, client):
    cap_case = CapCaseFactory(party=world.own)
    client.force_login(world.users["case_manager"])
    response = client.post(
        reverse("cases:capcase_transition", args=[cap_case.pk]),
        {"to_stage": "closed", "reason": "x"},
        follow=True,
    )
    assert "not one of the available choices" in response.content.decode()
    cap_case.refresh_from_db()
    assert cap_case.stage == "candidate" and not cap_case.transitions.exists()


def test_recommendation_form_refuses_a_deadline_before_the_meeting(world, client):
    meeting = MeetingFactory(starts_on=D(2019, 8, 17), ends_on=D(2019, 8, 17))
    client.force_login(world.users["case_manager"])
    response = client.post(
        reverse("cases:recommendation_add"),
        {
            "party": world.own.pk,
            "adopted_at": meeting.pk,
            "reference": "SC71 SR",
            "text": "Too early",
            "area": "legislative",
            "deadline": "2019-01-01",
            "status": "open",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"deadline"}
    assert 'id="id_deadline_error"' in response.content.decode()
    assert not Recommendation.objects.exists()


def test_recommendation_page_shows_the_status_history(world, client):
    recommendation = RecommendationFactory(party=world.own)
    client.force_login(world.users["case_manager"])
    client.post(
        reverse("cases:recommendation_edit", args=[recommendation.pk]),
        {
            "party": world.own.pk,
            "adopted_at": recommendation.adopted_at.pk,
            "reference": recommendation.reference,
            "text": recommendation.text,
            "area": recommendation.area,
            "deadline": "2024-06-30",
            "status": "implemented",
        },
    )
    client.force_login(world.users["sa_focal_point"])
    response = client.get(recommendation.get_absolute_url())
    assert [c.status for c in response.context["status_history"]] == ["open", "implemented"]


# --- The Party page's compliance picture ---------------------------------------------------------


@pytest.fixture
def togo_record(world):
    case = ComplianceCaseFactory(
        party=world.own, mechanism=ComplianceMechanism.objects.get(code="rst"), species="Pandinus imperator"
    )
    return {
        "case": case,
        "overdue": RecommendationFactory(
            party=world.own, text="Overdue NDF request.", deadline=D(2020, 1, 1)
        ),
        "later": RecommendationFactory(
            party=world.own,
            text="Future quota review.",
            deadline=datetime.date.today() + datetime.timedelta(days=60),
        ),
        "done": RecommendationFactory(party=world.own, text="Implemented long ago.", status="implemented"),
        "quota": ComplianceMeasureFactory(
            party=world.own,
            kind="export_quota",
            species="Pandinus imperator",
            export_quota=20000,
            quota_unit="specimens",
        ),
        "ended": ComplianceMeasureFactory(
            party=world.own,
            kind="suspend_commercial_trade",
            species="Ended suspension sp.",
            in_effect_from=D(2016, 1, 1),
            in_effect_to=D(2024, 9, 30),
        ),
        "rating": ProgressRatingFactory(
            compliance_case=case, rating="achieved", meeting=MeetingFactory(number=77)
        ),
        "old_rating": ProgressRatingFactory(
            compliance_case=case,
            rating="challenging",
            meeting=MeetingFactory(starts_on=D(2019, 1, 1), ends_on=D(2019, 1, 2)),
        ),
    }


@pytest.mark.parametrize(
    "role, sees_own, sees_other",
    [
        ("case_manager", True, True),
        ("secretariat_viewer", True, True),
        ("ma_focal_point", True, False),
        ("sa_focal_point", True, False),
        ("donor_observer", False, False),
    ],
)
def test_party_page_compliance_picture_per_role(role, sees_own, sees_other, world, client, togo_record):
    ComplianceCaseFactory(party=world.other, species="Other Party species")
    client.force_login(world.users[role])
    own_page = client.get(world.own.get_absolute_url()).content.decode()
    other_page = client.get(world.other.get_absolute_url()).content.decode()
    assert ('id="compliance-picture"' in own_page) is sees_own
    assert ("Other Party species" in other_page) is sees_other
    if sees_own:
        assert "Pandinus imperator" in own_page
        assert "Overdue NDF request." in own_page and "Future quota review." in own_page
        assert "Implemented long ago." not in own_page
        assert "20000 specimens" in own_page and "Ended suspension sp." not in own_page
        assert "Achieved" in own_page and "Challenging" not in own_page


def test_party_page_marks_overdue_recommendations(world, client, togo_record):
    client.force_login(world.users["ma_focal_point"])
    response = client.get(world.own.get_absolute_url())
    picture = response.context["compliance"]
    assert picture.overdue_count == 1
    flags = {r.text: r.overdue for r in picture.pending_recommendations}
    assert flags == {"Overdue NDF request.": True, "Future quota review.": False}
    assert "1 overdue" in response.content.decode()
