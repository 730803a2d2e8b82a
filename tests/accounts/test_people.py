"""People and roles in the portal (issue 20, point 2): who holds which role for which Party since
when; roles given and ended with dates; accounts deactivated and reactivated; all audited."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken, new_secret, secret_digest
from cap_portal.access import Role, holds_role
from parties.models import RoleAssignment
from parties.services import role_assign, user_create
from tests.factories import AuthorityFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)


def ma_role(world):
    return RoleAssignment.objects.get(user=world.users["ma_focal_point"], role=Role.MA_FOCAL_POINT)


def test_people_list_shows_roles_held_today_with_party_and_since_when(world, client):
    """The Secretariat sees everyone, with the roles they hold now (Party, since when)."""
    client.force_login(world.users["secretariat_viewer"])
    response = client.get(reverse("people:person_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ma_focal_point" in page and "Togo" in page
    people = {p.username: p for p in response.context["object_list"]}
    assert [r.party for r in people["ma_focal_point"].current_roles] == [world.own]


def test_people_list_filters_by_role_party_and_active(world, client):
    client.force_login(world.users["case_manager"])
    url = reverse("people:person_list")
    names = lambda response: sorted(p.username for p in response.context["object_list"])  # noqa: E731
    assert names(client.get(url, {"role": Role.SA_FOCAL_POINT})) == ["sa_focal_point"]
    assert names(client.get(url, {"party": "tg"})) == ["ma_focal_point", "sa_focal_point"]
    assert names(client.get(url, {"party": "NG"})) == []
    assert names(client.get(url, {"role": Role.MA_FOCAL_POINT, "party": "NG"})) == []
    services.user_deactivate(user=world.users["donor_observer"], by=world.users["case_manager"])
    assert names(client.get(url, {"is_active": "false"})) == ["donor_observer"]


@pytest.mark.parametrize("role", ["ma_focal_point", "sa_focal_point", "donor_observer"])
def test_a_focal_point_cannot_reach_people(role, world, client):
    """People pages are the Secretariat's: every other role gets 403, reading or writing."""
    client.force_login(world.users[role])
    person = world.users["case_manager"]
    assert client.get(reverse("people:person_list")).status_code == 403
    assert client.get(reverse("people:person_detail", kwargs={"pk": person.pk})).status_code == 403
    assert client.post(reverse("people:person_deactivate", kwargs={"pk": person.pk})).status_code == 403
    assert client.get(reverse("people:role_grant", kwargs={"pk": person.pk})).status_code == 403
    assert get_user_model().objects.get(pk=person.pk).is_active


def test_a_secretariat_viewer_reads_but_does_not_act(world, client):
    client.force_login(world.users["secretariat_viewer"])
    person = world.users["ma_focal_point"]
    detail = client.get(reverse("people:person_detail", kwargs={"pk": person.pk}))
    assert detail.status_code == 200 and not detail.context["can_manage"]
    assert client.post(reverse("people:person_deactivate", kwargs={"pk": person.pk})).status_code == 403
    url = reverse("people:role_end", kwargs={"pk": ma_role(world).pk})
    assert client.post(url, {"ends_on": "2026-01-01"}).status_code == 403
    assert ma_role(world).ends_on is None


def test_a_role_ended_with_a_date_holds_before_it_and_not_from_it(world, client):
    """The case manager ends the role on a date ahead: it holds the day before, not from that day."""
    client.force_login(world.users["case_manager"])
    role = ma_role(world)
    ends_on = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        reverse("people:role_end", kwargs={"pk": role.pk}), {"ends_on": ends_on.isoformat()}
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.ends_on == ends_on
    held = RoleAssignment.objects.filter(pk=role.pk)
    assert held.current(on=ends_on - datetime.timedelta(days=1)).exists()
    assert not held.current(on=ends_on).exists()
    assert held.current().exists()  # still today
    record = role.history.first()
    assert record.history_user == world.users["case_manager"] and record.history_change_reason == "Role ended"


def test_a_role_ended_today_takes_the_partys_records_away(world, client):
    AuthorityFactory(party=world.own)
    focal_point = world.users["ma_focal_point"]
    services.role_end(assignment=ma_role(world), ends_on=timezone.localdate(), by=world.users["case_manager"])
    client.force_login(focal_point)
    assert client.get("/api/v1/authorities/").status_code == 403
    assert not holds_role(get_user_model().objects.get(pk=focal_point.pk), {Role.MA_FOCAL_POINT})


def test_a_role_cannot_end_before_it_starts_field_error_nothing_written(world, client):
    client.force_login(world.users["case_manager"])
    role = ma_role(world)
    before = (role.starts_on - datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("people:role_end", kwargs={"pk": role.pk}), {"ends_on": before})
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    role.refresh_from_db()
    assert role.ends_on is None


