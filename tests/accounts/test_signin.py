"""Signing in through django-allauth at /login/ (issue 20): a username or an e-mail address, no
self sign-up, sign-out, and django-axes still locking the (name, address) pair."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from cap_portal.settings import base as base_settings
from parties.services import user_create

pytestmark = pytest.mark.django_db

PASSWORD = "alice-right-password"


@pytest.fixture
def alice():
    return user_create(username="alice", password=PASSWORD, email="alice@example.org")


def sign_in(client, login, password, **extra):
    return client.post(reverse("login"), {"login": login, "password": password}, **extra)


def test_the_login_page_asks_for_username_or_email_and_offers_a_reset(client):
    """/login/ (LOGIN_URL) shows allauth's form in the portal's look, a password-reset link and no
    sign-up link."""
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="login"' in html and 'name="password"' in html
    assert "Username or email" in html
    assert reverse("account_reset_password") in html
    assert reverse("account_signup") not in html
    assert "Sign in to CAP Portal" in html


def test_sign_in_with_username(client, alice):
    """The username and password sign in and lead home."""
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_sign_in_with_email(client, alice):
    """The e-mail address (in any case) and password sign in too."""
    response = sign_in(client, "Alice@Example.org", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_sign_in_keeps_next(client, alice):
    """An anonymous visitor is sent to /login/ with ?next=, and lands there after signing in."""
    response = client.get("/parties/")
    assert response.status_code == 302 and response["Location"] == reverse("login") + "?next=/parties/"
    response = client.post(
        response["Location"], {"login": "alice", "password": PASSWORD, "next": "/parties/"}
    )
    assert response.status_code == 302 and response["Location"] == "/parties/"


def test_wrong_password_is_refused_with_a_message(client, alice):
    """A wrong password re-shows the form with allauth's message, and nobody is signed in."""
    response = sign_in(client, "alice", "wrong-password")
    assert response.status_code == 200
    assert "The username and/or password you specified are not correct." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_sign_in(client, alice):
    """A switched-off account is refused."""
    alice.is_active = False
    alice.save()
    sign_in(client, "alice", PASSWORD)
    assert "_auth_user_id" not in client.session


def test_sign_up_is_closed(client):
    """Nobody signs themselves up: the sign-up page says accounts come by invitation, and posting
    to it creates no account."""
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "by invitation" in response.content.decode()
    client.post(
        reverse("account_signup"),
        {
            "username": "mallory",
            "email": "m@example.org",
            "password1": "Zx9!long-pass",
            "password2": "Zx9!long-pass",
        },
    )
    assert not get_user_model().objects.filter(username="mallory").exists()


def test_sign_out(client, alice):
    """Signing out (POST /logout/) ends the session and leads to the sign-in page."""
    sign_in(client, "alice", PASSWORD)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_the_user_menu_leads_to_the_account_pages(client, alice):
    """The signed-in user's menu has the password, two-factor authentication and API token pages
    and sign-out."""
    client.force_login(alice)
    html = client.get("/parties/").content.decode()
    for url in (reverse("account_change_password"), reverse("mfa_index"), "/account/tokens/"):
        assert f'href="{url}"' in html
    assert f'action="{reverse("logout")}"' in html


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_failures_by_email_and_by_username_count_for_the_same_account(client, alice):
    """django-axes reads allauth's "login" field as the account's name: failures with the e-mail
    address and with the username lock the same pair (they cannot be alternated to get twice
    the guesses), and the lock-out page says what happened (429)."""
    sign_in(client, "alice", "wrong")
    sign_in(client, "alice@example.org", "wrong")
    sign_in(client, "ALICE@example.org", "wrong")
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-in attempts" in response.content.decode()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=10)
def test_allauth_rate_limits_cannot_lock_a_person_out_from_everywhere(client, alice, settings):
    """With the portal's allauth rate limits on, an attacker's wrong passwords for alice from one
    address (more than allauth's default five per name) do not stop alice signing in from hers."""
    settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS
    # addresses of this test's own: the counters it leaves in the cache touch no other test
    for _ in range(6):
        sign_in(client, "alice", "wrong", REMOTE_ADDR="203.0.113.44")
    response = sign_in(client, "alice", PASSWORD, REMOTE_ADDR="198.51.100.44")
    assert response.status_code == 302, "alice was locked out by failures from another address"


def test_allauth_rate_limits_are_on_in_production_settings():
    """allauth's rate limits stay on (only its per-name failure limit is replaced by axes's pair)."""
    assert base_settings.ACCOUNT_RATE_LIMITS, "allauth rate limits must stay on"
    assert "key" not in (base_settings.ACCOUNT_RATE_LIMITS.get("login_failed") or "")


@pytest.mark.parametrize(
    ("proxies", "expected"),
    [(0, "10.0.0.1"), (1, "198.51.100.7")],
)
def test_allauth_reads_the_client_address_as_axes_does(settings, proxies, expected):
    """allauth's rate limits count per the address django-axes uses: REMOTE_ADDR, or the entry
    the trusted proxy added to X-Forwarded-For (a forged entry further left is never read)."""
    from django.test import RequestFactory

    from accounts.adapters import AccountAdapter

    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get(
        "/login/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7"
    )
    assert AccountAdapter(request).get_client_ip(request) == expected
