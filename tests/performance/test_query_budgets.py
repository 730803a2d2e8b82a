"""Query budgets (issue 9): every API list endpoint, every UI list page and the dashboard run the
same number of queries for 1 row and for 50 rows, and that number is pinned in one table here.

The endpoints and pages are read from the API router and the URL configuration, so a new list
endpoint or list page without a pinned budget fails ``test_every_list_has_a_budget``. Rows are
made by the builders the permission matrix uses (tests/security/matrix_apps.py), one new row per
call, each with its own related records, so a query per row shows up as a difference.

The requests are a case manager's (who sees every row), signed in with a session as a browser is:
the session, the user and the user's roles are one query each in every count.
"""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_countries import countries

from cap_portal.api.urls import router
from cap_portal.views import ObjectListView
from parties.models import Donor, Party
from tests.security import matrix  # before matrix_apps: it merges matrix_apps' rows
from tests.security import matrix_apps as m
from tests.security import matrix_people as people
from tests.workplans.factories import ActivityFactory, make_recommendation, make_workplan
from workplans.choices import WorkplanStatus

pytestmark = pytest.mark.django_db

MANY = 50
_serial = itertools.count(1)

# --- the budgets: queries per request, the same for 1 row and for 50 -------------------------------

# API list endpoints, by router basename. A page is one query with no count of the list (cursor
# pagination, issue 15: one query fewer than with page numbers).
API_BUDGETS = {
    "party": 3,
    "authority": 4,
    "contact": 4,
    "donor": 3,
    "meeting": 3,
    "mechanism": 3,
    "compliancecase": 4,
    "recommendation": 4,
    "compliancemeasure": 4,
    "progressrating": 4,
    "capcase": 5,
    "eligibilityassessment": 4,
    "mission": 4,
    "stakeholder": 4,
    "result": 7,
    "workplan": 4,
    "activity": 4,  # its recommendations' ids in the page's query (lean path, cap_portal.api.lean)
    "milestone": 4,
    "indicator": 4,
    "indicatorvalue": 4,
    "progressupdate": 4,
    "event": 4,
    "deliverable": 4,
    "correctiveaction": 4,
    "fundingsource": 3,
    "fundingagreement": 6,
    "nocostextension": 4,
    "installment": 4,
    "budgetline": 4,
    "expenditure": 4,
    "absorption": 8,
    "report": 5,
    "report-section": 4,
    "report-render": 4,
    "report-version": 4,
    "statement": 4,
    "decision": 4,
    "apitoken": 4,
    "invitation": 4,
    "roleassignment": 4,
    "person": 5,
    "comment": 4,
    "notification": 3,
    "iati-activities": 19,
}

# UI list pages (views built on cap_portal.views.ObjectListView), by URL name. Every page counts
# the signed-in person's unread notifications for the navigation (one query) and what waits for
# them (portfolio.todo, one query).
UI_BUDGETS = {
    "portfolio:notification_list": 8,
    "parties:party_list": 7,
    "cases:capcase_list": 9,
    "cases:compliancecase_list": 10,
    "cases:recommendation_list": 10,
    "cases:result_list": 10,
    "cases:meeting_list": 7,
    "cases:mechanism_list": 7,
    "workplans:workplan_list": 7,
    "budgets:instrument_list": 12,
    "budgets:expenditure_list": 7,
    "reports:report_list": 8,
    "statements:statement_list": 7,
    "decisions:decision_list": 8,
    "people:invitation_list": 7,
}

# The portfolio dashboard (the Secretariat's home page), for 1 and for 50 CAP cases: the attention
# list is one query per kind (rows shown and their count), the case manager's to-do one per kind
# of review (its count serves the navigation); the CAP cases are counted for the page numbers
# (a page of ``portfolio.dashboard.PAGE_SIZE`` rows, issue 15.1).
DASHBOARD_BUDGET = 26

# Pages that list rows without being an ObjectListView, by URL name: (budget, row builder). Not
# found by walking the URL configuration: a new page of this kind is added here by hand.
OTHER_PAGES = {
    "cases:selection_board": (12, lambda world: m.assessment(world, "own")),
    "portfolio:attention": (13, lambda world: attention_items(world)),
    "workplans:my_work": (8, lambda world: work_items(world)),
    "budgets:absorption": (11, lambda world: funded_party(world)),
    "notifications:inbox": (7, lambda world: notification(world)),
    "tokens:token_list": (7, lambda world: case_managers_token(world)),
    "people:person_list": (8, lambda world: people.spare_person(world, f"p{next(_serial)}")),
    "iati:activities": (19, lambda world: iati_case(world)),
    "iati:publication": (9, lambda world: iati_exclusion(world)),
}

# Lists with a query per row that are not fixed yet, with where the extra queries come from.
# Marked xfail(strict): once fixed, the test fails until the entry is removed from here.
KNOWN_N_PLUS_ONE: dict[str, str] = {}


# --- rows ----------------------------------------------------------------------------------------


