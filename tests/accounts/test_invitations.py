"""Invitations (issue 20, point 2): a case manager invites a person by e-mail for a role; the
link works once, until it expires; the person chooses a username and password and holds the role."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, secret_digest
from cap_portal.access import Role
from parties.models import RoleAssignment
from tests.factories import AuthorityFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"(https?://\S+/people/invitations/accept/([^/\s]+)/)")
STRONG = "Kpalime-Forest-2026!"


def link_in(message) -> tuple[str, str]:
    """The link and its secret, from an e-mail."""
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1), match.group(2)


def invite(world, client, **data):
    client.force_login(world.users["case_manager"])
    payload = {
        "email": "afi.mensah@environnement.tg",
        "first_name": "Afi",
        "last_name": "Mensah",
        "role": Role.MA_FOCAL_POINT,
        "party": world.own.pk,
        "language": "fr",
        **data,
    }
    return client.post(reverse("people:invitation_add"), payload)


def test_onboarding_a_focal_point_from_invitation_to_their_party(world, client, settings):
    """The case manager invites a focal point for Togo; the e-mail, in French, carries the link
    and the expiry; accepting sets the password, signs the person in, and they hold the role and
    see Togo's records only."""
    settings.PORTAL_URL = "https://cap.example.org"
    response = invite(world, client)
    assert response.status_code == 302, response.content.decode()[:2000]
    invitation = Invitation.objects.get()
    assert invitation.invited_by == world.users["case_manager"]
    assert invitation.history.first().history_user == world.users["case_manager"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["afi.mensah@environnement.tg"]
    assert "Point focal de l'organe de gestion" in message.body  # the role, in French
    assert "Togo" in message.body and "Afi" in message.body
    link, secret = link_in(message)
    assert link.startswith("https://cap.example.org/people/invitations/accept/")
    assert invitation.key_digest == secret_digest(secret)
    assert secret not in str(Invitation.objects.values_list().get())  # only the digest is kept
    # the French catalogue is used when it has the strings; the expiry date is in the message
    assert str(timezone.localtime(invitation.expires_at).year) in message.body

    client.logout()
    page = client.get(reverse("people:invitation_accept", kwargs={"secret": secret}))
    assert page.status_code == 200
    assert "Togo" in page.content.decode()
    response = client.post(
        reverse("people:invitation_accept", kwargs={"secret": secret}),
        {"username": "afi", "password": STRONG, "password_confirm": STRONG},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    person = get_user_model().objects.get(username="afi")
    assert person.check_password(STRONG)
    assert person.email == "afi.mensah@environnement.tg" and person.first_name == "Afi"
    assert (
        RoleAssignment.objects.current()
        .filter(user=person, role=Role.MA_FOCAL_POINT, party=world.own)
        .exists()
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == person and invitation.accepted_at is not None
    # signed in, and sees their own Party's authorities only
    AuthorityFactory(party=world.own, name="Direction des Eaux et Forêts")
    AuthorityFactory(party=world.other, name="Federal Ministry of Environment")
    listing = client.get("/api/v1/authorities/")
    assert listing.status_code == 200
    names = [row["name"] for row in listing.json()["results"]]
    assert names == ["Direction des Eaux et Forêts"]


def test_the_email_is_in_the_invitations_language(world, settings):
    """Sent by an English-speaking case manager, a Spanish invitation reads in Spanish."""
    settings.PORTAL_URL = "https://cap.example.org"
    services.invitation_create(
        email="ana@example.org",
        role=Role.SECRETARIAT_VIEWER,
        language="es",
        by=world.users["case_manager"],
    )
    services.invitation_create(
        email="bob@example.org",
        role=Role.SECRETARIAT_VIEWER,
        language="en",
        by=world.users["case_manager"],
    )
    spanish, english = mail.outbox
    # The role's name is in the catalogues already (the message's own sentences follow them).
    assert "Consulta de la Secretaría (solo lectura)" in spanish.body
    assert "Secretariat viewer" not in spanish.body
    assert "Secretariat viewer" in english.body
    assert "/people/invitations/accept/" in spanish.body


def accept(client, secret, username="newcomer"):
    return client.post(
        reverse("people:invitation_accept", kwargs={"secret": secret}),
        {"username": username, "password": STRONG, "password_confirm": STRONG},
    )


def make_invitation(world, **kwargs):
    values = {"email": "new@example.org", "role": Role.SA_FOCAL_POINT, "party": world.own, "language": "en"}
    return services.invitation_create(**{**values, **kwargs}, by=world.users["case_manager"])


def assert_nothing_written(before_users):
    assert get_user_model().objects.count() == before_users
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_an_expired_link_is_refused_and_nothing_written(world, client):
    """After INVITATION_TTL_DAYS the link answers 410 with a clear message; no account is made."""
    invitation, secret = make_invitation(world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    users = get_user_model().objects.count()
    page = client.get(reverse("people:invitation_accept", kwargs={"secret": secret}))
    assert page.status_code == 410 and "expired" in page.content.decode()
    response = accept(client, secret)
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert_nothing_written(users)
    assert Invitation.objects.get().accepted_at is None


def test_a_used_link_is_refused(world, client):
    """A link works once: the second use is refused, and no second account is made."""
    _invitation, secret = make_invitation(world)
    assert accept(client, secret).status_code == 302
    client.logout()
    users = get_user_model().objects.count()
    response = accept(client, secret, username="someone-else")
    assert response.status_code == 410 and "already used" in response.content.decode()
    assert get_user_model().objects.count() == users


def test_a_withdrawn_link_is_refused(world, client):
    """A withdrawn invitation's link is refused; the withdrawal is recorded with who did it."""
    invitation, secret = make_invitation(world)
    services.invitation_revoke(invitation=invitation, by=world.users["case_manager"])
    users = get_user_model().objects.count()
    response = accept(client, secret)
    assert response.status_code == 410 and "withdrawn" in response.content.decode()
    assert_nothing_written(users)
    record = Invitation.objects.get().history.first()
    assert record.revoked_at is not None and record.history_user == world.users["case_manager"]


def test_an_unknown_link_is_404(world, client):
    assert client.get(reverse("people:invitation_accept", kwargs={"secret": "nope"})).status_code == 404


def test_a_resent_invitation_gets_a_new_link_and_the_old_one_stops(world, client):
    invitation, old = make_invitation(world)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(world.users["case_manager"])
    response = client.post(reverse("people:invitation_resend", kwargs={"pk": invitation.pk}))
    assert response.status_code == 302
    _link, new = link_in(mail.outbox[-1])
    assert new != old
    invitation.refresh_from_db()
    assert invitation.is_open
    client.logout()
    assert accept(client, old).status_code == 404
    assert accept(client, new).status_code == 302


def test_a_weak_password_or_mismatch_is_refused_field_by_field(world, client):
    """Django's password validators apply; errors are under their field; nothing is written."""
    invitation, secret = make_invitation(world)
    users = get_user_model().objects.count()
    url = reverse("people:invitation_accept", kwargs={"secret": secret})
    response = client.post(url, {"username": "newcomer", "password": "123", "password_confirm": "123"})
    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    response = client.post(
        url, {"username": "newcomer", "password": STRONG, "password_confirm": STRONG + "x"}
    )
    assert response.status_code == 400
    assert "password_confirm" in response.context["form"].errors
    response = client.post(url, {"username": "case_manager", "password": STRONG, "password_confirm": STRONG})
    assert response.status_code == 400 and "username" in response.context["form"].errors
    assert_nothing_written(users)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_focal_point_role_without_a_party_is_refused_on_the_party_field(world, client):
    """The role/Party rule is RoleAssignment's: nothing is written, no e-mail goes out."""
    response = invite(world, client, party="")
    assert response.status_code == 200
    assert "party" in response.context["form"].errors
    response = invite(world, client, role=Role.CASE_MANAGER)
    assert "party" in response.context["form"].errors
    response = invite(world, client, role=Role.DONOR_OBSERVER, party="")
    assert "donor" in response.context["form"].errors
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_second_open_invitation_for_the_same_role_is_refused(world, client):
    make_invitation(world)
    with pytest.raises(ValidationError) as refused:
        make_invitation(world, email="NEW@example.org")
    assert "email" in refused.value.message_dict
    assert Invitation.objects.count() == 1


def test_a_signed_in_person_with_the_address_gets_the_role_on_their_account(world, client):
    """Someone who already has an account accepts while signed in: the role is added to it."""
    person = world.users["sa_focal_point"]
    person.email = "sa@example.org"
    person.save()
    _invitation, secret = make_invitation(
        world, email="sa@example.org", role=Role.SA_FOCAL_POINT, party=world.other
    )
    client.force_login(person)
    response = client.post(reverse("people:invitation_accept", kwargs={"secret": secret}), {})
    assert response.status_code == 302
    assert RoleAssignment.objects.current().filter(user=person, party=world.other).exists()


def test_an_existing_address_must_sign_in_first(world, client):
    person = world.users["sa_focal_point"]
    person.email = "sa@example.org"
    person.save()
    _invitation, secret = make_invitation(world, email="sa@example.org", party=world.other)
    users = get_user_model().objects.count()
    response = accept(client, secret)
    assert response.status_code == 400 and "sign in" in response.content.decode()
    assert get_user_model().objects.count() == users


def test_invitation_pages_are_for_the_secretariat(world, client):
    """Focal points and donor observers get 403; the Secretariat viewer reads the list only."""
    make_invitation(world)
    for role in ("ma_focal_point", "sa_focal_point", "donor_observer"):
        client.force_login(world.users[role])
        assert client.get(reverse("people:invitation_list")).status_code == 403
        assert client.get(reverse("people:invitation_add")).status_code == 403
    client.force_login(world.users["secretariat_viewer"])
    assert client.get(reverse("people:invitation_list")).status_code == 200
    assert client.get(reverse("people:invitation_add")).status_code == 403
    assert (
        client.post(
            reverse("people:invitation_revoke", kwargs={"pk": Invitation.objects.get().pk})
        ).status_code
        == 403
    )
