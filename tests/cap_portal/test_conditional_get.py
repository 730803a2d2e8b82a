"""Conditional GET on the API (cap_portal.api.conditional, issue 15 point 5): lists and details
send an ETag (details also Last-Modified) and answer 304 to a client holding the current version;
a change, another filter or page, or another user gives another ETag."""

import pytest
from django.utils.http import http_date

from cap_portal.concurrency import etag_for
from tests.workplans.factories import ActivityFactory, make_workplan

pytestmark = pytest.mark.django_db

LIST = "/api/v1/activities/"


@pytest.fixture
def workplan(world):
    return make_workplan(world.own)


@pytest.fixture
def focal_point(world, api_client):
    api_client.force_login(world.users["ma_focal_point"])
    return api_client


def detail_url(activity):
    return f"/api/v1/activities/{activity.pk}/"


# --- details -------------------------------------------------------------------------------------


def test_a_detail_sends_its_version_and_last_modified(workplan, focal_point):
    """The ETag is the record's version, the one If-Match checks on writes."""
    activity = ActivityFactory(workplan=workplan)
    response = focal_point.get(detail_url(activity))
    assert response.status_code == 200
    assert response["ETag"] == etag_for(activity)
    assert response["Last-Modified"] == http_date(activity.updated.timestamp())
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert {"Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


@pytest.mark.parametrize("weak", [False, True], ids=["strong", "weak"])
def test_a_detail_answers_304_to_the_current_etag(workplan, focal_point, weak):
    activity = ActivityFactory(workplan=workplan)
    etag = focal_point.get(detail_url(activity))["ETag"]
    response = focal_point.get(detail_url(activity), HTTP_IF_NONE_MATCH=("W/" if weak else "") + etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_a_detail_answers_304_when_not_modified_since(workplan, focal_point):
    activity = ActivityFactory(workplan=workplan)
    last_modified = focal_point.get(detail_url(activity))["Last-Modified"]
    assert focal_point.get(detail_url(activity), HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = http_date(activity.updated.timestamp() - 60)
    assert focal_point.get(detail_url(activity), HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_a_changed_detail_answers_200_with_its_new_etag(workplan, focal_point):
    activity = ActivityFactory(workplan=workplan)
    etag = focal_point.get(detail_url(activity))["ETag"]
    activity.title = "Train the customs officers"
    activity.save()
    response = focal_point.get(detail_url(activity), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["title"] == "Train the customs officers"
    assert response["ETag"] != etag and response["ETag"] == etag_for(activity)


def test_a_detail_etag_opens_nothing_to_a_user_who_may_not_see_it(world, api_client):
    """Another Party's focal point holding the ETag gets 404, as without it."""
    activity = ActivityFactory(workplan=make_workplan(world.other))
    api_client.force_login(world.users["ma_focal_point"])
    response = api_client.get(detail_url(activity), HTTP_IF_NONE_MATCH=etag_for(activity))
    assert response.status_code == 404


# --- lists ---------------------------------------------------------------------------------------


def test_a_list_answers_304_to_its_current_etag(workplan, focal_point):
    ActivityFactory.create_batch(3, workplan=workplan)
    first = focal_point.get(LIST)
    assert first.status_code == 200 and first["ETag"]
    assert "private" in first["Cache-Control"]
    again = focal_point.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("change", ["add", "edit", "delete"])
def test_a_list_answers_200_after_a_row_changes(workplan, focal_point, change):
    activities = ActivityFactory.create_batch(3, workplan=workplan)
    etag = focal_point.get(LIST)["ETag"]
    if change == "add":
        ActivityFactory(workplan=workplan)
    elif change == "edit":
        activities[1].title = "Renamed"
        activities[1].save()
    else:
        activities[2].delete()
    response = focal_point.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_another_filter_or_page_has_another_etag(workplan, focal_point):
    ActivityFactory.create_batch(3, workplan=workplan)
    etag = focal_point.get(LIST)["ETag"]
    second_page = focal_point.get(f"{LIST}?page_size=2").json()["next"]
    for other in (f"{LIST}?page_size=2", second_page, f"{LIST}?workplan={workplan.pk}"):
        response = focal_point.get(other, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200, other
        assert response["ETag"] != etag, other


def test_another_users_etag_does_not_match(world, workplan, api_client):
    """Two users shown the same rows still have their own ETags: one's never answers 304 to the
    other (nor would a shared cache keep either: private, varying on Authorization and Cookie)."""
    ActivityFactory.create_batch(2, workplan=workplan)
    api_client.force_login(world.users["ma_focal_point"])
    focal_points = api_client.get(LIST)
    api_client.force_login(world.users["case_manager"])
    response = api_client.get(LIST, HTTP_IF_NONE_MATCH=focal_points["ETag"])
    assert response.status_code == 200
    assert response.json()["results"] == focal_points.json()["results"]  # the same rows
    assert response["ETag"] != focal_points["ETag"]
