"""No lost update on any kind of record (issue 21): 2 × 100 concurrent updates of every resource.

For every API route that takes PATCH, one record the case manager may change is made, then two
clients (two case managers, a session each) each make 100 read-increment-write cycles of a counter
kept in one of its fields: GET → ETag → PATCH with If-Match, again on 412. The requests go over
real HTTP to the live server, which answers each client in its own thread on its own database
connection, so the two writers really race. At the end the counter holds 200 (no update lost) and the record's
history holds every value from 1 to 200 once each (no write skipped or repeated).

PostgreSQL only (row locks, real concurrency): skipped locally without it, a failure in CI (the
``postgresql`` fixture of tests/conftest.py). The number of 412 answers each resource saw is
printed and recorded as a property of the test (``-rP`` shows the lines, JUnit XML the property).
"""

import datetime
import http.client
import json
import threading
import time
import urllib.parse

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from cap_portal.access import Role
from cap_portal.api.urls import router
from parties.services import role_assign, user_create
from tests.performance.test_query_budgets import MAKERS
from tests.security import matrix_apps as m

WRITERS = 2
CYCLES = 100  # per writer: 2 × 100, as the issue asks
# A writer that has not finished by then is reported as stuck (a resource takes seconds).
WRITER_TIMEOUT = 240


def progress_update_on_approved_plan(world):
    """Progress is reported, and corrected, on the activities of an approved workplan only."""
    from tests.workplans.factories import ActivityFactory, ProgressUpdateFactory, make_workplan
    from workplans.choices import WorkplanStatus

    activity = ActivityFactory(workplan=make_workplan(world.own, WorkplanStatus.APPROVED))
    return ProgressUpdateFactory(activity=activity, submitted_by=world.users["ma_focal_point"])


def draft_report(world):
    """A final report is frozen: only a draft (and its sections) may be changed."""
    return m.report(world, "other")


def draft_report_section(world):
    return draft_report(world).sections.order_by("pk").first()


class Text:
    """A counter kept in a free text field: "0", "1", … "200"."""

    def __init__(self, field: str):
        self.field = field

    def stored(self, n: int):
        return str(n)

    def sent(self, n: int):
        return self.stored(n)

    def read(self, value) -> int:
        return int(value)


class Number(Text):
    """A counter kept in a number field."""

    def stored(self, n: int):
        return n


class Days(Text):
    """A counter kept in a date: so many days after ``START``."""

    START = datetime.date(2031, 1, 1)

    def stored(self, n: int):
        return self.START + datetime.timedelta(days=n)

    def sent(self, n: int):
        return self.stored(n).isoformat()

    def read(self, value) -> int:
        return (datetime.date.fromisoformat(str(value)) - self.START).days


def role_to_end(world):
    """A role someone else holds: case managers end it by PATCHing the day it ends."""
    user = user_create(username="viewer_2", password="pw-viewer_2")
    return role_assign(user=user, role=Role.SECRETARIAT_VIEWER)


# Router basename -> (the counter and the field it is kept in, the builder of a record the case
# manager may change; None: the builder of the query-budget tests, MAKERS). Free text fields
# where the resource has one, so that every value from "0" to "200" is valid.
COUNTERS = {
    "party": (Text("name"), None),
    "authority": (Text("address"), None),
    "contact": (Text("position"), None),
    "donor": (Text("name"), None),
    "meeting": (Text("venue"), None),
    "mechanism": (Text("description"), None),
    "compliancecase": (Text("summary"), None),
    "recommendation": (Text("text"), None),
    "compliancemeasure": (Text("description"), None),
    "progressrating": (Text("note"), None),
    "capcase": (Text("summary"), None),
    "eligibilityassessment": (Text("notes"), None),
    "mission": (Text("purpose"), None),
    "stakeholder": (Text("name"), None),
    "result": (Text("description"), None),
    "workplan": (Text("objective"), None),  # MAKERS' workplan is a draft: its plan may change
    "activity": (Text("description"), None),  # parts of a draft workplan
    "milestone": (Text("evidence"), None),
    "indicator": (Text("name"), None),
    "indicatorvalue": (Text("note"), None),
    "progressupdate": (Text("narrative"), progress_update_on_approved_plan),
    "event": (Text("summary"), None),
    "deliverable": (Text("description"), None),
    "correctiveaction": (Text("description"), None),
    "fundingsource": (Text("name"), None),
    "fundingagreement": (Text("notes"), None),
    "nocostextension": (Text("reason"), None),
    "installment": (Number("number"), None),  # no text field: its number (unique per agreement)
    "budgetline": (Text("description"), None),  # of a draft workplan
    "expenditure": (Text("description"), None),
    "report": (Text("title"), draft_report),
    "report-section": (Text("narrative"), draft_report_section),
    "decision": (Text("text"), None),
    "roleassignment": (Days("ends_on"), role_to_end),  # the one field PATCH takes: the end date
}


def patch_routes():
    """(basename, model label) of every router route that takes PATCH on one object."""
    return [
        (basename, viewset.queryset.model._meta.label)
        for _prefix, viewset, basename in router.registry
        if hasattr(viewset, "partial_update") and "patch" in viewset.http_method_names
    ]


PATCH_ROUTES = patch_routes()


