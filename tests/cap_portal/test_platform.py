"""The platform: health, API schema and docs, settings, sample data, login throttling."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from cap_portal.access import Role
from parties.models import Authority, Contact, Party, RoleAssignment

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_broker_and_worker(client):
    """/healthz names each dependency and its state; the database check really queries."""
    response = client.get("/healthz")
    body = response.json()
    assert set(body["checks"]) == {"database", "broker", "worker", "jobs"}
    assert body["checks"]["database"] == {
        "ok": True,
        "vendor": settings.DATABASES["default"]["ENGINE"]
        .split(".")[-1]
        .replace("postgresql", "postgresql")
        .replace("sqlite3", "sqlite"),
    }
    if settings.CELERY_TASK_ALWAYS_EAGER:
        assert response.status_code == 200
        assert body["checks"]["worker"]["mode"] == "in-process"


def test_healthz_is_503_when_the_broker_is_unreachable(client, monkeypatch):
    """A broker that does not answer makes the portal unhealthy (503), with the error named."""
    from celery import Celery

    from cap_portal import health

    # A Celery app of its own: the portal's app keeps its pooled connections, which later tests
    # must not inherit pointing at a dead port.
    monkeypatch.setattr(
        health, "celery_app", Celery("unreachable", broker="redis://127.0.0.1:1/0", set_as_current=False)
    )
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_openapi_schema_and_swagger_ui_are_served_without_cdn(client, world):
    """/api/schema/ lists the Party endpoints; /api/docs/ loads Swagger UI from our own static files."""
    client.force_login(world.users["secretariat_viewer"])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/parties/{code}/" in paths
    assert "/api/v1/contacts/" in paths
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs


def test_api_error_format_is_uniform(client, world):
    """401 and 404 use the same error format as validation errors."""
    assert client.get("/api/v1/contacts/").json()["type"] == "client_error"
    client.force_login(world.users["ma_focal_point"])
    body = client.get("/api/v1/contacts/999999/").json()
    assert body["type"] == "client_error" and body["errors"][0]["code"] == "not_found"


def test_pagination_bounds(client, world):
    """Pages by cursor: the next link leads to the second (last) row, which links back; the count
    only on request; a cursor that is not one is a 400 naming it."""
    client.force_login(world.users["case_manager"])
    body = client.get("/api/v1/parties/", {"page_size": 1}).json()
    assert "count" not in body and len(body["results"]) == 1 and body["next"] and body["previous"] is None
    last = client.get(body["next"]).json()
    assert len(last["results"]) == 1 and last["next"] is None and last["previous"]
    assert {body["results"][0]["code"], last["results"][0]["code"]} == {"TG", "NG"}
    assert client.get("/api/v1/parties/", {"page_size": 1, "count": "true"}).json()["count"] == 2
    assert client.get("/api/v1/parties/", {"cursor": "99"}).status_code == 400


def test_load_sample_data_is_complete_and_idempotent(capsys):
    """All 185 CITES Parties load with regions; the eight SC78 Parties get their authorities; demo
    users get one role each; a second run changes nothing."""
    call_command("load_sample_data")
    call_command("load_sample_data")
    assert Party.objects.count() == 185
    assert Party.objects.filter(region="").count() == 0
    assert set(Party.objects.values_list("region", flat=True)) == {
        "africa",
        "asia",
        "central_south_america_caribbean",
        "europe",
        "north_america",
        "oceania",
    }
    beneficiaries = {"KH", "GN", "LA", "NG", "SB", "SR", "TG", "VN"}
    with_authorities = {str(c) for c in Authority.objects.values_list("party__code", flat=True).distinct()}
    assert with_authorities == beneficiaries
    for code in beneficiaries:
        kinds = set(Authority.objects.filter(party__code=code).values_list("kind", flat=True))
        assert kinds == {"management", "scientific", "enforcement"}
    assert Contact.objects.filter(is_focal_point=True).count() == 8
    assert not Authority.objects.filter(is_illustrative=False).exists()
    togo = Party.objects.get(code="TG")
    assert (togo.region, togo.is_ldc, togo.language) == ("africa", True, "fr")
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    out = capsys.readouterr().out
    assert "casemanager" in out and "password" in out


def test_production_settings_pass_check_deploy():
    """`manage.py check --deploy` on the production settings reports no issue at all."""
    env = {
        "DJANGO_SETTINGS_MODULE": "cap_portal.settings.production",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-1234567890",
        "ALLOWED_HOSTS": "cap.example.org",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_secret_key():
    env = {"DJANGO_SETTINGS_MODULE": "cap_portal.settings.production", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env, cwd=settings.BASE_DIR
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_login_is_throttled_after_repeated_failures(client, world):
    """After three wrong passwords, even the right one is refused for a while (django-axes)."""
    from parties.services import user_create

    user_create(username="bob", password="right-password")
    for _ in range(3):
        client.post(reverse("login"), {"login": "bob", "password": "wrong"})
    response = client.post(reverse("login"), {"login": "bob", "password": "right-password"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_security_headers_and_no_inline_script(client, world):
    """Every page carries a Content-Security-Policy without inline scripts, and frame protection;
    the pages themselves (here the Parties list and the API docs) have no inline script."""
    import re

    client.force_login(world.users["case_manager"])
    for url in ["/parties/", "/api/docs/"]:
        response = client.get(url)
        assert response.status_code == 200
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script in {url}"
        assert not re.search(r"\son[a-z]+=\"", html), f"inline event handler in {url}"
