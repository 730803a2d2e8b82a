"""The results register: a result of a CAP case, what it answers (of the same Party only), and its
review by a case manager other than the one who submitted it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.models import Result
from cases.selectors import accepted_results
from cases.services import result_change, result_record, result_review
from parties.services import role_assign, user_create
from tests.cases.factories import CapCaseFactory, ComplianceCaseFactory, ProgressRatingFactory
from tests.mixins import APIViewTestCases, UIListTests
from tests.workplans.factories import ActivityFactory, cap_case_for, make_recommendation, make_workplan
from workplans.choices import ReviewStatus, WorkplanStatus

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 7, 19)


def make_result(party, **values) -> Result:
    data = {"cap_case": cap_case_for(party), "title": "Export quota accepted", "achieved_on": DAY, **values}
    return Result.objects.create(**data)


def other_case_manager():
    user = user_create(username="second_case_manager", password="pw-second")
    role_assign(user=user, role="case_manager", party=None, donor=None)
    return user


def activity_of(party):
    return ActivityFactory(workplan=make_workplan(party, WorkplanStatus.APPROVED))


# --- Validation: field by field, nothing written -------------------------------------------------


@pytest.mark.parametrize(
    ("field", "make"),
    [
        ("activities", activity_of),
        ("recommendations", make_recommendation),
        ("compliance_cases", lambda party: ComplianceCaseFactory(party=party)),
    ],
)
def test_what_a_result_answers_must_be_of_its_cap_case_party(world, field, make):
    """Another Party's activity, recommendation or compliance case is refused on its field."""
    data = {"cap_case": cap_case_for(world.own), "title": "NDF made", "achieved_on": DAY}
    with pytest.raises(ValidationError) as refused:
        result_record(user=world.users["case_manager"], data={**data, field: [make(world.other)]})
    assert list(refused.value.message_dict) == [field]
    assert not Result.objects.exists()
    # The same Party's record is accepted and linked.
    own = make(world.own)
    result = result_record(user=world.users["case_manager"], data={**data, field: [own]})
    assert list(getattr(result, field).all()) == [own]


def test_changing_the_cap_case_checks_the_stored_links_again(world):
    result = result_record(
        user=world.users["case_manager"],
        data={
            "cap_case": cap_case_for(world.own),
            "title": "NDF made",
            "achieved_on": DAY,
            "recommendations": [make_recommendation(world.own)],
        },
    )
    with pytest.raises(ValidationError) as refused:
        result_change(
            result=result, user=world.users["case_manager"], data={"cap_case": cap_case_for(world.other)}
        )
    assert "recommendations" in refused.value.message_dict
    result.refresh_from_db()
    assert result.cap_case.party == world.own


def test_quota_needs_its_unit_and_a_rating_must_be_of_the_same_party(world):
    rating = ProgressRatingFactory(compliance_case=ComplianceCaseFactory(party=world.other))
    data = {"cap_case": cap_case_for(world.own), "title": "Quota", "achieved_on": DAY}
    with pytest.raises(ValidationError) as refused:
        result_record(
            user=world.users["case_manager"],
            data={**data, "quota": Decimal("20000"), "progress_rating": rating},
        )
    assert set(refused.value.message_dict) == {"quota_unit", "progress_rating"}


# --- Review: submit, accept by another person, the submitter cannot accept -----------------------


def test_a_focal_point_submits_and_a_case_manager_accepts(world):
    focal_point, manager = world.users["ma_focal_point"], world.users["case_manager"]
    result = result_record(
        user=focal_point, data={"cap_case": cap_case_for(world.own), "title": "Quota", "achieved_on": DAY}
    )
    assert (result.review_status, result.submitted_by) == (ReviewStatus.SUBMITTED, focal_point)
    assert accepted_results([world.own.pk], datetime.date.today()) == []
    with pytest.raises(PermissionDenied):
        result_review(result=result, user=focal_point, accept=True)
    result = result_review(result=result, user=manager, accept=True, comment="Well documented.")
    assert (result.review_status, result.reviewed_by) == (ReviewStatus.ACCEPTED, manager)
    assert accepted_results([world.own.pk], datetime.date.today()) == [result]
    # Accepted, it is part of the record: no more changes.
    with pytest.raises(ValidationError) as refused:
        result_change(result=result, user=focal_point, data={"title": "Changed"})
    assert "review_status" in refused.value.message_dict


def test_the_case_manager_who_submitted_a_result_cannot_accept_it(world):
    manager = world.users["case_manager"]
    result = result_record(
        user=manager, data={"cap_case": cap_case_for(world.own), "title": "Quota", "achieved_on": DAY}
    )
    with pytest.raises(ValidationError) as refused:
        result_review(result=result, user=manager, accept=True)
    assert "review_status" in refused.value.message_dict
    result.refresh_from_db()
    assert result.review_status == ReviewStatus.SUBMITTED and result.reviewed_by is None
    result = result_review(result=result, user=other_case_manager(), accept=True)
    assert result.review_status == ReviewStatus.ACCEPTED


def test_a_returned_result_says_why_and_goes_back_for_review_once_corrected(world):
    focal_point, manager = world.users["sa_focal_point"], world.users["case_manager"]
    result = result_record(
        user=focal_point, data={"cap_case": cap_case_for(world.own), "title": "NDF", "achieved_on": DAY}
    )
    with pytest.raises(ValidationError) as refused:
        result_review(result=result, user=manager, accept=False)
    assert "comment" in refused.value.message_dict
    result = result_review(result=result, user=manager, accept=False, comment="Give the document.")
    assert (result.review_status, result.review_comment) == (ReviewStatus.RETURNED, "Give the document.")
    result = result_change(result=result, user=focal_point, data={"document_reference": "AC33 SR"})
    assert result.review_status == ReviewStatus.SUBMITTED