def test_every_patch_route_has_a_counter():
    """A new resource that takes PATCH cannot be left out: it needs its row in COUNTERS."""
    basenames = {basename for basename, _label in PATCH_ROUTES}
    assert sorted(basenames - set(COUNTERS)) == [], "add the resource to COUNTERS"
    assert sorted(set(COUNTERS) - basenames) == [], "remove the resource from COUNTERS"
    assert len(basenames) >= 30


class Writer(threading.Thread):
    """One API client: ``CYCLES`` increments of the counter, each retried on 412 until it lands.

    It keeps its HTTP connection open, as a client would (the live server then answers it in one
    thread, on one database connection)."""

    def __init__(self, url: str, counter: Text, user):
        super().__init__(daemon=True)
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.path, self.counter = parts.hostname, parts.port, parts.path, counter
        self.headers = session_headers(user)
        self.done = 0
        self.conflicts = 0
        self.failure = None

    def request(self, connection, method: str, body: dict | None = None, etag: str | None = None):
        headers = {**self.headers, "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if etag is not None:
            headers["If-Match"] = etag
        connection.request(method, self.path, json.dumps(body) if body is not None else None, headers)
        response = connection.getresponse()
        content = response.read()
        if response.status != 200:
            return response.status, None, content[:500]
        return response.status, response.getheader("ETag"), json.loads(content)

    def run(self):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            while self.done < CYCLES:
                status, etag, body = self.request(connection, "GET")
                if status != 200:
                    self.failure = ("GET", status, body)
                    return
                field = self.counter.field
                new = self.counter.sent(self.counter.read(body[field]) + 1)
                status, _etag, body = self.request(connection, "PATCH", {field: new}, etag)
                if status == 200:
                    self.done += 1
                elif status == 412:
                    self.conflicts += 1
                else:
                    self.failure = ("PATCH", status, body)
                    return
        except Exception as error:  # noqa: BLE001 - reported by the test, not lost in the thread
            self.failure = ("exception", repr(error))
        finally:
            connection.close()


def session_headers(user) -> dict:
    """A signed-in browser's headers: its session cookie, and the CSRF cookie and header the
    API's session authentication asks of every write."""
    client = Client()
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    csrf = get_random_string(32)
    cookies = {django_settings.SESSION_COOKIE_NAME: session, django_settings.CSRF_COOKIE_NAME: csrf}
    return {
        "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
        "X-CSRFToken": csrf,
    }


def second_case_manager(world):
    user = user_create(username="case_manager_2", password="pw-case_manager_2")
    role_assign(user=user, role=Role.CASE_MANAGER)
    return user


def race(live_server, world, users, basename: str, label: str) -> dict:
    """Two writers on one new record of the resource; what happened, and what is wrong."""
    counter, make = COUNTERS[basename]
    record = (make or MAKERS[label])(world)
    model = type(record)
    model.objects.filter(pk=record.pk).update(**{counter.field: counter.stored(0)})
    # Changes made while the record was built (a file attached, a status set) are not the race's.
    before = record.history.order_by("-history_id").values_list("history_id", flat=True).first()
    lookup = record.code if basename == "party" else record.pk
    url = live_server.url + reverse(f"api:{basename}-detail", args=[lookup])
    writers = [Writer(url, counter, user) for user in users]
    began = time.monotonic()
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=WRITER_TIMEOUT)
    outcome = {
        "seconds": time.monotonic() - began,
        "conflicts": sum(writer.conflicts for writer in writers),
        "problems": [writer.failure for writer in writers if writer.failure],
    }
    if any(writer.is_alive() for writer in writers):
        outcome["problems"].append("a writer is stuck")
    record.refresh_from_db()
    final = counter.read(getattr(record, counter.field))
    if final != WRITERS * CYCLES:
        outcome["problems"].append(f"the counter holds {final}: {WRITERS * CYCLES - final} updates lost")
    history = record.history.filter(history_type="~", history_id__gt=before or 0)
    history = history.values_list(counter.field, flat=True)
    if sorted(counter.read(value) for value in history) != list(range(1, WRITERS * CYCLES + 1)):
        outcome["problems"].append("the history does not hold each value from 1 to 200 once")
    return outcome


def by_app(routes) -> dict[str, list[tuple[str, str]]]:
    """The routes grouped by their model's app: one live server session per group (a transactional
    test flushes the database after it, seconds each), the groups spread over the test workers."""
    groups: dict[str, list] = {}
    for basename, label in routes:
        groups.setdefault(label.split(".")[0], []).append((basename, label))
    return groups


GROUPS = by_app(PATCH_ROUTES)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("app", sorted(GROUPS))
def test_two_writers_lose_no_update(app, postgresql, live_server, world, settings, tmp_path, record_property):
    """For each resource of the app: 2 writers × 100 read-increment-write cycles with If-Match,
    again on 412. The counter ends at exactly 200 and the history holds each value once."""
    settings.MEDIA_ROOT = tmp_path / "media"  # deliverables and expenditure carry probe files
    users = [world.users["case_manager"], second_case_manager(world)]
    outcomes = {}
    for basename, label in GROUPS[app]:
        outcomes[basename] = race(live_server, world, users, basename, label)
        outcome = outcomes[basename]
        record_property(f"{basename}_412", outcome["conflicts"])
        print(
            f"{basename}: {WRITERS * CYCLES} writes, {outcome['conflicts']} × 412, {outcome['seconds']:.1f} s"
        )
    problems = {
        basename: outcome["problems"] for basename, outcome in outcomes.items() if outcome["problems"]
    }
    assert problems == {}
