"""django-allauth's pages the portal does not use are cut (cap_portal.urls.ALLAUTH_URLS_UNUSED):
they answer 404, and the flows the portal uses still work (issue 20)."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialApp
from django.urls import NoReverseMatch, reverse

from parties.services import user_create

pytestmark = pytest.mark.django_db

PASSWORD = "alice-right-password"

# allauth's addresses for the pages it would offer (allauth/account/urls.py,
# allauth/socialaccount/urls.py, allauth/urls.py), under the portal's /accounts/.
CUT_PATHS = [
    "/accounts/email/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/some-key/",
    "/accounts/login/code/confirm/",
    "/accounts/reauthenticate/code/",
    "/accounts/reauthenticate/code/confirm/",
    "/accounts/3rdparty/",
    "/accounts/3rdparty/signup/",
    "/accounts/social/connections/",
    "/accounts/social/signup/",
    "/accounts/social/login/cancelled/",
    "/accounts/social/login/error/",
]

CUT_NAMES = [
    "account_email",
    "account_email_verification_sent",
    "account_confirm_login_code",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "socialaccount_connections",
    "socialaccount_signup",
]


@pytest.fixture
def alice():
    return user_create(username="alice", password=PASSWORD, email="alice@example.org")


@pytest.mark.parametrize("path", CUT_PATHS)
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_unused_allauth_pages_are_not_found(path, signed_in, client, alice):
    """E-mail management, sign-in and reauthentication by code, setting a first password,
    account connections, sign-up through the identity provider and allauth's legacy
    /accounts/social/ redirects answer 404, to GET and to POST."""
    if signed_in:
        client.force_login(alice)
    assert client.get(path).status_code == 404, path
    assert client.post(path, {}).status_code == 404, path


@pytest.mark.parametrize("name", CUT_NAMES)
def test_unused_allauth_pages_have_no_name(name):
    """Nothing can link to a cut page: its name no longer reverses."""
    with pytest.raises(NoReverseMatch):
        reverse(name)


def test_accounts_root_is_not_found(client, alice):
    """/accounts/ is a 404 (allauth's middleware would send a signed-in user to the cut e-mail
    page; without it, it stays out of the way)."""
    client.force_login(alice)
    assert client.get("/accounts/").status_code == 404


@pytest.mark.parametrize(
    "name",
    ["login", "account_login", "account_reset_password", "account_reset_password_done", "account_signup"],
)
def test_pages_for_anonymous_users_still_open(name, client):
    """Sign-in, password reset and the "sign-up closed" page are still served."""
    assert client.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize(
    "name", ["account_change_password", "mfa_index", "account_reauthenticate", "mfa_activate_totp"]
)
def test_pages_for_signed_in_users_still_open(name, client, alice):
    """Password change, the two-factor pages and password confirmation are still served."""
    client.force_login(alice)
    response = client.get(reverse(name))
    assert response.status_code in (200, 302), name
    if response.status_code == 302:
        assert "/login/" not in response["Location"], name


def test_password_confirmation_with_a_verified_address(client, alice):
    """A person whose address is recorded as verified (single sign-on does it) is asked for the
    password before setting up an authenticator app, and is not offered an e-mailed code (whose
    pages are cut)."""
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    client.force_login(alice)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "/reauthenticate/code/" not in page.content.decode()
    confirmed = client.post(response["Location"], {"password": PASSWORD})
    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_single_sign_on_errors_answer_401_in_place(signed_in, client, alice):
    """Single sign-on's error page, and its callback reached with no code from the provider,
    answer 401 with the error page to anyone (no redirect to sign in): the matrix's rows for them
    (tests/security/matrix_accounts.py) probe nothing, this does."""
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="sso",
        name="single sign-on",
        client_id="cap-portal-test",
        secret="unused",
        settings={"server_url": "http://127.0.0.1:9"},
    )
    if signed_in:
        client.force_login(alice)
    for url in (
        reverse("socialaccount_login_error"),
        reverse("openid_connect_callback", kwargs={"provider_id": "sso"}),
    ):
        response = client.get(url)
        assert response.status_code == 401, url
        assert "socialaccount/authentication_error.html" in [t.name for t in response.templates], url


def test_an_account_without_a_usable_password_sets_one_instead_of_a_server_error(client):
    """``createsuperuser --noinput`` makes an account with no usable password: once signed in
    (e.g. through single sign-on), the password page lets it set one, it does not answer 500."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="no-password", email="np@example.org")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    change = client.get(reverse("account_change_password"))
    assert change.status_code == 302 and change["Location"] == reverse("account_set_password")
    page = client.get(reverse("account_set_password"))
    assert page.status_code == 200
    saved = client.post(
        reverse("account_set_password"),
        {"password1": "A-long-new-pass-2026", "password2": "A-long-new-pass-2026"},
    )
    assert saved.status_code == 302
    user.refresh_from_db()
    assert user.check_password("A-long-new-pass-2026")
