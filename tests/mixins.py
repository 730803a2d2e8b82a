"""Generic test mixins, after NetBox's: a model's API and UI tests only declare.

A test class declares the model, how to make an object for a Party and what to send (writes
carry If-Match with the object's current ETag, as a client that read it first would). The
expected access per action and role — ``ALL`` (every Party), ``OWN`` (the role's own Party only)
or ``NONE`` (the role may never take the action) — is the model's entry in the one table of
tests/access_expectations.py, written out by hand and never read from the access policies it
checks; the permission matrix reads the same table.

Query counts of the lists are pinned once, in tests/performance/test_query_budgets.py (1 and 50
rows, every list endpoint and page), not here.
"""

import pytest
from django.urls import reverse

from cap_portal.concurrency import etag_for
from tests.access_expectations import ALL, NONE, OWN, expected_access

ROLES = [
    "anonymous",
    "case_manager",
    "secretariat_viewer",
    "ma_focal_point",
    "sa_focal_point",
    "donor_observer",
]
SIGNED_IN_ROLES = ROLES[1:]
TARGETS = ["own", "other"]


def date_reads_per_page(monkeypatch, api_client, url: str, add_rows) -> tuple[int, int, list, list]:
    """For a list with an ``is_overdue`` field decided against the reader's date: the reads of
    today's date (``timezone.localdate``) on a page after ``add_rows(2)``, then after
    ``add_rows(4)``, and each page's ``is_overdue`` flags. A list that reads the date once
    per page reads it as often for six rows as for two."""
    from django.utils import timezone

    read = []
    localdate = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: read.append(1) or localdate(*a, **k))

    def reads_after(rows: int) -> tuple[int, list[bool]]:
        add_rows(rows)
        read.clear()
        answer = api_client.get(url)
        assert answer.status_code == 200
        return len(read), [row["is_overdue"] for row in answer.json()["results"]]

    few, few_flags = reads_after(2)
    more, more_flags = reads_after(4)
    return few, more, few_flags, more_flags


def expected_outcome(rule: str, target: str) -> str:
    """'allowed', 'hidden' (outside the restricted queryset) or 'forbidden' (403)."""
    if rule == ALL:
        return "allowed"
    if rule == OWN:
        return "allowed" if target == "own" else "hidden"
    return "forbidden"


STATUS = {"allowed": 200, "hidden": 404, "forbidden": 403}


def expected_status(rule: str, target: str, allowed: int = 200) -> int:
    """The HTTP status of a request the rule allows (``allowed``), hides (404) or forbids (403)."""
    return {**STATUS, "allowed": allowed}[expected_outcome(rule, target)]


class ExpectedAccess:
    """``access[action][role]`` (view/add/change/delete; anonymous is always refused): the
    declared model's entry in tests/access_expectations.py."""

    model = None

    @property
    def access(self) -> dict[str, dict[str, str]]:
        assert self.model is not None, "name the model the test class checks"
        return expected_access(self.model)


class APITestBase(ExpectedAccess):
    basename: str = ""
    lookup_field = "pk"
    # the field a refused write into another Party is reported on
    party_field = "party"

    def make_object(self, party):
        raise NotImplementedError("declare make_object(party) in the test class")

    def create_payload(self, party) -> dict:
        raise NotImplementedError("declare create_payload(party) in the test class")

    def update_payload(self) -> dict:
        raise NotImplementedError("declare update_payload() in the test class")

    def lookup_value(self, obj):
        return getattr(obj, self.lookup_field)

    def list_url(self):
        return reverse(f"api:{self.basename}-list")

    def detail_url(self, obj):
        return reverse(f"api:{self.basename}-detail", kwargs={self.lookup_field: self.lookup_value(obj)})

    def client_for(self, api_client, world, role):
        user = world.users[role]
        if user is not None:
            # A session, as a browser has: each request loads its user afresh, as in production.
            api_client.force_login(user)
        return api_client

    def snapshot(self, obj):
        obj.refresh_from_db()
        return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


