"""Permission-matrix rows for signing in (django-allauth under /accounts/: sign-in and sign-out,
password reset and change, two-factor authentication, OpenID Connect single sign-on). Merged
into MATRIX by tests/security/matrix.py; see its docstring for the rules. The pages the portal
does not use are cut (cap_portal.urls.ALLAUTH_URLS_UNUSED, tests/accounts/test_allauth_urls.py).

- public (anonymous allowed): sign-in, sign-out, "account inactive", the "sign-up closed"
  page, the password reset steps, single sign-on's start and its "cancelled" page;
- every signed-in person manages their own password and second factor: no role decides, so
  every role is allowed, and "own" and "other" make no difference;
- a signed-in person opening a page meant for anonymous users (sign-in, sign-up) is sent home;
  a step that needs a password confirmation first sends to that page (not to sign-in);
- a POST with no input answers 200 (the form with its errors); pages that take no POST are
  read-only rows (405);
- the two-factor authentication step of signing in (mfa_authenticate) belongs to a pending
  sign-in: without one, anonymous users are sent to sign in and signed-in users home;
- single sign-on's error page and its callback (with no code from the provider) answer 401 to
  everyone by design, which no letter says: their rows probe nothing, and
  tests/accounts/test_allauth_urls.py checks them. Its start is probed with GET (the confirmation
  page); the POST, which fetches the provider's discovery document, is tested with a local
  provider in tests/accounts/test_oidc.py.
"""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialApp

from .matrix import EVERYONE, Endpoint


def password_reset_link(world, target):
    """A valid password-reset link's key, for someone other than the prober."""
    return world.users["sa_focal_point"]


def by_reset_key(user):
    return {"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}


def second_factors(world, target):
    """An authenticator app and recovery codes for every role's user, so that each finds their
    own on the pages that manage them (a user without one gets 404 there)."""
    for user in world.users.values():
        if user is not None:
            TOTP.activate(user, generate_totp_secret())
            RecoveryCodes.activate(user)
    return world


def no_kwargs(obj):
    return {}


def single_sign_on(world, target):
    """The identity provider as an administrator may record it (allauth reads the database's
    providers as well as the settings'); nothing is fetched from it by a GET of the start page."""
    return SocialApp.objects.create(
        provider="openid_connect",
        provider_id="sso",
        name="single sign-on",
        client_id="cap-portal-matrix",
        secret="unused",
        settings={"server_url": "http://127.0.0.1:9"},
    )


def by_provider(app):
    return {"provider_id": app.provider_id}


# Everyone, anonymous users included.
PUBLIC = {"read": EVERYONE, "public": True}

ACCOUNTS_ROWS: dict = {
    # Signing in and out (the portal's own /login/ and /logout/ are in matrix.py).
    "account_login": Endpoint(**PUBLIC, write=EVERYONE),
    "account_logout": Endpoint(**PUBLIC, write=EVERYONE, signs_out=True),
    "account_inactive": Endpoint(**PUBLIC, exact=True),
    "account_signup": Endpoint(**PUBLIC, write=EVERYONE),
    "account_reauthenticate": Endpoint(read=EVERYONE, write=EVERYONE, exact=True),
    # Passwords
    "account_change_password": Endpoint(read=EVERYONE, write=EVERYONE, exact=True),
    # Reached only by an account without a usable password; everyone else is sent on to the
    # change page (a redirect, so not exact).
    "account_set_password": Endpoint(read=EVERYONE, write=EVERYONE),
    "account_reset_password": Endpoint(**PUBLIC, write=EVERYONE, exact=True),
    "account_reset_password_done": Endpoint(**PUBLIC, exact=True),
    "account_reset_password_from_key": Endpoint(
        obj=password_reset_link, kwargs=by_reset_key, **PUBLIC, write=EVERYONE
    ),
    "account_reset_password_from_key_done": Endpoint(**PUBLIC, exact=True),
    # Two-factor authentication
    "mfa_index": Endpoint(read=EVERYONE, exact=True),
    "mfa_authenticate": Endpoint(read=EVERYONE, write=EVERYONE),
    "mfa_reauthenticate": Endpoint(read=EVERYONE, write=EVERYONE),
    "mfa_activate_totp": Endpoint(read=EVERYONE, write=EVERYONE),
    "mfa_deactivate_totp": Endpoint(obj=second_factors, kwargs=no_kwargs, read=EVERYONE, write=EVERYONE),
    "mfa_view_recovery_codes": Endpoint(obj=second_factors, kwargs=no_kwargs, read=EVERYONE),
    "mfa_generate_recovery_codes": Endpoint(
        obj=second_factors, kwargs=no_kwargs, read=EVERYONE, write=EVERYONE
    ),
    "mfa_download_recovery_codes": Endpoint(obj=second_factors, kwargs=no_kwargs, read=EVERYONE),
    # Single sign-on (OpenID Connect)
    "openid_connect_login": Endpoint(obj=single_sign_on, kwargs=by_provider, **PUBLIC, exact=True),
    "openid_connect_callback": Endpoint(obj=single_sign_on, kwargs=by_provider, public=True),
    "socialaccount_login_cancelled": Endpoint(**PUBLIC, exact=True),
    "socialaccount_login_error": Endpoint(public=True),
}
