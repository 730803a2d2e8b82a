"""Optional OpenID Connect single sign-on (issue 20): configured from the environment only, shown
on the sign-in page only when configured, and signing in only an existing active person whose
e-mail address the identity provider vouches for."""

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory
from django.urls import reverse

from accounts.adapters import SocialAccountAdapter
from parties.services import user_create

pytestmark = pytest.mark.django_db

CLIENT_ID = "cap-portal-test"


class DiscoveryHandler(BaseHTTPRequestHandler):
    """An identity provider's discovery document, and nothing else."""

    def do_GET(self):
        if self.path != "/.well-known/openid-configuration":
            self.send_error(404)
            return
        base = f"http://127.0.0.1:{self.server.server_port}"
        body = json.dumps(
            {
                "issuer": base,
                "authorization_endpoint": f"{base}/protocol/openid-connect/auth",
                "token_endpoint": f"{base}/protocol/openid-connect/token",
                "userinfo_endpoint": f"{base}/protocol/openid-connect/userinfo",
                "jwks_uri": f"{base}/protocol/openid-connect/certs",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def identity_provider():
    """A local HTTP server serving /.well-known/openid-configuration, in a thread."""
    server = HTTPServer(("127.0.0.1", 0), DiscoveryHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def sso(settings, identity_provider):
    """The provider as the settings build it from OIDC_* variables."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "UNEP Identity",
                    "client_id": CLIENT_ID,
                    "secret": "s3cret",
                    "settings": {"server_url": identity_provider, "oauth_pkce_enabled": True},
                }
            ]
        }
    }
    return identity_provider


def settings_from_environment(extra: dict) -> dict:
    """SOCIALACCOUNT_PROVIDERS as the settings module builds it in a fresh process."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("OIDC_")}
    env.update(extra, DJANGO_SETTINGS_MODULE="cap_portal.settings.test")
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.SOCIALACCOUNT_PROVIDERS))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_provider_comes_from_the_environment_only():
    """OIDC_CLIENT_ID set: one provider, named and located by the other OIDC_* variables; unset:
    none."""
    assert settings_from_environment({})["openid_connect"]["APPS"] == []
    apps = settings_from_environment(
        {
            "OIDC_PROVIDER_NAME": "UNEP Identity",
            "OIDC_SERVER_URL": "https://id.example.org/realms/unep",
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": "s3cret",
        }
    )["openid_connect"]["APPS"]
    assert len(apps) == 1
    app = apps[0]
    assert (app["name"], app["client_id"], app["secret"]) == ("UNEP Identity", CLIENT_ID, "s3cret")
    assert app["settings"]["server_url"] == "https://id.example.org/realms/unep"


def test_no_single_sign_on_button_without_configuration(client):
    assert "Sign in with" not in client.get(reverse("login")).content.decode()


def test_the_login_page_offers_single_sign_on_when_configured(client, sso):
    html = client.get(reverse("login")).content.decode()
    assert "Sign in with UNEP Identity" in html
    assert "/accounts/oidc/sso/login/" in html


def test_starting_single_sign_on_goes_to_the_providers_authorization_endpoint(client, sso):
    """The button leads to a confirmation (a POST, so a link cannot start it), which redirects to
    the authorization endpoint read from the provider's discovery document."""
    url = "/accounts/oidc/sso/login/?process=login"
    page = client.get(url)
    assert page.status_code == 200 and "Sign in with UNEP Identity" in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{sso}/protocol/openid-connect/auth"
    query = parse_qs(location.query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["response_type"] == ["code"]
    assert "openid" in query["scope"][0].split() and "email" in query["scope"][0].split()
    assert query["state"] and query["code_challenge"]


def _request():
    request = RequestFactory().get("/accounts/oidc/sso/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.session.save()
    request._messages = FallbackStorage(request)
    return request


def _sociallogin(request, email: str, *, verified: bool = True) -> SocialLogin:
    """What the provider's answer becomes in allauth: a login carrying the e-mail address."""
    User = get_user_model()
    return SocialLogin(
        provider=get_adapter().get_provider(request, "sso"),
        user=User(email=email),
        account=SocialAccount(provider="sso", uid=f"uid-{email}", extra_data={"email": email}),
        email_addresses=[EmailAddress(email=email, verified=verified, primary=True)],
    )


def _pre_social_login(request, sociallogin):
    """What allauth does once the provider has answered: look the person up, then ask the adapter."""
    with context.request_context(request):
        sociallogin.lookup()
        SocialAccountAdapter(request).pre_social_login(request, sociallogin)


def test_an_unknown_email_is_refused_with_a_message(sso):
    """Nobody in the portal has the address: refused (back to the sign-in page, saying why), and
    no account is created."""
    request = _request()
    with pytest.raises(ImmediateHttpResponse) as refused:
        _pre_social_login(request, _sociallogin(request, "stranger@example.org"))
    assert refused.value.response["Location"] == reverse("login")
    text = " ".join(str(m) for m in get_messages(request))
    assert "No active account in the portal has the e-mail address" in text and "stranger@example.org" in text
    assert not get_user_model().objects.filter(email="stranger@example.org").exists()


def test_an_address_the_provider_did_not_verify_is_refused(sso):
    user_create(username="alice", password="alice-right-password", email="alice@example.org")
    request = _request()
    with pytest.raises(ImmediateHttpResponse):
        _pre_social_login(request, _sociallogin(request, "alice@example.org", verified=False))


def test_an_inactive_person_is_refused(sso):
    alice = user_create(username="alice", password="alice-right-password", email="alice@example.org")
    alice.is_active = False
    alice.save()
    request = _request()
    with pytest.raises(ImmediateHttpResponse):
        _pre_social_login(request, _sociallogin(request, "alice@example.org"))


def test_an_existing_person_is_matched_and_keeps_their_password(sso):
    """The active person with the address is the one signed in; the address is marked verified
    so that allauth does not wipe their password (it does so for addresses nobody confirmed)."""
    alice = user_create(username="alice", password="alice-right-password", email="alice@example.org")
    request = _request()
    sociallogin = _sociallogin(request, "Alice@Example.org")
    _pre_social_login(request, sociallogin)
    assert sociallogin.user == alice
    with context.request_context(request):
        sociallogin._accept_login(request)  # allauth's next step: wipes the password if unverified
    alice.refresh_from_db()
    assert alice.check_password("alice-right-password")
    assert SocialAccount.objects.filter(user=alice, provider="sso").exists()  # connected


def test_an_address_added_to_another_account_does_not_capture_the_sign_in(sso):
    """An address someone added to their own account (allauth's e-mail page, unverified) does not
    make single sign-on with that address land in their account: only an account's own address
    counts."""
    mallory = user_create(username="mallory", password="mallory-password", email="mallory@example.org")
    EmailAddress.objects.create(user=mallory, email="director@example.org", verified=False, primary=False)
    user_create(username="director", password="director-password", email="director@example.org")
    request = _request()
    sociallogin = _sociallogin(request, "director@example.org")
    try:
        _pre_social_login(request, sociallogin)
    except ImmediateHttpResponse:
        return  # refused (allauth found mallory's row first): the director signs in with a password
    assert sociallogin.user.username == "director", "the sign-in landed in mallory's account"