class ListObjectsTests(APITestBase):
    @pytest.mark.parametrize("role", ROLES)
    def test_list_objects(self, role, world, api_client):
        """A list shows exactly the objects the role may see: all, its own Party's, or none (403)."""
        own, other = self.make_object(world.own), self.make_object(world.other)
        response = self.client_for(api_client, world, role).get(self.list_url(), {"page_size": 500})
        if role == "anonymous":
            assert response.status_code == 401
            return
        rule = self.access["view"][role]
        if rule == NONE:
            assert response.status_code == 403
            return
        assert response.status_code == 200
        ids = {row["id"] for row in response.json()["results"]}
        assert own.pk in ids
        assert (other.pk in ids) is (rule == ALL)


class GetObjectTests(APITestBase):
    @pytest.mark.parametrize("target", TARGETS)
    @pytest.mark.parametrize("role", ROLES)
    def test_get_object(self, role, target, world, api_client):
        """Retrieve: 200 when allowed, 404 outside the role's Parties, 403 when never allowed."""
        obj = self.make_object(world.party(target))
        response = self.client_for(api_client, world, role).get(self.detail_url(obj))
        if role == "anonymous":
            assert response.status_code == 401
            return
        outcome = expected_outcome(self.access["view"][role], target)
        assert response.status_code == STATUS[outcome]
        if outcome == "allowed":
            assert response.json()["id"] == obj.pk


class CreateObjectTests(APITestBase):
    @pytest.mark.parametrize("target", TARGETS)
    @pytest.mark.parametrize("role", ROLES)
    def test_create_object(self, role, target, world, api_client):
        """Create: 201 when allowed; into another Party 400 naming the Party field; 403 when never allowed.
        Nothing is written when refused."""
        before = self.model.objects.count()
        payload = self.create_payload(world.party(target))
        response = self.client_for(api_client, world, role).post(self.list_url(), payload, format="json")
        if role == "anonymous":
            assert response.status_code == 401
        else:
            outcome = expected_outcome(self.access["add"][role], target)
            if outcome == "allowed":
                assert response.status_code == 201, response.json()
                assert self.model.objects.count() == before + 1
                return
            if outcome == "hidden":
                assert response.status_code == 400
                assert self.party_field in {e["attr"] for e in response.json()["errors"]}
            else:
                assert response.status_code == 403
        assert self.model.objects.count() == before


class UpdateObjectTests(APITestBase):
    @pytest.mark.parametrize("target", TARGETS)
    @pytest.mark.parametrize("role", ROLES)
    def test_update_object(self, role, target, world, api_client):
        """Update: 200 when allowed, 404 outside the role's Parties, 403 when never allowed.
        Nothing is written when refused."""
        obj = self.make_object(world.party(target))
        before = self.snapshot(obj)
        response = self.client_for(api_client, world, role).patch(
            self.detail_url(obj), self.update_payload(), format="json", HTTP_IF_MATCH=etag_for(obj)
        )
        if role == "anonymous":
            assert response.status_code == 401
        else:
            outcome = expected_outcome(self.access["change"][role], target)
            assert response.status_code == STATUS[outcome], response.content
            if outcome == "allowed":
                after = self.snapshot(obj)
                for key, value in self.update_payload().items():
                    assert str(getattr(obj, key)) == str(value)
                assert after != before
                assert (
                    obj.history.filter(history_type="~").latest("history_date").history_user
                    == world.users[role]
                )
                return
        assert self.snapshot(obj) == before


class DeleteObjectTests(APITestBase):
    @pytest.mark.parametrize("target", TARGETS)
    @pytest.mark.parametrize("role", ROLES)
    def test_delete_object(self, role, target, world, api_client):
        """Delete: 204 when allowed, 404 outside the role's Parties, 403 when never allowed.
        Nothing is deleted when refused."""
        obj = self.make_object(world.party(target))
        response = self.client_for(api_client, world, role).delete(
            self.detail_url(obj), HTTP_IF_MATCH=etag_for(obj)
        )
        exists = self.model.objects.filter(pk=obj.pk).exists()
        if role == "anonymous":
            assert response.status_code == 401
            assert exists
            return
        outcome = expected_outcome(self.access["delete"][role], target)
        assert response.status_code == {**STATUS, "allowed": 204}[outcome]
        assert exists is (outcome != "allowed")


