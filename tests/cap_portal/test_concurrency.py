"""Optimistic concurrency on the API: ETag on reads, If-Match on writes, no lost update."""

import threading

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from parties.models import Contact
from tests.factories import ContactFactory


@pytest.mark.django_db
def test_detail_carries_etag_and_stale_if_match_is_412(world, api_client):
    """A write with the ETag of an older version answers 412 and writes nothing."""
    contact = ContactFactory(party=world.own, position="Officer")
    api_client.force_login(world.users["case_manager"])
    url = f"/api/v1/contacts/{contact.pk}/"
    first = api_client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) > 10

    ok = api_client.patch(url, {"position": "Director"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200
    assert ok["ETag"] != etag

    stale = api_client.patch(url, {"position": "Clerk"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["errors"][0]["code"] == "precondition_failed"
    contact.refresh_from_db()
    assert contact.position == "Director"

    gone = api_client.delete(url, HTTP_IF_MATCH=etag)
    assert gone.status_code == 412
    assert Contact.objects.filter(pk=contact.pk).exists()
    assert api_client.delete(url, HTTP_IF_MATCH=ok["ETag"]).status_code == 204


def _writable_routes():
    """(basename, model label) of every API route that takes PATCH or DELETE on one object."""
    from cap_portal.api.urls import router

    routes = []
    for _prefix, viewset, basename in router.registry:
        methods = set(viewset.http_method_names)
        if (
            hasattr(viewset, "partial_update")
            and "patch" in methods
            or hasattr(viewset, "destroy")
            and "delete" in methods
        ):
            routes.append(pytest.param(basename, viewset.queryset.model._meta.label, id=basename))
    return routes


WRITABLE_ROUTES = _writable_routes()


def test_every_writable_resource_is_checked():
    """Of the 30-odd resources that take PATCH, every one is in the If-Match test below."""
    assert len(WRITABLE_ROUTES) >= 25


@pytest.mark.django_db
@pytest.mark.parametrize("basename,label", WRITABLE_ROUTES)
def test_every_update_and_delete_requires_if_match(basename, label, world, api_client):
    """Without If-Match every update and delete answers 428 and writes nothing; the role that may
    write is the case manager, or (for Party records) also the focal point."""
    from tests.performance.test_query_budgets import MAKERS

    obj = MAKERS[label](world)
    model = type(obj)
    before = model.objects.filter(pk=obj.pk).values().get()
    api_client.force_login(world.users["case_manager"])
    url = reverse(
        f"api:{basename}-detail", args=[getattr(obj, "code", None) if basename == "party" else obj.pk]
    )
    answers = {api_client.patch(url, {}, format="json").status_code, api_client.delete(url).status_code}
    # 428 for each method the case manager may use here; 403/405 where no one may (read-only
    # resources, records only the system writes).
    assert 428 in answers, answers
    assert answers <= {428, 403, 405}, answers
    assert model.objects.filter(pk=obj.pk).values().get() == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_lose_no_update(postgresql, world):
    """2 writers × 100 increments each, read-modify-write with If-Match and retry on 412:
    the counter ends at exactly 200 (zero lost updates)."""
    contact = ContactFactory(party=world.own, position="0")
    url = f"/api/v1/contacts/{contact.pk}/"
    user = world.users["case_manager"]
    conflicts = []
    errors = []

    def writer():
        from django.db import connection

        client = APIClient()
        client.force_login(user)
        try:
            for _ in range(100):
                while True:
                    response = client.get(url)
                    value = int(response.json()["position"])
                    result = client.patch(
                        url, {"position": str(value + 1)}, format="json", HTTP_IF_MATCH=response["ETag"]
                    )
                    if result.status_code == 200:
                        break
                    if result.status_code != 412:
                        errors.append(result.status_code)
                        return
                    conflicts.append(1)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    contact.refresh_from_db()
    assert int(contact.position) == 200
    assert contact.history.filter(history_type="~").count() == 200


@pytest.mark.django_db
def test_history_endpoint_lists_who_changed_what(world, api_client):
    """/history/ gives the audit trail: creation, then each change with old and new values and the user."""
    api_client.force_login(world.users["ma_focal_point"])
    created = api_client.post("/api/v1/contacts/", {"party": "TG", "name": "Ama", "position": "Officer"})
    url = f"/api/v1/contacts/{created.json()['id']}/"
    etag = api_client.get(url)["ETag"]
    assert (
        api_client.patch(url, {"position": "Director"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    )
    history = api_client.get(url + "history/").json()
    assert [entry["action"] for entry in history] == ["changed", "created"]
    assert history[0]["user"] == "ma_focal_point"
    assert history[0]["changes"] == [
        {"field": "position", "label": "position", "old": "Officer", "new": "Director"}
    ]
    other = ContactFactory(party=world.other)
    assert api_client.get(f"/api/v1/contacts/{other.pk}/history/").status_code == 404


@pytest.mark.django_db
def test_reports_require_if_match(world, api_client):
    """Reports are edited by several case managers: a write without If-Match is 428, a stale one
    412, the current one goes through."""
    from tests.reports.conftest import make_report

    report = make_report([world.own], user=world.users["case_manager"])
    api_client.force_login(world.users["case_manager"])
    url = f"/api/v1/reports/{report.pk}/"
    assert api_client.patch(url, {"symbol": "SC79 Doc. 1"}, format="json").status_code == 428
    etag = api_client.get(url)["ETag"]
    assert (
        api_client.patch(url, {"symbol": "SC79 Doc. 1"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    )
    assert (
        api_client.patch(url, {"symbol": "SC79 Doc. 2"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    )
    report.refresh_from_db()
    assert report.symbol == "SC79 Doc. 1"
