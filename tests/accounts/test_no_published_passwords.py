"""No account with a published password outside the embedded default (issue 20, point 1)."""

import os
import subprocess
import sys

import pytest
import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from cap_portal.access import get_user_roles

pytestmark = pytest.mark.django_db


def _production_env(tmp_path, **extra):
    return {
        "DJANGO_SETTINGS_MODULE": "cap_portal.settings.production",
        "SECRET_KEY": "a-production-secret-key-for-this-test-only-0123456789",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "REDIS_URL": "",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **extra,
    }


def test_production_settings_refuse_the_demo_users(tmp_path):
    """With the production settings, load_sample_data refuses with a clear message and writes
    nothing (the database is not even opened)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "load_sample_data"],
        capture_output=True,
        text=True,
        env=_production_env(tmp_path),
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "create_case_manager" in result.stderr and "published" in result.stderr
    assert not (tmp_path / "prod.sqlite3").exists()


@override_settings(DEMO_DATA_ALLOWED=False)
def test_demo_users_are_refused_where_demo_data_is_not_allowed():
    """Nothing creates the demo users when the settings refuse demo data, not even a direct call."""
    from sampledata.demo import load_demo_users

    with pytest.raises(CommandError, match="published"):
        call_command("load_sample_data")
    with pytest.raises(Exception, match="published password"):
        load_demo_users()
    assert not get_user_model().objects.filter(username="casemanager").exists()


def test_docker_compose_loads_no_demo_users():
    """The production shape never runs load_sample_data (nor runportal, which does)."""
    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    for name, service in compose["services"].items():
        command = service.get("command") or ""
        command = " ".join(command) if isinstance(command, list) else command
        assert "load_sample_data" not in command and "runportal" not in command, name


def test_create_case_manager_reads_the_password_from_the_environment(monkeypatch):
    """The first case manager: created by the documented command, with a validated password from
    the environment; the role is the case manager's, held globally."""
    monkeypatch.setenv("CAP_CASE_MANAGER_PASSWORD", "a long and unusual passphrase 42")
    call_command("create_case_manager", username="clara", email="clara@cites.example", no_input=True)
    user = get_user_model().objects.get(username="clara")
    assert user.check_password("a long and unusual passphrase 42") and user.email == "clara@cites.example"
    roles = get_user_roles(user)
    assert roles.is_secretariat and not roles.party_roles


@pytest.mark.parametrize(
    "password, email, message",
    [
        ("", "clara@cites.example", "No password"),
        ("password", "clara@cites.example", "Password refused"),
        ("a long and unusual passphrase 42", "not-an-address", "--email"),
    ],
)
def test_create_case_manager_refuses_bad_input(monkeypatch, password, email, message):
    """An empty or weak password, or a wrong e-mail address, is refused and nothing is created."""
    monkeypatch.setenv("CAP_CASE_MANAGER_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("create_case_manager", username="clara", email=email, no_input=True)
    assert not get_user_model().objects.filter(username="clara").exists()


def test_create_case_manager_does_not_touch_an_existing_account(monkeypatch, world):
    """An existing username is refused: the command never resets someone's password."""
    existing = world.users["case_manager"]
    before = existing.password
    monkeypatch.setenv("CAP_CASE_MANAGER_PASSWORD", "a long and unusual passphrase 42")
    with pytest.raises(CommandError, match="exists already"):
        call_command(
            "create_case_manager", username=existing.username, email="x@cites.example", no_input=True
        )
    existing.refresh_from_db()
    assert existing.password == before
