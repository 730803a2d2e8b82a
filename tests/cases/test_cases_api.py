"""The cases API: CRUD and access for every model through the generic mixins, filters, and the
bad inputs that must answer 400 with the field named and write nothing."""

import datetime

import pytest
from django.urls import reverse

from cap_portal.concurrency import etag_for
from cases.models import (
    CapCase,
    ComplianceCase,
    ComplianceMeasure,
    ComplianceMechanism,
    EligibilityAssessment,
    Meeting,
    ProgressRating,
    Recommendation,
    Stakeholder,
    TechnicalMission,
)
from tests.mixins import APIViewTestCases, date_reads_per_page

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


class TestMeetingAPI(APIViewTestCases.CRUD):
    model = Meeting
    basename = "meeting"

    def make_object(self, party):
        return MeetingFactory()

    def create_payload(self, party):
        return {
            "body": "SC",
            "number": 79,
            "starts_on": "2025-11-24",
            "ends_on": "2025-11-28",
            "venue": "Samarkand",
        }

    def update_payload(self):
        return {"venue": "Samarkand (Uzbekistan)"}


class TestComplianceMechanismAPI(APIViewTestCases.CRUD):
    model = ComplianceMechanism
    basename = "mechanism"

    def make_object(self, party):
        return ComplianceMechanismFactory()

    def create_payload(self, party):
        return {
            "code": "totoaba",
            "name": "Totoaba action plan",
            "short_name": "Totoaba",
            "kind": "process",
            "legal_basis": "Decisions 19.73 to 19.77",
            "concerns_species": True,
        }

    def update_payload(self):
        return {"legal_basis": "Decisions 19.73 to 19.78"}


class TestComplianceCaseAPI(APIViewTestCases.CRUD):
    model = ComplianceCase
    basename = "compliancecase"

    def make_object(self, party):
        return ComplianceCaseFactory(party=party)

    def create_payload(self, party):
        return {
            "party": str(party.code),
            "mechanism": "rst",
            "species": "Python regius",
            "opened_on": "2019-07-01",
        }

    def update_payload(self):
        return {"summary": "NDF submitted to the Animals Committee."}


class TestRecommendationAPI(APIViewTestCases.CRUD):
    model = Recommendation
    basename = "recommendation"

    def make_object(self, party):
        return RecommendationFactory(party=party)

    def create_payload(self, party):
        meeting = MeetingFactory(starts_on=D(2019, 8, 17), ends_on=D(2019, 8, 17))
        return {
            "party": str(party.code),
            "adopted_at": meeting.pk,
            "reference": "SC71 SR",
            "text": "Develop a protocol for the making of NDFs.",
            "area": "scientific",
            "deadline": "2021-06-30",
        }

    def update_payload(self):
        return {"status": "implemented"}


class TestComplianceMeasureAPI(APIViewTestCases.CRUD):
    model = ComplianceMeasure
    basename = "compliancemeasure"

    def make_object(self, party):
        return ComplianceMeasureFactory(party=party)

    def create_payload(self, party):
        return {
            "party": str(party.code),
            "kind": "export_quota",
            "species": "Pandinus imperator",
            "in_effect_from": "2024-10-01",
            "export_quota": 20000,
            "quota_unit": "specimens",
        }

    def update_payload(self):
        return {"notification": "2024/101"}


class TestProgressRatingAPI(APIViewTestCases.CRUD):
    model = ProgressRating
    basename = "progressrating"
    party_field = "compliance_case"

    def make_object(self, party):
        return ProgressRatingFactory(compliance_case=ComplianceCaseFactory(party=party))

    def create_payload(self, party):
        case = ComplianceCaseFactory(party=party)
        return {"compliance_case": case.pk, "meeting": MeetingFactory().pk, "rating": "achieved"}

    def update_payload(self):
        return {"rating": "substantially_achieved"}


class TestCapCaseAPI(APIViewTestCases.CRUD):
    model = CapCase
    basename = "capcase"

    def make_object(self, party):
        return CapCaseFactory(party=party)

    def create_payload(self, party):
        return {"party": str(party.code), "summary": "Candidate after SC78."}

    def update_payload(self):
        return {"summary": "Long-term compliance issues under RST."}


