import pytest
from django.urls import reverse

from parties.models import Contact, Party
from tests.factories import ContactFactory, PartyAsObject
from tests.mixins import UIListTests

pytestmark = pytest.mark.django_db


class TestPartyUI(PartyAsObject, UIListTests):
    model = Party

    def list_url(self):
        return reverse("parties:party_list")


@pytest.mark.parametrize(
    "role, sees_own, sees_other",
    [
        ("case_manager", True, True),
        ("secretariat_viewer", True, True),
        ("ma_focal_point", True, False),
        ("sa_focal_point", True, False),
        ("donor_observer", False, False),
    ],
)
def test_party_page_shows_contacts_only_to_whom_may_see_them(role, sees_own, sees_other, world, client):
    """Contacts are shown on their Party's page to the Secretariat and that Party's focal points only."""
    own = ContactFactory(party=world.own, name="Own Person")
    other = ContactFactory(party=world.other, name="Other Person")
    client.force_login(world.users[role])
    own_page = client.get(world.own.get_absolute_url()).content.decode()
    other_page = client.get(world.other.get_absolute_url()).content.decode()
    assert (own.name in own_page) is sees_own
    assert (other.name in other_page) is sees_other


def test_party_list_filters(world, client):
    """The UI list accepts the API's query strings."""
    Party.objects.create(code="FJ", name="Fiji", region="oceania", is_sids=True)
    client.force_login(world.users["secretariat_viewer"])
    response = client.get(reverse("parties:party_list"), {"region": "oceania"})
    assert [p.code for p in response.context["object_list"]] == ["FJ"]
    response = client.get(reverse("parties:party_list"), {"q": "tog"})
    assert [p.code for p in response.context["object_list"]] == ["TG"]
    assert "Fiji" not in response.content.decode()


def test_focal_point_adds_contact_to_own_party(world, client):
    """An MA focal point adds a contact to its own Party through the UI form."""
    client.force_login(world.users["ma_focal_point"])
    url = reverse("parties:contact_add", kwargs={"code": "TG"})
    response = client.post(url, {"name": "Kossi Ayivi", "email": "kossi@example.org"})
    assert response.status_code == 302
    contact = Contact.objects.get(name="Kossi Ayivi")
    assert contact.party == world.own
    assert contact.history.first().history_user == world.users["ma_focal_point"]


def test_focal_point_cannot_add_contact_to_another_party(world, client):
    """Adding to another Party's page is refused and nothing is written."""
    client.force_login(world.users["ma_focal_point"])
    response = client.post(reverse("parties:contact_add", kwargs={"code": "NG"}), {"name": "Intruder"})
    assert response.status_code == 200  # the form comes back with the error
    assert "You may not write to this Party" in response.content.decode()
    assert not Contact.objects.filter(name="Intruder").exists()


def test_form_errors_are_shown_next_to_the_field(world, client):
    client.force_login(world.users["case_manager"])
    response = client.post(
        reverse("parties:party_add"), {"code": "TG", "name": "", "region": "africa", "language": "en"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"code", "name"}
    assert 'class="invalid-feedback d-block" id="id_name_error"' in response.content.decode()
    assert Party.objects.count() == 2


def test_login_and_logout_pages(world, client):
    from parties.services import user_create

    user_create(username="alice", password="correct-horse")
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"login": "alice", "password": "correct-horse"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_stale_ui_edit_is_detected_and_shows_what_changed(world, client):
    """Two people open the same contact; the second save is refused with who changed what,
    and a save after reviewing goes through."""
    from cap_portal.services import object_update

    contact = ContactFactory(party=world.own, position="Officer")
    url = reverse("parties:contact_edit", kwargs={"code": "TG", "pk": contact.pk})
    client.force_login(world.users["ma_focal_point"])
    opened = client.get(url).context["form"]["edit_version"].value()

    object_update(instance=contact, user=world.users["case_manager"], data={"position": "Director"})

    response = client.post(url, {"name": contact.name, "position": "Clerk", "edit_version": opened})
    assert response.status_code == 200
    error = " ".join(response.context["form"].non_field_errors())
    assert "case_manager" in error and "«Officer» → «Director»" in error
    contact.refresh_from_db()
    assert contact.position == "Director"

    again = response.context["form"]["edit_version"].value()
    response = client.post(url, {"name": contact.name, "position": "Clerk", "edit_version": again})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.position == "Clerk"