def fresh_party():
    """A Party with an unused ISO code (the world has Togo and Nigeria)."""
    taken = set(Party.objects.values_list("code", flat=True))
    code, name = next((code, name) for code, name in countries if code not in taken)
    return Party.objects.create(code=code, name=name, region="africa")


def own(make):
    return lambda world: make(world, "own")


def donor(world):
    return Donor.objects.create(name=f"Donor {next(_serial)}", party=fresh_party())


def notification(world):
    from portfolio.models import Notification, NotificationKind

    # The case manager's own (the inbox and the API list show one's own; the log shows all).
    return Notification.objects.create(
        recipient=world.users["case_manager"],
        party=world.own,
        kind=NotificationKind.MILESTONE_OVERDUE,
        subject="Milestone overdue",
        body="A milestone is overdue.",
        sent_at=timezone.now(),
        email="focal@example.org",
        key=f"probe-{next(_serial)}",
    )


def comment(world):
    from portfolio.models.comments import comment_post
    from tests.workplans.factories import cap_case_for

    return comment_post(
        target=cap_case_for(world.own), body="A note.", visibility="shared", user=world.users["case_manager"]
    )


def funded_party(world):
    """A new Party with a funded budget line: one more row in the absorption figures."""
    from tests.budgets import factories as ff

    return ff.make_line(fresh_party())


def iati_case(world):
    """A new Party's funded CAP case: one more activity in the IATI file, with its agreement,
    installment, budget line, expenditure and indicator."""
    from tests.iati.factories import funded_case

    return funded_case(fresh_party())["cap_case"]


def iati_exclusion(world):
    """A new Party's CAP case kept out of publication: one more row of the IATI page."""
    from iati.services import publication_exclude

    cap_case = iati_case(world)
    return publication_exclude(
        user=world.users["case_manager"], kind="capcase", object_id=cap_case.pk, reason="Probe."
    )


def dashboard_case(world):
    """A CAP case of a new Party with an approved plan, an activity, a recommendation, a mission."""
    party = fresh_party()
    workplan = make_workplan(party, WorkplanStatus.APPROVED)
    ActivityFactory(workplan=workplan)
    make_recommendation(party)
    m.TechnicalMissionFactory(cap_case=workplan.cap_case)
    return workplan.cap_case


def funding_source(world):
    """A new source (the matrix's builder reuses one per donor and fund)."""
    from tests.budgets import factories as ff

    return ff.make_source(world.own)


def attention_items(world):
    """Past their date: a milestone, a recommendation; and a workplan waiting for approval."""
    m.milestone(world, "own")
    m.recommendation(world, "own")
    return m.submitted_workplan(world, "own")


def work_items(world):
    """What waits for a case manager: a submitted workplan, progress update and deliverable."""
    m.progress_update(world, "own")
    m.deliverable(world, "own")
    return m.submitted_workplan(world, "own")


def statement_row(world):
    """A finished donor statement of the own Party's instrument (tests/security/matrix_statements)."""
    from tests.security.matrix_statements import statement

    return statement(world, "own")


def case_managers_token(world):
    """A new API token of the case manager (the lists show one's own tokens)."""
    from accounts.tokens import token_create

    return token_create(user=world.users["case_manager"], name=f"token {next(_serial)}")[0]


# One builder per model (label "app.Model"), shared by the API and the UI lists of that model.
MAKERS = {
    "accounts.ApiToken": case_managers_token,
    "parties.Party": lambda world: fresh_party(),
    "parties.Authority": own(matrix.authority),
    "parties.Contact": own(matrix.contact),
    "parties.Donor": donor,
    "cases.Meeting": own(m.meeting),
    "cases.ComplianceMechanism": own(m.mechanism),
    "cases.ComplianceCase": own(m.compliance_case),
    "cases.Recommendation": own(m.recommendation),
    "cases.ComplianceMeasure": own(m.measure),
    "cases.ProgressRating": own(m.rating),
    "cases.CapCase": own(m.cap_case),
    "cases.EligibilityAssessment": own(m.assessment),
    "cases.TechnicalMission": own(m.mission),
    "cases.Stakeholder": own(m.stakeholder),
    "cases.Result": own(m.result),
    "portfolio.Notification": notification,
    "portfolio.Comment": lambda world: comment(world),
    "workplans.Workplan": own(m.workplan),
    "workplans.Activity": own(m.activity),
    "workplans.Milestone": own(m.milestone),
    "workplans.Indicator": own(m.indicator),
    "workplans.IndicatorValue": own(m.indicator_value),
    "workplans.ProgressUpdate": own(m.progress_update),
    "workplans.Event": own(m.event),
    "workplans.Deliverable": own(m.deliverable),
    "workplans.CorrectiveAction": own(m.corrective_action),
    "budgets.FundingSource": lambda world: funding_source(world),
    "budgets.LegalInstrument": own(m.instrument),
    "budgets.NoCostExtension": own(m.extension),
    "budgets.Installment": own(m.installment),
    "budgets.BudgetLine": own(m.budget_line),
    "budgets.Expenditure": own(m.expenditure),
    "reports.Report": own(m.report),
    "reports.ReportSection": own(m.section),
    "reports.ReportRender": own(m.render_job),
    "reports.ReportVersion": own(m.version),
    "statements.DonorStatement": lambda world: statement_row(world),
    "decisions.Decision": own(m.decision),
    "accounts.Invitation": lambda world: people.invitation(world, f"i{next(_serial)}"),
    "parties.RoleAssignment": lambda world: people.role_assignment(world, f"r{next(_serial)}"),
    "auth.User": lambda world: people.spare_person(world, f"u{next(_serial)}"),
    "absorption": funded_party,
    "iati-activities": iati_case,
}