class TestEligibilityAssessmentAPI(APIViewTestCases.CRUD):
    model = EligibilityAssessment
    basename = "eligibilityassessment"
    party_field = "cap_case"

    def make_object(self, party):
        return EligibilityAssessmentFactory(cap_case=CapCaseFactory(party=party))

    def create_payload(self, party):
        return {"cap_case": CapCaseFactory(party=party).pk, "export_significance": "high", "committed": True}

    def update_payload(self):
        return {"notes": "Formal request expected after SC78."}


class TestTechnicalMissionAPI(APIViewTestCases.CRUD):
    model = TechnicalMission
    basename = "mission"
    party_field = "cap_case"

    def make_object(self, party):
        return TechnicalMissionFactory(cap_case=CapCaseFactory(party=party))

    def create_payload(self, party):
        return {
            "cap_case": CapCaseFactory(party=party).pk,
            "starts_on": "2024-11-18",
            "ends_on": "2024-11-22",
            "place": "Hanoi",
            "partners": "UNCTAD ASYCUDA",
            "purpose": "Feasibility assessment for e-permitting.",
        }

    def update_payload(self):
        return {"needs": "ICT readiness."}


class TestStakeholderAPI(APIViewTestCases.CRUD):
    model = Stakeholder
    basename = "stakeholder"
    party_field = "cap_case"

    def make_object(self, party):
        return StakeholderFactory(cap_case=CapCaseFactory(party=party))

    def create_payload(self, party):
        return {
            "cap_case": CapCaseFactory(party=party).pk,
            "name": "UNDP country office",
            "kind": "un_agency",
            "role": "Manages the CAP funds.",
        }

    def update_payload(self):
        return {"role": "Administrative and financial aspects of the CAP."}


# --- Bad input: 400 naming the field, nothing written --------------------------------------------


def _errors(response):
    return {e["attr"]: e["detail"] for e in response.json()["errors"]}


def test_recommendation_deadline_before_its_meeting_is_refused(world, api_client):
    """A deadline before the meeting that adopted the recommendation: 400 on 'deadline', nothing written."""
    meeting = MeetingFactory(starts_on=D(2019, 8, 17), ends_on=D(2019, 8, 17))
    api_client.force_login(world.users["case_manager"])
    response = api_client.post(
        reverse("api:recommendation-list"),
        {
            "party": "TG",
            "adopted_at": meeting.pk,
            "reference": "SC71 SR",
            "text": "Too early.",
            "area": "legislative",
            "deadline": "2019-01-31",
        },
        format="json",
    )
    assert response.status_code == 400
    errors = _errors(response)
    assert set(errors) == {"deadline"}
    assert "cannot be before the meeting" in errors["deadline"]
    assert not Recommendation.objects.exists()


def test_recommendation_update_to_a_bad_deadline_changes_nothing(world, api_client):
    recommendation = RecommendationFactory(party=world.own)
    api_client.force_login(world.users["case_manager"])
    response = api_client.patch(
        reverse("api:recommendation-detail", args=[recommendation.pk]),
        {"deadline": "2000-01-01"},
        format="json",
        HTTP_IF_MATCH=etag_for(recommendation),
    )
    assert response.status_code == 400 and set(_errors(response)) == {"deadline"}
    recommendation.refresh_from_db()
    assert recommendation.deadline == D(2024, 6, 30)


def test_measure_ending_before_it_starts_is_refused(world, api_client):
    api_client.force_login(world.users["case_manager"])
    response = api_client.post(
        reverse("api:compliancemeasure-list"),
        {"party": "TG", "kind": "warning", "in_effect_from": "2024-01-01", "in_effect_to": "2023-12-31"},
        format="json",
    )
    assert response.status_code == 400
    errors = _errors(response)
    assert set(errors) == {"in_effect_to"}
    assert "cannot end before it starts" in errors["in_effect_to"]
    assert not ComplianceMeasure.objects.exists()


def test_export_quota_measure_needs_the_quota(world, api_client):
    api_client.force_login(world.users["case_manager"])
    response = api_client.post(
        reverse("api:compliancemeasure-list"),
        {"party": "TG", "kind": "export_quota", "in_effect_from": "2024-01-01"},
        format="json",
    )
    assert response.status_code == 400 and set(_errors(response)) == {"export_quota"}
    assert not ComplianceMeasure.objects.exists()


