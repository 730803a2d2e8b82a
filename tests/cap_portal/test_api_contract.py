"""A clean API contract (issue 21, Deliver 2): JSON for every error under /api/ (404, 405 and 500
included), text fields that refuse control characters, and a 400 naming the parameter for an
invalid filter value or page size."""

import pytest
from django.urls import reverse

from cases.models import Meeting

pytestmark = pytest.mark.django_db


def _error(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()


def test_an_unknown_api_url_answers_json_404(world, api_client):
    api_client.force_login(world.users["case_manager"])
    response = api_client.get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    body = _error(response)
    assert body["type"] == "client_error"
    assert body["errors"][0]["code"] == "not_found"


def test_an_id_that_does_not_match_the_route_answers_json_404(world, api_client):
    api_client.force_login(world.users["case_manager"])
    response = api_client.get("/api/v1/meetings/not-a-number/")
    assert response.status_code == 404
    assert _error(response)["errors"][0]["code"] == "not_found"


def test_pages_outside_the_api_keep_their_html_404(world, client):
    client.force_login(world.users["case_manager"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_not_allowed_answers_json_405(world, api_client):
    api_client.force_login(world.users["case_manager"])
    response = api_client.put(reverse("api:meeting-list"), {}, format="json")
    assert response.status_code == 405
    assert _error(response)["errors"][0]["code"] == "method_not_allowed"


def test_an_unexpected_error_answers_json_500(monkeypatch, world, api_client):
    from cases.api import views as case_views

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    view = next(
        v
        for v in vars(case_views).values()
        if getattr(v, "queryset", None) is not None and getattr(v.queryset, "model", None) is Meeting
    )
    monkeypatch.setattr(view, "list", broken)
    api_client.raise_request_exception = False
    api_client.force_login(world.users["case_manager"])
    response = api_client.get(reverse("api:meeting-list"))
    assert response.status_code == 500
    body = _error(response)
    assert body["type"] == "server_error"
    assert "boom" not in response.content.decode()


def test_text_fields_refuse_control_characters(world, api_client):
    api_client.force_login(world.users["case_manager"])
    data = {
        "body": "SC",
        "number": 99,
        "starts_on": "2031-01-01",
        "ends_on": "2031-01-02",
        "venue": "Gen\x07eva",
    }
    response = api_client.post(reverse("api:meeting-list"), data, format="json")
    assert response.status_code == 400
    errors = _error(response)["errors"]
    assert [e["attr"] for e in errors] == ["venue"]
    assert not Meeting.objects.filter(number=99).exists()


def test_tab_and_newline_are_accepted_in_text(world, api_client):
    api_client.force_login(world.users["case_manager"])
    data = {
        "body": "SC",
        "number": 98,
        "starts_on": "2031-01-01",
        "ends_on": "2031-01-02",
        "venue": "Geneva\tPalais",
    }
    response = api_client.post(reverse("api:meeting-list"), data, format="json")
    assert response.status_code == 201, response.content
    assert Meeting.objects.get(number=98).venue == "Geneva\tPalais"


@pytest.mark.parametrize("value", ["bogus", "OPEN"])
def test_an_invalid_filter_value_is_a_400_naming_the_parameter(world, api_client, value):
    api_client.force_login(world.users["case_manager"])
    response = api_client.get(reverse("api:recommendation-list"), {"status": value})
    assert response.status_code == 400
    assert [e["attr"] for e in _error(response)["errors"]] == ["status"]


@pytest.mark.parametrize("value", ["null", "abc", "0", "-5"])
def test_an_invalid_page_size_is_a_400_naming_the_parameter(world, api_client, value):
    api_client.force_login(world.users["case_manager"])
    response = api_client.get(reverse("api:meeting-list"), {"page_size": value})
    assert response.status_code == 400
    assert [e["attr"] for e in _error(response)["errors"]] == ["page_size"]


def test_a_page_size_over_the_maximum_is_capped_not_refused(world, api_client):
    api_client.force_login(world.users["case_manager"])
    response = api_client.get(reverse("api:meeting-list"), {"page_size": "100000"})
    assert response.status_code == 200