# --- what is listed ------------------------------------------------------------------------------


def api_lists() -> dict[str, tuple[str, str]]:
    """basename -> (URL name, maker key) for every list route of the API router."""
    lists = {}
    for _prefix, viewset, basename in router.registry:
        if not hasattr(viewset, "list"):
            continue
        queryset = getattr(viewset, "queryset", None)
        key = queryset.model._meta.label if queryset is not None else basename
        lists[basename] = (f"api:{basename}-list", key)
    return lists


def _patterns(patterns=None, namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(
                entry.url_patterns, namespace + (f"{entry.namespace}:" if entry.namespace else "")
            )
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, entry


def ui_lists() -> dict[str, str]:
    """URL name -> maker key for every UI list page."""
    lists = {}
    for name, entry in _patterns():
        view_class = getattr(entry.callback, "view_class", None)
        if view_class is not None and issubclass(view_class, ObjectListView):
            model = view_class.model or view_class.queryset.model
            lists[name] = model._meta.label
    return lists


API_LISTS = api_lists()
UI_LISTS = ui_lists()


def test_every_list_has_a_budget():
    """A new list endpoint or list page cannot ship without a pinned query budget (and a builder)."""
    assert sorted(set(API_LISTS) - set(API_BUDGETS)) == [], "pin these API lists in API_BUDGETS"
    assert sorted(set(UI_LISTS) - set(UI_BUDGETS)) == [], "pin these list pages in UI_BUDGETS"
    assert sorted(set(API_BUDGETS) - set(API_LISTS)) == [], "API_BUDGETS names lists that no longer exist"
    assert sorted(set(UI_BUDGETS) - set(UI_LISTS)) == [], "UI_BUDGETS names pages that no longer exist"
    keys = {key for _url, key in API_LISTS.values()} | set(UI_LISTS.values())
    assert sorted(keys - set(MAKERS)) == [], "add a row builder to MAKERS"


# --- the checks ----------------------------------------------------------------------------------


def get(client, url):
    """The response, its number of queries and their SQL."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, len(captured), [q["sql"] for q in captured.captured_queries]


def assert_budget(client, url, make, budget):
    """Same count for 1 row and for MANY rows, and that count is the budget."""
    make()
    first, one, one_sql = get(client, url)
    for _ in range(MANY - 1):
        make()
    second, many, many_sql = get(client, url)
    # The rows are on the page (a list that shows none would prove nothing).
    assert len(second.content) > len(first.content), f"{url}: the {MANY} rows are not listed"
    extra = "\n".join(many_sql[len(one_sql) :][:5]) if many > one else ""
    assert one == many, f"{url}: {one} queries for 1 row, {many} for {MANY}; first extra:\n{extra}"
    assert one == budget, f"{url}: {one} queries, budget {budget}:\n" + "\n".join(one_sql)


def _params(names, known):
    return [
        pytest.param(
            name,
            id=name,
            marks=pytest.mark.xfail(reason=known[name], strict=True) if name in known else (),
        )
        for name in sorted(names)
    ]


@pytest.fixture
def case_manager(world, client):
    client.force_login(world.users["case_manager"])
    return client


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("basename", _params(API_BUDGETS, KNOWN_N_PLUS_ONE))
def test_api_list_query_budget(basename, world, case_manager):
    """The API list runs its pinned number of queries for 1 row and for 50."""
    url_name, key = API_LISTS[basename]
    assert_budget(case_manager, reverse(url_name), lambda: MAKERS[key](world), API_BUDGETS[basename])


@pytest.mark.parametrize("name", _params(UI_BUDGETS, KNOWN_N_PLUS_ONE))
def test_ui_list_page_query_budget(name, world, case_manager):
    """The list page runs its pinned number of queries for 1 row and for 50."""
    assert_budget(case_manager, reverse(name), lambda: MAKERS[UI_LISTS[name]](world), UI_BUDGETS[name])


@pytest.mark.parametrize("name", _params(OTHER_PAGES, KNOWN_N_PLUS_ONE))
def test_other_list_page_query_budget(name, world, case_manager):
    """The page runs its pinned number of queries for 1 row and for 50."""
    budget, make = OTHER_PAGES[name]
    assert_budget(case_manager, reverse(name), lambda: make(world), budget)


def test_dashboard_query_budget(world, case_manager):
    """The portfolio dashboard runs its pinned number of queries for 1 CAP case and for 50."""
    assert_budget(case_manager, reverse("home"), lambda: dashboard_case(world), DASHBOARD_BUDGET)
