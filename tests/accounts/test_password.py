"""Password reset by e-mail and password change (django-allauth, issue 20): in the user's
language, recorded in the account's history, with allauth's "password changed" notice."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from parties.services import user_create
from portfolio.preferences import user_preference_set

pytestmark = pytest.mark.django_db

OLD = "old-Password-4711"
NEW = "new-Password-0815"


@pytest.fixture
def alice():
    return user_create(username="alice", password=OLD, email="alice@example.org")


def account_log(user) -> list[str]:
    return list(LogEntry.objects.filter(object_id=str(user.pk)).values_list("change_message", flat=True))


def reset_link(message) -> str:
    return re.search(r"https?://[^\s]+/accounts/password/reset/key/[^\s]+/", message.body).group(0)


def test_password_reset_by_email_sets_a_new_password(client, alice):
    """Asking for a reset e-mails a link; following it sets a new password, which signs in (the
    old one no longer does), and the reset is recorded in the account's history."""
    response = client.post(reverse("account_reset_password"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.org"]
    link = reset_link(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 302  # allauth moves the key out of the address
    form_url = response["Location"]
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"password1": NEW, "password2": NEW})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW) and not alice.check_password(OLD)
    assert any("reset" in entry for entry in account_log(alice))
    # the link works once
    assert "new password reset" in client.get(link, follow=True).content.decode().lower()


def test_password_reset_email_is_in_the_users_language(client, alice):
    """The reset e-mail is in the language the user chose in the portal, whatever the language
    of the browser that asked for it."""
    user_preference_set(user=alice, language="fr")
    client.post(reverse("account_reset_password"), {"email": "alice@example.org"})
    with translation.override("fr"):
        expected = translation.gettext("Password Reset Email")
    assert expected != "Password Reset Email"
    assert expected in mail.outbox[0].subject


def test_password_reset_for_an_unknown_address_reveals_nothing(client, alice):
    """An unknown address gets the same answer as a known one (no account enumeration)."""
    known = client.post(reverse("account_reset_password"), {"email": "alice@example.org"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_password_change(client, alice):
    """A signed-in user changes their password with the old one; the change is recorded in the
    account's history and allauth e-mails them a notice."""
    client.post(reverse("login"), {"login": "alice", "password": OLD})
    page = client.get(reverse("account_change_password"))
    assert page.status_code == 200
    assert 'name="oldpassword"' in page.content.decode()
    response = client.post(
        reverse("account_change_password"), {"oldpassword": OLD, "password1": NEW, "password2": NEW}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW)
    assert "Password changed" in account_log(alice)
    assert LogEntry.objects.get(object_id=str(alice.pk)).user_id == alice.pk
    assert any(message.to == ["alice@example.org"] for message in mail.outbox), "no password-changed notice"
    assert client.session["_auth_user_id"] == str(alice.pk)  # still signed in


def test_password_change_needs_the_old_password(client, alice):
    """A wrong current password changes nothing."""
    client.force_login(alice)
    client.post(
        reverse("account_change_password"), {"oldpassword": "wrong", "password1": NEW, "password2": NEW}
    )
    assert get_user_model().objects.get(pk=alice.pk).check_password(OLD)
    assert account_log(alice) == []