def test_granting_a_role_needs_a_party_for_a_focal_point(world, client):
    """Field-level: a focal-point role without a Party is refused on the Party field."""
    client.force_login(world.users["case_manager"])
    person = world.users["secretariat_viewer"]
    url = reverse("people:role_grant", kwargs={"pk": person.pk})
    response = client.post(url, {"role": Role.MA_FOCAL_POINT})
    assert response.status_code == 200 and "party" in response.context["form"].errors
    assert not RoleAssignment.objects.filter(user=person, role=Role.MA_FOCAL_POINT).exists()
    starts = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(
        url, {"role": Role.MA_FOCAL_POINT, "party": world.other.pk, "starts_on": starts.isoformat()}
    )
    assert response.status_code == 302
    granted = RoleAssignment.objects.get(user=person, role=Role.MA_FOCAL_POINT)
    assert granted.starts_on == starts and not granted.is_current


def test_an_ended_role_given_again_is_reopened_on_the_same_row(world):
    """role_assign reopens an ended role from the new start date; the history keeps both periods."""
    role = ma_role(world)
    first_start = role.starts_on
    services.role_end(assignment=role, ends_on=timezone.localdate(), by=world.users["case_manager"])
    again = timezone.localdate() + datetime.timedelta(days=2)
    reopened = role_assign(
        user=world.users["ma_focal_point"], role=Role.MA_FOCAL_POINT, party=world.own, starts_on=again
    )
    assert reopened.pk == role.pk and reopened.starts_on == again and reopened.ends_on is None
    periods = {(h.starts_on, h.ends_on) for h in role.history.all()}
    assert (first_start, timezone.localdate()) in periods and (again, None) in periods
    # idempotent: giving a role that holds changes nothing
    count = role.history.count()
    role_assign(user=world.users["ma_focal_point"], role=Role.MA_FOCAL_POINT, party=world.own)
    assert role.history.count() == count


def test_a_deactivated_user_cannot_sign_in_and_holds_nothing(world, client):
    """Deactivating ends the roles today (history with reason and who), revokes API tokens,
    ends the session, and the password no longer signs in."""
    person = user_create(username="leaving", password="Leaving-Pass-2026", email="leaving@example.org")
    role_assign(user=person, role=Role.MA_FOCAL_POINT, party=world.own)
    future = role_assign(
        user=person, role=Role.SA_FOCAL_POINT, party=world.other, starts_on=TODAY.replace(year=2030)
    )
    token = ApiToken.objects.create(
        user=person,
        name="script",
        prefix="abcd",
        key_digest=secret_digest(new_secret()),
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    client.force_login(person)
    assert client.get("/parties/").status_code == 200

    manager = world.users["case_manager"]
    admin = client.__class__()
    admin.force_login(manager)
    response = admin.post(reverse("people:person_deactivate", kwargs={"pk": person.pk}))
    assert response.status_code == 302

    person.refresh_from_db()
    assert not person.is_active
    assert not RoleAssignment.objects.current().filter(user=person).exists()
    assert not RoleAssignment.objects.current(on=TODAY.replace(year=2031)).filter(user=person).exists()
    for assignment in RoleAssignment.objects.filter(user=person):
        record = assignment.history.first()
        assert record.history_user == manager and record.history_change_reason == "Account deactivated"
    future.refresh_from_db()
    assert future.ends_on == future.starts_on  # never held
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert LogEntry.objects.filter(object_id=str(person.pk), user=manager).exists()
    # the open session ends; the password no longer signs in
    response = client.get("/parties/")
    assert response.status_code == 302 and "login" in response["Location"]
    request = RequestFactory().post("/login/")
    assert authenticate(request, username="leaving", password="Leaving-Pass-2026") is None
    assert client.post(
        "/api/v1/auth/token/", {"username": "leaving", "password": "Leaving-Pass-2026"}
    ).status_code in (
        400,
        401,
    )
    # reactivated, the account holds no role until one is given again
    services.user_reactivate(user=person, by=manager)
    person.refresh_from_db()
    assert person.is_active and not RoleAssignment.objects.current().filter(user=person).exists()


def test_a_case_manager_cannot_deactivate_themselves(world, client):
    manager = world.users["case_manager"]
    client.force_login(manager)
    client.post(reverse("people:person_deactivate", kwargs={"pk": manager.pk}))
    manager.refresh_from_db()
    assert manager.is_active


def test_people_list_query_count_does_not_grow_with_rows(world, client, django_assert_max_num_queries):
    client.force_login(world.users["case_manager"])
    with django_assert_max_num_queries(20) as first:
        client.get(reverse("people:person_list"))
    for n in range(20):
        person = user_create(username=f"p{n}", password="x")
        role_assign(user=person, role=Role.SA_FOCAL_POINT, party=world.own)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("people:person_list"))


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("case_manager", True),
        ("secretariat_viewer", True),
        ("ma_focal_point", False),
        ("sa_focal_point", False),
        ("donor_observer", False),
    ],
)
def test_people_is_in_the_main_navigation_of_the_secretariat(role, shown, world, client):
    client.force_login(world.users[role])
    page = client.get(reverse("parties:party_list")).content.decode()
    nav = page[page.index('<ul class="navbar-nav') : page.index("</ul>")]
    assert (f'href="{reverse("people:person_list")}"' in nav) is shown
