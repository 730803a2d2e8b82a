"""Every UI edit form detects a stale edit (issue 21): nothing written, a clear message.

The edit pages are read from the URL configuration: every URL of a view built on
``cap_portal.views.ObjectEditView`` that names an existing object (not an add page). For each,
two case managers open the form in their browsers; the first saves a change; the second saves
the form as the browser sends it (every field the page renders, hidden ones included) with
another change. The second save is refused above the form, naming who changed what, and the
first one's value stays; saving the reloaded form then goes through.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cap_portal.access import Role
from cap_portal.views import VERSION_FIELD, ObjectEditView
from parties.services import role_assign, user_create
from tests.security import matrix  # before matrix_apps: it merges matrix_apps' rows
from tests.security import matrix_apps as m
from tests.security.test_permission_matrix import build_url

pytestmark = pytest.mark.django_db


def edit_pages() -> dict[str, type]:
    """URL name -> view class of every edit page of an existing object."""
    pages = {}

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, namespace + (f"{entry.namespace}:" if entry.namespace else ""))
            elif isinstance(entry, URLPattern) and entry.name:
                view = getattr(entry.callback, "view_class", None)
                if view is None or not issubclass(view, ObjectEditView):
                    continue
                names = set(entry.pattern.regex.groupindex)
                if {view.pk_url_kwarg, view.slug_url_kwarg} & names:
                    pages[namespace + entry.name] = view

    walk(get_resolver().url_patterns)
    return pages


EDIT_PAGES = edit_pages()


def progress_update_on_approved_plan(world, target):
    """Progress is reported, and corrected, on the activities of an approved workplan only."""
    from tests.workplans.factories import ActivityFactory, ProgressUpdateFactory, make_workplan
    from workplans.choices import WorkplanStatus

    activity = ActivityFactory(workplan=make_workplan(world.party(target), WorkplanStatus.APPROVED))
    return ProgressUpdateFactory(activity=activity, submitted_by=world.users["ma_focal_point"])


def draft_report(world, target):
    """A final report is frozen: only a draft, its sections and draft decisions may change."""
    return m.report(world, "other")


def draft_section(world, target):
    return draft_report(world, target).sections.order_by("pk").first()


def draft_decision_of_draft_report(world, target):
    from tests.decisions.factories import DraftDecisionFactory

    return DraftDecisionFactory(report=draft_report(world, target))


# URL name -> (a text field of the form, the builder of a record the case manager may change;
# None: the permission matrix's builder for the page, tests/security/matrix*.py).
EDITS = {
    "parties:party_edit": ("name", None),
    "parties:authority_edit": ("address", None),
    "parties:contact_edit": ("position", None),
    "cases:capcase_edit": ("summary", None),
    "cases:mission_edit": ("purpose", None),
    "cases:stakeholder_edit": ("name", None),
    "cases:result_edit": ("description", None),
    "cases:assessment_edit": ("notes", None),
    "cases:compliancecase_edit": ("summary", None),
    "cases:recommendation_edit": ("text", None),
    "cases:measure_edit": ("description", None),
    "cases:rating_edit": ("note", None),
    "cases:meeting_edit": ("venue", None),
    "cases:mechanism_edit": ("description", None),
    "workplans:workplan_edit": ("objective", None),  # the matrix's workplan is a draft
    "workplans:activity_edit": ("description", None),
    "workplans:milestone_edit": ("evidence", None),
    "workplans:indicator_edit": ("name", None),
    "workplans:indicatorvalue_edit": ("note", None),
    "workplans:correctiveaction_edit": ("description", None),
    "workplans:progress_edit": ("narrative", progress_update_on_approved_plan),
    "workplans:event_edit": ("summary", None),
    "workplans:deliverable_edit": ("description", None),
    "budgets:instrument_edit": ("notes", None),
    "budgets:extension_edit": ("reason", None),
    "budgets:installment_edit": ("number", None),  # no text field on the form: its number
    "budgets:budgetline_edit": ("description", None),
    "budgets:expenditure_edit": ("description", None),
    "reports:report_edit": ("title", draft_report),
    "reports:section_edit": ("narrative", draft_section),
    "decisions:decision_edit": ("text", None),
    "decisions:draft_edit": ("text", draft_decision_of_draft_report),
}


def test_every_edit_page_is_checked():
    """A new edit page cannot be left out, and every page named ``…_edit`` or ``…_update`` is
    built on the base edit view (which holds the check)."""
    assert sorted(set(EDIT_PAGES) - set(EDITS)) == [], "add the page to EDITS"
    assert sorted(set(EDITS) - set(EDIT_PAGES)) == [], "remove the page from EDITS"
    named = set()
    for entry in _named_patterns():
        if entry.endswith(("_edit", "_update")):
            named.add(entry)
    assert sorted(named - set(EDIT_PAGES)) == [], "an edit page not built on ObjectEditView"


def _named_patterns(patterns=None, namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from _named_patterns(
                entry.url_patterns, namespace + (f"{entry.namespace}:" if entry.namespace else "")
            )
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


class FormReader(HTMLParser):
    """What a browser submits for each POST form of a page: ``forms`` is a list of field lists
    of (name, value): inputs (checked boxes only; no files, no buttons), text areas, and the
    selected options of selects."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = [] if (attrs.get("method") or "").lower() == "post" else None
            return
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._form.append((self._select, attrs.get("value") or ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, value = self._textarea
            # The parser keeps the newline browsers drop after <textarea>.
            self._form.append((name, value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_of(response) -> dict:
    """The edit form of the page as the browser would send it: the one POST form that carries
    the version the user opened."""
    reader = FormReader()
    reader.feed(response.content.decode())
    forms = [fields for fields in reader.forms if any(name == VERSION_FIELD for name, _ in fields)]
    assert len(forms) == 1, f"the page renders no form with the version ({VERSION_FIELD})"
    data: dict[str, list[str]] = {}
    for name, value in forms[0]:
        data.setdefault(name, []).append(value)
    return data


def opened_form(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return form_of(response)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def stored(record, field):
    record.refresh_from_db()
    return str(getattr(record, field))


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_stale_edit_is_refused_and_writes_nothing(name, world, settings, tmp_path):
    """Two case managers open the same form; the first saves; the second's save is refused with
    who changed what, nothing of it written; the second saves again from the reloaded form."""
    settings.MEDIA_ROOT = tmp_path / "media"
    field, make = EDITS[name]
    endpoint = matrix.MATRIX[name]
    record = (make or endpoint.obj)(world, "own")
    url = build_url(name, endpoint, record)
    first_user = world.users["case_manager"]
    second_user = user_create(username="case_manager_2", password="pw-case_manager_2")
    role_assign(user=second_user, role=Role.CASE_MANAGER)
    first, second = signed_in(first_user), signed_in(second_user)
    first_form, second_form = opened_form(first, url), opened_form(second, url)
    assert first_form[VERSION_FIELD] == second_form[VERSION_FIELD] != [""]
    mine, theirs = ("91", "92") if field == "number" else ("Saved first", "Saved second, from a stale form")

    saved = first.post(url, {**first_form, field: mine})
    assert saved.status_code == 302, (name, saved.context and saved.context["form"].errors)
    assert stored(record, field) == mine
    row = type(record).objects.filter(pk=record.pk).values().get()

    refused = second.post(url, {**second_form, field: theirs})
    assert refused.status_code == 200, name
    errors = " ".join(refused.context["form"].non_field_errors())
    assert "after you opened it" in errors and str(first_user) in errors, errors
    assert f"«{mine}»" in errors, errors
    assert "after you opened it" in refused.content.decode(), "the message is not on the page"
    assert type(record).objects.filter(pk=record.pk).values().get() == row, "the stale form wrote"

    # The refused form carries the version the user has now seen: saving it goes through.
    again = form_of(refused)
    assert again[VERSION_FIELD] != second_form[VERSION_FIELD]
    resaved = second.post(url, {**again, field: theirs})
    assert resaved.status_code == 302, name
    assert stored(record, field) == theirs
