"""The decisions register: validation, draft numbering, the reads a report makes, the sample."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from decisions import sample, services
from decisions.choices import DecisionStatus, DirectedTo
from decisions.models import Decision
from decisions.selectors import decisions_implemented, decisions_in_force, next_cop_number, number_key
from reports.choices import ReportStatus
from reports.composers.decisions import decision_block, join_numbers
from tests.reports.conftest import make_report

from .factories import CopFactory, DecisionFactory, cop

pytestmark = pytest.mark.django_db


def adopted(**values):
    data = {
        "number": "19.44",
        "meeting": cop(19),
        "directed_to": DirectedTo.PARTIES,
        "text": "Parties are invited to …",
        "status": DecisionStatus.IN_FORCE,
    }
    data.update(values)
    return data


def draft(report, **values):
    data = {"report": report, "directed_to": DirectedTo.SECRETARIAT, "text": "The Secretariat shall:"}
    data.update(values, status=DecisionStatus.DRAFT)
    return data


# --- Validation ----------------------------------------------------------------------------------


def test_an_adopted_decision_names_its_meeting_and_number_and_no_report(world):
    """No meeting, no number, or a report on an adopted decision: refused on the field, nothing written."""
    user = world.users["case_manager"]
    report = make_report([world.own])
    cases = [({"meeting": None}, "meeting"), ({"number": " "}, "number"), ({"report": report}, "report")]
    for change, field in cases:
        with pytest.raises(ValidationError) as error:
            services.decision_create(user=user, data=adopted(**change))
        assert field in error.value.message_dict
    assert not Decision.objects.exists()


def test_a_draft_belongs_to_a_report_and_to_no_meeting(world):
    user = world.users["case_manager"]
    report = make_report([world.own])
    with pytest.raises(ValidationError) as error:
        services.decision_create(user=user, data=draft(None))
    assert "report" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.decision_create(user=user, data={**draft(report), "meeting": cop(19)})
    assert "meeting" in error.value.message_dict
    assert not Decision.objects.exists()


def test_a_number_is_unique_per_meeting(world):
    """19.44 twice at CoP19 is refused on the number; 19.44 at another meeting is another decision."""
    user = world.users["case_manager"]
    services.decision_create(user=user, data=adopted())
    with pytest.raises(ValidationError) as error:
        services.decision_create(user=user, data=adopted())
    assert "number" in error.value.message_dict
    services.decision_create(user=user, data=adopted(meeting=cop(18, starts_on=datetime.date(2019, 8, 17))))
    assert Decision.objects.filter(number="19.44").count() == 2


def test_the_drafts_of_a_final_report_cannot_change(world):
    user = world.users["case_manager"]
    report = make_report([world.own])
    decision = services.decision_create(user=user, data=draft(report))
    # The report is published afterwards.
    type(report).objects.filter(pk=report.pk).update(status=ReportStatus.FINAL)
    report.refresh_from_db()
    decision.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.decision_update(decision=decision, user=user, data={"text": "Changed."})
    assert "report" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.decision_delete(decision=decision, user=user)
    with pytest.raises(ValidationError):
        services.decision_create(user=user, data=draft(report))
    assert Decision.objects.get(pk=decision.pk).text == "The Secretariat shall:"


def test_items_are_kept_one_per_line_without_typed_labels():
    decision = Decision(items="a) upon request, conduct missions;\n\n- explore training; and\nc) report.")
    assert decision.lettered_items == [
        ("a)", "upon request, conduct missions;"),
        ("b)", "explore training; and"),
        ("c)", "report."),
    ]


# --- Draft numbering -----------------------------------------------------------------------------


def test_drafts_are_numbered_after_the_next_cop_in_the_order_of_the_annex(world):
    """20.AA, 20.BB… by "Directed to" then order; adding, moving and deleting renumber them."""
    cop(19)
    user = world.users["case_manager"]
    report = make_report([world.own])
    secretariat = services.decision_create(user=user, data=draft(report))
    assert secretariat.number == "20.AA"
    parties = services.decision_create(user=user, data=draft(report, directed_to=DirectedTo.PARTIES))
    committee = services.decision_create(
        user=user, data=draft(report, directed_to=DirectedTo.STANDING_COMMITTEE)
    )
    numbers = {d.pk: d.number for d in Decision.objects.all()}
    assert [numbers[parties.pk], numbers[secretariat.pk], numbers[committee.pk]] == [
        "20.AA",
        "20.BB",
        "20.CC",
    ]
    services.decision_delete(decision=Decision.objects.get(pk=parties.pk), user=user)
    assert dict(Decision.objects.values_list("pk", "number")) == {
        secretariat.pk: "20.AA",
        committee.pk: "20.BB",
    }
    history = Decision.objects.get(pk=secretariat.pk).history.first()
    assert history.history_user == user


def test_placeholders_and_next_cop():
    assert services.draft_placeholder(20, 0) == "20.AA"
    assert services.draft_placeholder(20, 2) == "20.CC"
    assert services.draft_placeholder(20, 26) == "20.AAA"
    assert services.draft_placeholder(None, 1) == "BB"


def test_next_cop_number_is_the_last_cop_before_the_date_plus_one():
    CopFactory(number=19)
    CopFactory(number=20, starts_on=datetime.date(2025, 11, 24), ends_on=datetime.date(2025, 12, 5))
    assert next_cop_number(datetime.date(2025, 2, 3)) == 20
    assert next_cop_number(datetime.date(2026, 1, 1)) == 21


# --- Reads for the report ------------------------------------------------------------------------


def test_decisions_in_force_on_a_date_in_the_documents_order():
    """Adopted at a meeting ended by the as-of date, of the agenda item; drafts excluded; implemented
    ones still in force (and listed for deletion)."""
    cop19 = cop(19)
    later = CopFactory(number=20, starts_on=datetime.date(2025, 11, 24), ends_on=datetime.date(2025, 12, 5))
    c = DecisionFactory(meeting=cop19, number="19.46", directed_to=DirectedTo.STANDING_COMMITTEE)
    b = DecisionFactory(
        meeting=cop19, number="19.45", directed_to=DirectedTo.SECRETARIAT, status="implemented"
    )
    a = DecisionFactory(meeting=cop19, number="19.44", directed_to=DirectedTo.PARTIES)
    DecisionFactory(meeting=cop19, number="19.5", agenda_item="Captive breeding")
    DecisionFactory(meeting=later, number="20.1")
    as_of = datetime.date(2024, 12, 1)
    assert decisions_in_force("Compliance Assistance Programme", as_of) == [a, b, c]
    assert decisions_implemented("compliance assistance programme", as_of) == [b]
    assert decisions_in_force("Compliance Assistance Programme", datetime.date(2022, 11, 20)) == []


def test_numbers_sort_and_join_as_the_documents_write_them():
    assert sorted(["19.5", "19.44", "20.BB", "20.AA", "19.45"], key=number_key) == [
        "19.5",
        "19.44",
        "19.45",
        "20.AA",
        "20.BB",
    ]
    assert join_numbers(["19.46", "19.44", "19.45"]) == "19.44 to 19.46"
    assert join_numbers(["19.44", "19.45"]) == "19.44 and 19.45"
    assert join_numbers(["19.44", "19.46", "19.47", "19.48", "18.2"]) == "18.2, 19.44 and 19.46 to 19.48"
    assert join_numbers(["20.AA"]) == "20.AA"


def test_a_decision_block_keeps_its_number_text_and_lettered_items():
    block = decision_block(["19.45 *The Secretariat shall:*", "- *upon request, act;*", "- *report.*"])
    assert block == {
        "type": "decision",
        "number": "19.45",
        "text": "The Secretariat shall:",
        "italic": True,
        "items": [{"label": "a)", "text": "upon request, act;"}, {"label": "b)", "text": "report."}],
    }


# --- Sample --------------------------------------------------------------------------------------


def test_sample_loads_the_cop19_decisions_and_the_sc78_drafts_once(world):
    report = make_report([world.own], symbol="SC78 Doc. 23")
    sample.load()
    sample.load()
    adopted_rows = Decision.objects.adopted().order_by("number")
    assert [(d.number, d.meeting.code, d.directed_to) for d in adopted_rows] == [
        ("19.44", "CoP19", DirectedTo.PARTIES),
        ("19.45", "CoP19", DirectedTo.SECRETARIAT),
        ("19.46", "CoP19", DirectedTo.STANDING_COMMITTEE),
    ]
    assert len(adopted_rows[1].item_list) == 3
    assert adopted_rows[1].item_list[0].startswith("upon request, conduct technical missions")
    drafts = {d.number: d for d in report.draft_decisions.all()}
    assert sorted(drafts) == ["20.AA", "20.BB", "20.CC"]
    assert drafts["20.BB"].directed_to == DirectedTo.SECRETARIAT and len(drafts["20.BB"].item_list) == 4
    assert drafts["20.CC"].text.startswith("The Standing Committee shall monitor progress")
