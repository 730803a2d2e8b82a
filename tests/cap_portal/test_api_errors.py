"""The API's exception handler turns a Django ``ValidationError`` raised by a service into the
standard 400 body, whichever view or action raised it: no view catches it by hand."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse

from tests.reports.conftest import make_report

pytestmark = pytest.mark.django_db


def post_with_failing_service(monkeypatch, world, api_client, service: str, action: str, error):
    """POST to a report action whose service raises ``error``."""

    def failing(**kwargs):
        raise error

    report = make_report([world.own])
    monkeypatch.setattr(f"reports.services.{service}", failing)
    api_client.force_login(world.users["case_manager"])
    return api_client.post(reverse(f"api:report-{action}", kwargs={"pk": report.pk}))


def test_a_field_error_answers_400_naming_the_field(monkeypatch, world, api_client):
    """``ValidationError({"field": "msg"})`` in an action's service: 400, ``attr`` is the field."""
    response = post_with_failing_service(
        monkeypatch,
        world,
        api_client,
        "report_render_request",
        "render",
        DjangoValidationError({"status": DjangoValidationError("Not yet.", code="not_ready")}),
    )
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [{"code": "not_ready", "detail": "Not yet.", "attr": "status"}],
    }


def test_an_error_without_a_field_is_a_non_field_error(monkeypatch, world, api_client):
    """A message that names no field: 400 with ``attr == "non_field_errors"``."""
    response = post_with_failing_service(
        monkeypatch, world, api_client, "report_render_request", "render", DjangoValidationError("Not yet.")
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"code": "invalid", "detail": "Not yet.", "attr": "non_field_errors"}
    ]


def test_django_all_key_is_a_non_field_error(monkeypatch, world, api_client):
    """What a model's ``clean()`` raises without a field (Django files it under ``__all__``) is a
    non-field error too, beside the field errors of the same exception."""
    error = DjangoValidationError({NON_FIELD_ERRORS: ["Dates overlap."], "meeting_start": ["Too early."]})
    response = post_with_failing_service(
        monkeypatch, world, api_client, "report_render_request", "render", error
    )
    assert response.status_code == 400
    assert {(e["attr"], e["detail"]) for e in response.json()["errors"]} == {
        ("non_field_errors", "Dates overlap."),
        ("meeting_start", "Too early."),
    }


def test_every_action_gets_the_conversion(monkeypatch, world, api_client):
    """An action that never caught the error itself (``recompose``) answers 400, not 500."""
    response = post_with_failing_service(
        monkeypatch,
        world,
        api_client,
        "report_sections_sync",
        "recompose",
        DjangoValidationError({"sections": "Cannot compose."}),
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "sections"


def test_a_service_error_in_a_generic_write_is_a_field_error(world, api_client):
    """The base viewset's create calls ``full_clean()`` through the generic service: a model rule
    answers 400 on its field (a QTL funding source without a donor)."""
    api_client.force_login(world.users["case_manager"])
    response = api_client.post(
        reverse("api:fundingsource-list"), {"fund": "QTL", "name": "A fund"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"code": "required", "detail": "External funds (QTL) come from a donor: choose one.", "attr": "donor"}
    ]