def test_accepted_results_are_those_achieved_and_accepted_by_the_date(world):
    manager = other_case_manager()
    achieved = make_result(world.own, submitted_by=world.users["ma_focal_point"])
    later = make_result(
        world.own, title="Later", achieved_on=datetime.date.today() + datetime.timedelta(days=30)
    )
    waiting = make_result(world.own, title="Waiting")
    for result in (achieved, later):
        result_review(result=result, user=manager, accept=True)
    today = datetime.date.today()
    assert accepted_results([world.own.pk], today) == [achieved]
    assert accepted_results([world.own.pk], today - datetime.timedelta(days=1)) == []
    assert accepted_results([world.other.pk], today) == []
    assert waiting not in accepted_results([world.own.pk], today + datetime.timedelta(days=60))


# --- API -------------------------------------------------------------------------------------------


class TestResultAPI(APIViewTestCases.CRUD):
    model = Result
    basename = "result"
    party_field = "cap_case"

    def make_object(self, party):
        return make_result(party)

    def create_payload(self, party):
        return {
            "cap_case": CapCaseFactory(party=party).pk,
            "title": "NDF for Corucia zebrata",
            "achieved_on": "2024-11-01",
            "species": "Corucia zebrata",
            "document_reference": "SC78 Doc. 34.2",
        }

    def update_payload(self):
        return {"description": "Progress towards an NDF."}


def _errors(response):
    return {e["attr"]: e["detail"] for e in response.json()["errors"]}


def test_api_refuses_another_party_activity_on_its_field(world, api_client):
    api_client.force_login(world.users["case_manager"])
    payload = {
        "cap_case": cap_case_for(world.own).pk,
        "title": "NDF",
        "achieved_on": "2024-11-01",
        "activities": [activity_of(world.other).pk],
    }
    response = api_client.post(reverse("api:result-list"), payload, format="json")
    assert response.status_code == 400
    assert "activities" in _errors(response)
    assert not Result.objects.exists()


def test_api_review_steps(world, api_client):
    """The submitter's accept answers 400 on review_status; another case manager's accepts; a
    focal point gets 403."""
    manager = world.users["case_manager"]
    result = make_result(world.own, submitted_by=manager)
    url = reverse("api:result-accept", kwargs={"pk": result.pk})
    api_client.force_login(world.users["ma_focal_point"])
    assert api_client.post(url, {}, format="json").status_code == 403
    api_client.force_login(manager)
    response = api_client.post(url, {}, format="json")
    assert response.status_code == 400 and "review_status" in _errors(response)
    api_client.force_login(other_case_manager())
    response = api_client.post(url, {"comment": "Seen the summary record."}, format="json")
    assert response.status_code == 200
    assert response.json()["review_status"] == "accepted"
    assert response.json()["reviewed_by"] == "second_case_manager"


def test_api_return_needs_a_comment(world, api_client):
    result = make_result(world.own, submitted_by=world.users["ma_focal_point"])
    api_client.force_login(world.users["case_manager"])
    url = reverse("api:result-return", kwargs={"pk": result.pk})
    response = api_client.post(url, {}, format="json")
    assert response.status_code == 400 and "comment" in _errors(response)
    assert api_client.post(url, {"comment": "Which NDF?"}, format="json").status_code == 200
    result.refresh_from_db()
    assert result.review_status == ReviewStatus.RETURNED


# --- UI --------------------------------------------------------------------------------------------


class TestResultListUI(UIListTests):
    model = Result

    def make_object(self, party):
        return make_result(party)

    def list_url(self):
        return reverse("cases:result_list")


def test_ui_record_a_result_from_the_cap_case_page(world, client):
    cap_case = cap_case_for(world.own)
    client.force_login(world.users["ma_focal_point"])
    page = client.get(cap_case.get_absolute_url())
    add_url = reverse("cases:result_add", kwargs={"case_pk": cap_case.pk})
    assert add_url in page.content.decode()
    response = client.post(
        add_url,
        {
            "title": "Annual export quota accepted",
            "achieved_on": "2024-07-19",
            "species": "Pandinus imperator",
            "quota": "20000",
            "quota_unit": "specimens",
            "document_reference": "AC33 SR",
            "is_example": "on",
        },
    )
    result = Result.objects.get()
    assert response.status_code == 302 and response["Location"] == result.get_absolute_url()
    assert (result.cap_case, result.submitted_by, result.review_status) == (
        cap_case,
        world.users["ma_focal_point"],
        ReviewStatus.SUBMITTED,
    )


def test_ui_form_refuses_another_party_activity_on_its_field(world, client):
    cap_case = cap_case_for(world.own)
    client.force_login(world.users["case_manager"])
    response = client.post(
        reverse("cases:result_add", kwargs={"case_pk": cap_case.pk}),
        {"title": "NDF", "achieved_on": "2024-07-19", "activities": [activity_of(world.other).pk]},
    )
    assert response.status_code == 200
    assert "activities" in response.context["form"].errors
    assert not Result.objects.exists()


def test_ui_review_by_the_submitter_is_refused_and_by_another_case_manager_accepted(world, client):
    manager = world.users["case_manager"]
    result = make_result(world.own, submitted_by=manager)
    url = reverse("cases:result_review", kwargs={"pk": result.pk})
    client.force_login(manager)
    response = client.post(url, {"decision": "accept"}, follow=True)
    assert "another case manager accepts it" in response.content.decode()
    result.refresh_from_db()
    assert result.review_status == ReviewStatus.SUBMITTED
    client.force_login(other_case_manager())
    client.post(url, {"decision": "accept"})
    result.refresh_from_db()
    assert result.review_status == ReviewStatus.ACCEPTED