def test_mission_ending_before_it_starts_is_refused(world, api_client):
    cap_case = CapCaseFactory(party=world.own)
    api_client.force_login(world.users["case_manager"])
    response = api_client.post(
        reverse("api:mission-list"),
        {
            "cap_case": cap_case.pk,
            "starts_on": "2023-09-15",
            "ends_on": "2023-09-12",
            "place": "X",
            "purpose": "Y",
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(_errors(response)) == {"ends_on"}
    assert not TechnicalMission.objects.exists()


def test_species_mechanism_case_needs_the_species(world, api_client):
    """RST concerns species: a case under it without a species is refused on 'species'."""
    api_client.force_login(world.users["case_manager"])
    response = api_client.post(
        reverse("api:compliancecase-list"),
        {"party": "TG", "mechanism": "rst", "opened_on": "2019-07-01"},
        format="json",
    )
    assert response.status_code == 400 and set(_errors(response)) == {"species"}
    assert not ComplianceCase.objects.exists()


def test_case_opened_at_a_meeting_takes_its_date(world, api_client):
    meeting = MeetingFactory(starts_on=D(2018, 10, 1), ends_on=D(2018, 10, 5))
    api_client.force_login(world.users["case_manager"])
    response = api_client.post(
        reverse("api:compliancecase-list"),
        {"party": "NG", "mechanism": "article-xiii", "opened_at": meeting.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["opened_on"] == "2018-10-01"


def test_cap_case_stage_cannot_be_written_directly(world, api_client):
    """The stage is read-only on the CAP case: it changes only through the transition action."""
    cap_case = CapCaseFactory(party=world.own)
    api_client.force_login(world.users["case_manager"])
    response = api_client.patch(
        reverse("api:capcase-detail", args=[cap_case.pk]),
        {"stage": "selected"},
        format="json",
        HTTP_IF_MATCH=etag_for(cap_case),
    )
    assert response.status_code == 200
    cap_case.refresh_from_db()
    assert cap_case.stage == "candidate"


# --- Filters and derived fields ------------------------------------------------------------------


def test_measure_in_effect_is_derived_and_filterable(world, api_client):
    """'in_effect' comes from the dates (never stored); ?in_effect=true|false filters on it."""
    today = datetime.date.today()
    current = ComplianceMeasureFactory(party=world.own, in_effect_from=D(2020, 1, 1))
    ended = ComplianceMeasureFactory(
        party=world.own, in_effect_from=D(2016, 5, 1), in_effect_to=D(2024, 9, 30)
    )
    future = ComplianceMeasureFactory(party=world.own, in_effect_from=today + datetime.timedelta(days=30))
    ends_today = ComplianceMeasureFactory(party=world.own, in_effect_from=D(2020, 1, 1), in_effect_to=today)
    api_client.force_login(world.users["sa_focal_point"])
    url = reverse("api:compliancemeasure-list")
    rows = {r["id"]: r["in_effect"] for r in api_client.get(url).json()["results"]}
    assert rows == {current.pk: True, ended.pk: False, future.pk: False, ends_today.pk: True}
    ids = lambda **q: {r["id"] for r in api_client.get(url, q).json()["results"]}  # noqa: E731
    assert ids(in_effect="true") == {current.pk, ends_today.pk}
    assert ids(in_effect="false") == {ended.pk, future.pk}
    assert "in_effect" not in {f.name for f in ComplianceMeasure._meta.get_fields()}


def test_recommendation_filters_and_overdue_flag(world, api_client):
    today = datetime.date.today()
    overdue = RecommendationFactory(party=world.own, deadline=D(2024, 6, 30), status="in_progress")
    done = RecommendationFactory(
        party=world.own, deadline=D(2024, 6, 30), status="implemented", area="legislative"
    )
    later = RecommendationFactory(party=world.other, deadline=today + datetime.timedelta(days=90))
    api_client.force_login(world.users["secretariat_viewer"])
    url = reverse("api:recommendation-list")
    rows = {r["id"]: r for r in api_client.get(url).json()["results"]}
    assert (
        rows[overdue.pk]["is_overdue"]
        and not rows[done.pk]["is_overdue"]
        and not rows[later.pk]["is_overdue"]
    )
    assert rows[overdue.pk]["body"] == "SC"
    ids = lambda **q: {r["id"] for r in api_client.get(url, q).json()["results"]}  # noqa: E731
    assert ids(overdue="true") == {overdue.pk}
    assert ids(overdue="false") == {done.pk, later.pk}
    assert ids(party="NG") == {later.pk}
    assert ids(area="legislative") == {done.pk}
    assert ids(status=["open", "in_progress"]) == {overdue.pk, later.pk}


@pytest.mark.parametrize("lean", [True, False], ids=["lean list", "full list"])
def test_a_recommendations_page_reads_the_readers_date_once(world, api_client, monkeypatch, lean):
    """Whether a recommendation is overdue is decided against the reader's date, read once per
    page (it was read for every pending row: about a fifth of a page's serialisation)."""
    from cases.api.views import RecommendationViewSet

    monkeypatch.setattr(RecommendationViewSet, "lean_list", lean)
    api_client.force_login(world.users["secretariat_viewer"])
    few, more, flags, more_flags = date_reads_per_page(
        monkeypatch,
        api_client,
        reverse("api:recommendation-list"),
        lambda rows: RecommendationFactory.create_batch(
            rows, party=world.own, deadline=D(2024, 6, 30), status="open"
        ),
    )
    assert flags == [True, True] and more_flags == [True] * 6
    assert more == few <= 3  # the roles in force today, the kept page's shape, the serializer


def test_compliance_case_filters(world, api_client):
    rst = ComplianceCaseFactory(
        party=world.own, mechanism=ComplianceMechanism.objects.get(code="rst"), species="Pandinus imperator"
    )
    art = ComplianceCaseFactory(
        party=world.other, mechanism=ComplianceMechanism.objects.get(code="article-xiii")
    )
    api_client.force_login(world.users["case_manager"])
    url = reverse("api:compliancecase-list")
    ids = lambda **q: {r["id"] for r in api_client.get(url, q).json()["results"]}  # noqa: E731
    assert ids(mechanism="rst") == {rst.pk}
    assert ids(mechanism=["rst", "article-xiii"]) == {rst.pk, art.pk}
    assert ids(species="pandinus") == {rst.pk}
    assert ids(party="NG") == {art.pk}
    assert ids(kind="process") == set()


def test_mechanisms_are_loaded_as_data_with_their_legal_basis(world, api_client):
    """The data migration loads the four mechanisms and three processes of CoP18 Doc. para. 8."""
    api_client.force_login(world.users["donor_observer"])
    rows = api_client.get(reverse("api:mechanism-list"), {"page_size": 100}).json()["results"]
    by_code = {r["code"]: r for r in rows}
    assert {c for c, r in by_code.items() if r["kind"] == "mechanism"} == {
        "annual-reports",
        "national-legislation",
        "rst",
        "article-xiii",
    }
    assert {c for c, r in by_code.items() if r["kind"] == "process"} == {
        "niap",
        "captive-breeding",
        "malagasy-timber",
    }
    assert "12.8" in by_code["rst"]["legal_basis"] and by_code["rst"]["concerns_species"]
    assert "11.3" in by_code["article-xiii"]["legal_basis"]
    assert "10.10" in by_code["niap"]["legal_basis"]
    assert "17.203" in by_code["malagasy-timber"]["legal_basis"]


def test_focal_point_cannot_see_other_partys_cap_case_or_any_assessment(world, api_client):
    own, other = CapCaseFactory(party=world.own), CapCaseFactory(party=world.other)
    EligibilityAssessmentFactory(cap_case=own)
    api_client.force_login(world.users["ma_focal_point"])
    ids = {r["id"] for r in api_client.get(reverse("api:capcase-list")).json()["results"]}
    assert ids == {own.pk}
    assert api_client.get(reverse("api:capcase-detail", args=[other.pk])).status_code == 404
    assert api_client.get(reverse("api:eligibilityassessment-list")).status_code == 403
    assert api_client.get(reverse("api:eligibilityassessment-ranking")).status_code == 403


def test_schema_lists_the_cases_endpoints(world, client):
    client.force_login(world.users["secretariat_viewer"])
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    for path in [
        "/api/v1/meetings/",
        "/api/v1/mechanisms/",
        "/api/v1/compliance-cases/",
        "/api/v1/recommendations/",
        "/api/v1/compliance-measures/",
        "/api/v1/progress-ratings/",
        "/api/v1/cap-cases/",
        "/api/v1/cap-cases/{id}/transition/",
        "/api/v1/eligibility-assessments/",
        "/api/v1/eligibility-assessments/{id}/decide/",
        "/api/v1/eligibility-assessments/ranking/",
        "/api/v1/missions/",
        "/api/v1/stakeholders/",
    ]:
        assert path in paths, path