class APIViewTestCases:
    """Compose the mixins: ``class TestX(APIViewTestCases.CRUD): ...`` declares one model's API tests."""

    class CRUD(ListObjectsTests, CreateObjectTests, UpdateObjectTests, DeleteObjectTests):
        """List, create, update and delete, for every role and Party. Retrieving is probed by the
        permission matrix's row for the detail URL, made from the same expectations
        (``matrix.crud_rows``: 200 with the object, 404 or 403, for every role and Party), so
        ``GetObjectTests`` is not repeated here."""


# --- UI --------------------------------------------------------------------------------------


class UITestBase(ExpectedAccess):
    def make_object(self, party):
        raise NotImplementedError("declare make_object(party) in the test class")

    def detail_url(self, obj) -> str:
        return obj.get_absolute_url()

    def edit_url(self, obj) -> str:
        raise NotImplementedError("declare edit_url(obj) in the test class")

    def add_url(self, party) -> str:
        raise NotImplementedError("declare add_url(party) in the test class")

    def list_url(self) -> str:
        raise NotImplementedError("declare list_url() in the test class")

    def login(self, client, world, role):
        user = world.users[role]
        if user is not None:
            client.force_login(user)
        return client


class UIListTests(UITestBase):
    @pytest.mark.parametrize("role", ROLES)
    def test_list_page(self, role, world, client):
        """The list page shows the objects the role may see; anonymous users are sent to sign in."""
        own, other = self.make_object(world.own), self.make_object(world.other)
        response = self.login(client, world, role).get(self.list_url())
        if role == "anonymous":
            assert response.status_code == 302 and "/login/" in response["Location"]
            return
        rule = self.access["view"][role]
        if rule == NONE:
            assert response.status_code == 403
            return
        assert response.status_code == 200
        shown = set(response.context["object_list"])
        assert own in shown
        assert (other in shown) is (rule == ALL)


class UIDetailTests(UITestBase):
    @pytest.mark.parametrize("target", TARGETS)
    @pytest.mark.parametrize("role", ROLES)
    def test_detail_page(self, role, target, world, client):
        """The object page: 200 when allowed, 404 outside the role's Parties, 403 when never allowed."""
        obj = self.make_object(world.party(target))
        response = self.login(client, world, role).get(self.detail_url(obj))
        if role == "anonymous":
            assert response.status_code == 302
            return
        assert response.status_code == expected_status(self.access["view"][role], target)


class UIEditTests(UITestBase):
    @pytest.mark.parametrize("target", TARGETS)
    @pytest.mark.parametrize("role", ROLES)
    def test_edit_page(self, role, target, world, client):
        """The edit form: 200 when allowed, 404 outside the role's Parties, 403 when never allowed."""
        obj = self.make_object(world.party(target))
        response = self.login(client, world, role).get(self.edit_url(obj))
        if role == "anonymous":
            assert response.status_code == 302
            return
        assert response.status_code == expected_status(self.access["change"][role], target)


class UIViewTestCases:
    """The list page's content is checked here. The object page and the edit form of a model whose
    URLs have rows made by ``matrix.crud_rows`` are probed there (200, 404 or 403 for every role
    and Party, from the same expectations); these mixins are for pages or objects it does not
    make (another state of the object, a page that is not plain CRUD)."""

    class ListDetailEdit(UIListTests, UIDetailTests, UIEditTests):
        """The list page, the object page and the edit form, for every role and Party."""

    class Edit(UIEditTests):
        """For records shown on their Party's page rather than a page of their own."""
