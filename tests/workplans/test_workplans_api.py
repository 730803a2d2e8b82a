"""The workplans API: CRUD and access for every model and role (generic mixins), with the
expected access written out by hand."""

import pytest

from tests.budgets.factories import instrument_for
from tests.mixins import APIViewTestCases, date_reads_per_page
from workplans.choices import ResponsibleEntity, WorkplanStatus
from workplans.models import (
    Activity,
    CorrectiveAction,
    Deliverable,
    Event,
    Indicator,
    IndicatorValue,
    Milestone,
    ProgressUpdate,
    Workplan,
)

from .factories import (
    CorrectiveActionFactory,
    DeliverableFactory,
    EventFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    approved_activity,
    cap_case_for,
    draft_activity,
    make_workplan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def funded(world):
    """Each Party's CAP case has a funding agreement: Togo's from the EU, Nigeria's from Switzerland."""
    return [instrument_for(world.own), instrument_for(world.other)]


class TestWorkplanAPI(APIViewTestCases.CRUD):
    model = Workplan
    basename = "workplan"
    party_field = "cap_case"

    def make_object(self, party):
        return make_workplan(party)

    def create_payload(self, party):
        return {
            "cap_case": cap_case_for(party).pk,
            "title": "CAP workplan",
            "starts_on": "2024-01-01",
            "ends_on": "2025-06-30",
        }

    def update_payload(self):
        return {"title": "Renamed workplan"}


class TestActivityAPI(APIViewTestCases.CRUD):
    model = Activity
    basename = "activity"
    party_field = "workplan"

    def make_object(self, party):
        return draft_activity(party)

    def create_payload(self, party):
        return {
            "workplan": make_workplan(party).pk,
            "code": "B1",
            "title": "NDF for Python regius",
            "area": "scientific",
            "priority": "high",
            "responsible_entity": "sa",
            "planned_start": "2024-03-01",
            "planned_end": "2024-09-30",
        }

    def update_payload(self):
        return {"title": "NDF for Varanus ornatus"}


class TestMilestoneAPI(APIViewTestCases.CRUD):
    model = Milestone
    basename = "milestone"
    party_field = "workplan"

    def make_object(self, party):
        return MilestoneFactory(workplan=make_workplan(party))

    def create_payload(self, party):
        return {"workplan": make_workplan(party).pk, "title": "NDF submitted to AC", "due_on": "2024-07-01"}

    def update_payload(self):
        return {"title": "NDF sent to the Animals Committee"}


class TestIndicatorAPI(APIViewTestCases.CRUD):
    model = Indicator
    basename = "indicator"
    party_field = "workplan"

    def make_object(self, party):
        return IndicatorFactory(workplan=make_workplan(party))

    def create_payload(self, party):
        return {"workplan": make_workplan(party).pk, "name": "NDFs made", "unit": "NDFs", "target": "10"}

    def update_payload(self):
        return {"unit": "species"}


class TestIndicatorValueAPI(APIViewTestCases.CRUD):
    model = IndicatorValue
    basename = "indicatorvalue"
    party_field = "indicator"

    def make_object(self, party):
        workplan = make_workplan(party, WorkplanStatus.APPROVED)
        return IndicatorValueFactory(indicator=IndicatorFactory(workplan=workplan))

    def create_payload(self, party):
        indicator = IndicatorFactory(workplan=make_workplan(party, WorkplanStatus.APPROVED))
        return {
            "indicator": indicator.pk,
            "period_start": "2024-07-01",
            "period_end": "2024-12-31",
            "female": 9,
            "male": 11,
            "other_or_not_recorded": 0,
        }

    def update_payload(self):
        return {"note": "Second training counted."}


class TestProgressUpdateAPI(APIViewTestCases.CRUD):
    model = ProgressUpdate
    basename = "progressupdate"
    party_field = "activity"
    # The SA / enforcement focal point reports on the activities assigned to the SA (these are).

    def make_object(self, party):
        activity = approved_activity(party, responsible_entity=ResponsibleEntity.SCIENTIFIC_AUTHORITY)
        return ProgressUpdateFactory(activity=activity)

    def create_payload(self, party):
        activity = approved_activity(party, responsible_entity=ResponsibleEntity.SCIENTIFIC_AUTHORITY)
        return {
            "activity": activity.pk,
            "period_start": "2024-01-01",
            "period_end": "2024-03-31",
            "narrative": "Field survey under way.",
            "status": "ongoing",
            "percent_complete": 25,
        }

    def update_payload(self):
        return {"narrative": "Field survey finished in two of three provinces."}


class TestEventAPI(APIViewTestCases.CRUD):
    model = Event
    basename = "event"
    party_field = "cap_case"

    def make_object(self, party):
        return EventFactory(cap_case=cap_case_for(party))

    def create_payload(self, party):
        return {
            "cap_case": cap_case_for(party).pk,
            "kind": "training",
            "title": "Online training on CITES reporting",
            "start_on": "2024-09-10",
            "end_on": "2024-09-10",
            "is_online": True,
            "participants_female": 6,
            "participants_male": 9,
        }

    def update_payload(self):
        return {"title": "Training on annual and illegal trade reports"}


class TestDeliverableAPI(APIViewTestCases.CRUD):
    model = Deliverable
    basename = "deliverable"
    party_field = "cap_case"

    def make_object(self, party):
        return DeliverableFactory(cap_case=cap_case_for(party))

    def create_payload(self, party):
        return {"cap_case": cap_case_for(party).pk, "kind": "ndf", "title": "NDF for Pandinus imperator"}

    def update_payload(self):
        return {"title": "NDF for Pandinus imperator (final)"}


class TestCorrectiveActionAPI(APIViewTestCases.CRUD):
    model = CorrectiveAction
    basename = "correctiveaction"
    party_field = "workplan"

    def make_object(self, party):
        return CorrectiveActionFactory(workplan=make_workplan(party, WorkplanStatus.APPROVED))

    def create_payload(self, party):
        return {
            "workplan": make_workplan(party, WorkplanStatus.APPROVED).pk,
            "reason": "disbursement",
            "description": "Second installment late: shift the trainings.",
            "agreed_on": "2024-08-01",
        }

    def update_payload(self):
        return {"description": "Trainings moved to October."}


@pytest.mark.parametrize("url", ["/api/v1/indicator-values/", "/api/v1/progress-updates/"])
def test_workplan_filter_refuses_an_out_of_range_id(url, world, api_client):
    """A huge or unknown workplan id in a filter is a 400 naming the filter, never a server error."""
    api_client.force_authenticate(world.users["case_manager"])
    response = api_client.get(url, {"workplan": "-686429908850550168071168764122497024"})
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "workplan"


def test_party_filter_takes_several_codes(world, api_client):
    """``?party=TG,NG`` (the portal's Party code filter) on every workplans list."""
    own, other = make_workplan(world.own), make_workplan(world.other)
    api_client.force_authenticate(world.users["case_manager"])
    ids = lambda **q: {r["id"] for r in api_client.get("/api/v1/workplans/", q).json()["results"]}  # noqa: E731
    assert ids(party="tg") == {own.pk}
    assert ids(party="TG,NG") == {own.pk, other.pk}
    assert ids(party="ZZ") == set()


@pytest.mark.parametrize("lean", [True, False], ids=["lean list", "full list"])
def test_a_milestones_page_reads_the_readers_date_once(world, api_client, monkeypatch, lean):
    """Whether a milestone is overdue is decided against the reader's date, read once per page
    (``Milestone.is_overdue`` read it for every row)."""
    import datetime

    from django.urls import reverse

    from workplans.api.views import MilestoneViewSet

    monkeypatch.setattr(MilestoneViewSet, "lean_list", lean)
    api_client.force_login(world.users["secretariat_viewer"])
    workplan, due = make_workplan(world.own), datetime.date(2024, 6, 30)
    few, more, flags, more_flags = date_reads_per_page(
        monkeypatch,
        api_client,
        reverse("api:milestone-list"),
        lambda rows: MilestoneFactory.create_batch(rows, workplan=workplan, due_on=due),
    )
    assert flags == [True, True] and more_flags == [True] * 6
    assert more == few <= 3  # the roles in force today, the kept page's shape, the serializer
