"""Two-factor authentication (django-allauth's MFA: an authenticator app and recovery codes) and
the rule that may require it of the Secretariat (issue 20)."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.urls import reverse

from accounts.tokens import token_create
from parties.services import user_create

pytestmark = pytest.mark.django_db

PASSWORD = "alice-right-password"
PERIOD = 30


class Clock:
    """The clock allauth's TOTP check reads, moved by the test: a code is accepted once, so each
    sign-in uses the code of a later period."""

    def __init__(self):
        self.now = time.time()

    def time(self):
        return self.now

    def next_period(self):
        self.now += PERIOD


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(totp_auth, "time", clock)
    return clock


def code_for(secret: str, clock: Clock) -> str:
    """The code an authenticator app shows now (RFC 6238, as the app computes it)."""
    return format_hotp_value(hotp_value(secret, int(clock.now) // PERIOD))


@pytest.fixture
def alice():
    return user_create(username="alice", password=PASSWORD, email="alice@example.org")


def sign_in(client, login="alice", password=PASSWORD):
    return client.post(reverse("login"), {"login": login, "password": password})


def open_setup_page(client, password=PASSWORD):
    """Open the authenticator app's setup page as the user does: allauth first asks to confirm
    the password (a change to how one signs in), then shows the page."""
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": password})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    return page


def activate_totp(client, clock) -> str:
    """Set up the authenticator app as the user does: sign in, open the page, scan, type the code."""
    sign_in(client)
    page = open_setup_page(client)
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret, clock)})
    assert response.status_code == 302
    return secret


def test_activate_totp_with_a_code_from_the_app(client, alice, clock):
    """The setup page shows the QR code inline (a data: URL the Content-Security-Policy allows)
    and the key; the app's code activates it, with recovery codes; a wrong code does not."""
    sign_in(client)
    page = open_setup_page(client)
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert "data:" in page["Content-Security-Policy"].split("img-src")[1].split(";")[0]
    secret = page.context["form"].secret
    assert secret in html
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200 and not Authenticator.objects.filter(user=alice).exists()
    client.post(reverse("mfa_activate_totp"), {"code": code_for(secret, clock)})
    types = set(Authenticator.objects.filter(user=alice).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get(reverse("mfa_index")).status_code == 200


def test_the_totp_issuer_is_cap_portal(client, alice):
    """The authenticator app lists the account under "CAP Portal"."""
    sign_in(client)
    page = open_setup_page(client)
    assert "issuer=CAP%20Portal" in page.context["totp_url"]


def test_sign_in_then_asks_for_the_code(client, alice, clock):
    """With an authenticator set up, the password alone does not sign in: the code is asked for;
    a wrong code is refused, the right one signs in."""
    secret = activate_totp(client, clock)
    client.post(reverse("logout"))
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200 and "authenticator app" in page.content.decode()
    clock.next_period()
    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": code_for(secret, clock)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_recovery_code_works_once(client, alice, clock):
    """A recovery code stands in for the app's code, once."""
    activate_totp(client, clock)
    client.post(reverse("logout"))
    recovery = Authenticator.objects.get(user=alice, type=Authenticator.Type.RECOVERY_CODES)
    code = RecoveryCodes(recovery).get_unused_codes()[0]
    sign_in(client)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.session["_auth_user_id"] == str(alice.pk)
    client.post(reverse("logout"))
    sign_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_token_endpoint_refuses_a_user_with_mfa(api_client, alice):
    """A password alone does not get an API token for an account with two-factor authentication:
    403, pointing to the account page where tokens are made."""
    TOTP.activate(alice, "JBSWY3DPEHPK3PXP")
    response = api_client.post(reverse("api:token"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert "create a token on your account page" in response.content.decode()


def test_token_endpoint_still_serves_a_user_without_mfa(api_client, alice):
    response = api_client.post(reverse("api:token"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200 and response.json()["token"]


class TestRequiredForSecretariat:
    """MFA_REQUIRED_FOR_SECRETARIAT: a Secretariat role without an authenticator app reaches only
    its setup page (and sign-out, static files, /healthz)."""

    @pytest.fixture(autouse=True)
    def required(self, settings):
        settings.MFA_REQUIRED_FOR_SECRETARIAT = True

    def test_a_case_manager_without_totp_is_sent_to_set_it_up(self, client, world):
        client.force_login(world.users["case_manager"])
        for url in ("/", "/parties/", "/cases/", reverse("account_change_password"), "/api/v1/parties/"):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"] == reverse("mfa_activate_totp"), url

    def test_the_setup_page_sign_out_and_health_stay_reachable(self, client, world):
        client.force_login(world.users["case_manager"])
        response = client.get(reverse("mfa_activate_totp"))
        # allauth first asks to confirm the password: that page is reachable too
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        assert client.get(response["Location"]).status_code == 200
        assert client.get("/static/css/portal.css").status_code != 302  # static files: not redirected
        assert client.get(reverse("healthz")).status_code in (200, 503)
        assert client.post(reverse("logout")).status_code == 302
        assert "_auth_user_id" not in client.session

    def test_the_setup_page_says_why(self, client, world, clock):
        cm = world.users["case_manager"]
        user_create(username=cm.username, password="pw-case_manager", email="cm@example.org")
        sign_in(client, "case_manager", "pw-case_manager")
        assert client.get("/parties/")["Location"] == reverse("mfa_activate_totp")
        page = open_setup_page(client, "pw-case_manager")
        assert "requires two-factor authentication" in page.content.decode()
        secret = page.context["form"].secret
        client.post(reverse("mfa_activate_totp"), {"code": code_for(secret, clock)})
        assert client.get("/parties/").status_code == 200  # set up: the portal opens

    def test_a_focal_point_is_not_sent(self, client, world):
        client.force_login(world.users["ma_focal_point"])
        assert client.get("/parties/").status_code == 200

    def test_the_api_with_a_token_is_not_affected(self, api_client, world):
        _token, secret = token_create(user=world.users["case_manager"], name="script")
        response = api_client.get("/api/v1/parties/", HTTP_AUTHORIZATION=f"Token {secret}")
        assert response.status_code == 200


def test_not_required_by_default(client, world, settings):
    """Off (the default), a case manager without an authenticator app uses the portal."""
    assert settings.MFA_REQUIRED_FOR_SECRETARIAT is False
    client.force_login(world.users["case_manager"])
    assert client.get("/parties/").status_code == 200
