"""Permission-matrix rows for the cases, workplans (with funding) and reports apps.
Merged into MATRIX by tests/security/matrix.py; see its docstring for the rules.

Conventions of these rows:
- write probes: PATCH for API details, POST for API lists, extra actions and UI pages, with an
  empty or minimal body (an allowed write may answer 400, 412/415/428 or a redirect);
- plan parts are made in a *draft* workplan, so that only permissions decide;
- donor-scoped funding records of the own Party are funded by ``world.donor`` (EU, observed by
  the donor observer), the other Party's by ``world.other_donor`` (tests/workplans/funding_factories);
- reports are global (no Party): "own" is a *final* report (visible to every signed-in user),
  "other" a *draft* (Secretariat only), so ``O`` reads "sees finals, not drafts";
- workflow steps (submit, approve, return, revise, reviews) are probed on the own and the other
  Party's object like any row: a role that may never take the step gets 403 on both (checked
  before the lookup), a role that may take it for its own Party gets 404 on another's.
"""

import datetime
import hashlib
import itertools

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from cases.models import Result
from tests.budgets import factories as ff
from tests.cases.factories import (
    CapCaseFactory,
    ComplianceCaseFactory,
    ComplianceMeasureFactory,
    ComplianceMechanismFactory,
    EligibilityAssessmentFactory,
    MeetingFactory,
    ProgressRatingFactory,
    RecommendationFactory,
    StakeholderFactory,
    TechnicalMissionFactory,
)
from tests.workplans.factories import (
    ActivityFactory,
    CorrectiveActionFactory,
    DeliverableFactory,
    EventFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    cap_case_for,
    make_workplan,
)
from workplans.choices import WorkplanStatus

from .matrix import (
    CASE_MANAGER,
    EVERYONE,
    MAINTAINERS,
    SECRETARIAT,
    SECRETARIAT_AND_PARTY,
    Endpoint,
    crud_rows,
    r,
)

_counter = itertools.count(1)

# Budgets and funding: the donor observer reads what its donor funds.
FUNDING_READERS = r("A", "A", "O", "O", "D")
# Workplans and their content: the Secretariat, the Party's focal points, and the donor observer
# where its donor funds the CAP case.
PLAN_READERS = r("A", "A", "O", "O", "D")
# Progress updates: the case manager and both focal points of the Party report.
REPORTERS = r("A", "N", "O", "O", "N")
# Reports: the Secretariat reads drafts and finals; everyone else finals only ("own" = final).
REPORT_READERS = r("A", "A", "O", "O", "O")
# Pages every Party role and the Secretariat open, closed to donor observers.
NOT_DONORS = r("A", "A", "A", "A", "N")


# --- cases ---------------------------------------------------------------------------------------


def meeting(world, target):
    return MeetingFactory()


def mechanism(world, target):
    return ComplianceMechanismFactory()


def compliance_case(world, target):
    return ComplianceCaseFactory(party=world.party(target))


def recommendation(world, target):
    return RecommendationFactory(party=world.party(target))


def measure(world, target):
    return ComplianceMeasureFactory(party=world.party(target))


def rating(world, target):
    return ProgressRatingFactory(compliance_case=compliance_case(world, target))


def cap_case(world, target):
    return CapCaseFactory(party=world.party(target))


def assessment(world, target):
    return EligibilityAssessmentFactory(cap_case=cap_case(world, target))


def mission(world, target):
    return TechnicalMissionFactory(cap_case=cap_case_for(world.party(target)))


def stakeholder(world, target):
    return StakeholderFactory(cap_case=cap_case_for(world.party(target)))


def result(world, target):
    """A result awaiting review (submitted by no one the probes sign in as)."""
    return Result.objects.create(
        cap_case=cap_case_for(world.party(target)),
        title=f"Result {next(_counter)}",
        achieved_on=datetime.date(2024, 7, 19),
    )


def by_case(obj):
    return {"case_pk": obj.pk}


# --- workplans -----------------------------------------------------------------------------------


def workplan(world, target):
    """A draft workplan of a funded CAP case (the donor observer's donor funds the own Party's)."""
    ff.instrument_for(world.party(target))
    return make_workplan(world.party(target))


def submitted_workplan(world, target):
    ff.instrument_for(world.party(target))
    return make_workplan(world.party(target), WorkplanStatus.SUBMITTED)


def activity(world, target):
    return ActivityFactory(workplan=workplan(world, target))


def milestone(world, target):
    return MilestoneFactory(workplan=workplan(world, target))


def indicator(world, target):
    return IndicatorFactory(workplan=workplan(world, target))


def indicator_value(world, target):
    return IndicatorValueFactory(indicator=indicator(world, target))


def corrective_action(world, target):
    return CorrectiveActionFactory(workplan=workplan(world, target))


def progress_update(world, target):
    return ProgressUpdateFactory(activity=activity(world, target), submitted_by=world.users["case_manager"])


def event(world, target):
    return EventFactory(cap_case=cap_case_for(world.party(target)))


def _probe_file(name: str, content: bytes) -> str:
    """A small file under MEDIA_ROOT, written once and shared by the probes."""
    path = f"matrix-probe/{name}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(content))
    return path


def deliverable(world, target):
    """A deliverable with a document (the download answers 404 without one)."""
    made = DeliverableFactory(cap_case=cap_case_for(world.party(target)), original_name="guidelines.pdf")
    made.file.name = _probe_file("deliverable.pdf", b"%PDF-1.4 probe")
    made.save(update_fields=["file"])
    return made


def by_parent(obj):
    return {"parent": obj.pk}


def approve_step(obj):
    return {"pk": obj.pk, "action": "approve"}


# --- funding -------------------------------------------------------------------------------------


def funding_source(world, target):
    return ff.source_for(world.party(target))


def instrument(world, target):
    return ff.make_instrument(world.party(target))


def extension(world, target):
    return ff.make_extension(world.party(target))


def installment(world, target):
    return ff.make_installment(world.party(target))


def budget_line(world, target):
    return ff.make_line(world.party(target))


def expenditure(world, target):
    return ff.make_expenditure(world.party(target))


def budgeted_workplan(world, target):
    """A draft workplan with a budget line funded by the target's donor."""
    return ff.make_line(world.party(target)).workplan


def funded_case(world, target):
    """A CAP case with a funding agreement from the target's donor."""
    return ff.instrument_for(world.party(target)).cap_case


def draft_budget_workplan(world, target):
    """A draft workplan of a funded CAP case, to add budget lines to."""
    ff.instrument_for(world.party(target))
    return ff.draft_workplan_for(world.party(target))


def expenditure_with_document(world, target):
    """Expenditure with a supporting document (the download answers 404 without one)."""
    made = ff.make_expenditure(world.party(target))
    made.document.name = _probe_file("expenditure.pdf", b"%PDF-1.4 probe")
    made.save(update_fields=["document"])
    return made


# --- reports -------------------------------------------------------------------------------------


def _report(world, final: bool):
    from reports.choices import ReportStatus
    from reports.models import Report
    from tests.reports.conftest import make_report

    report = make_report([world.own, world.other], symbol=f"SC78 Doc. {next(_counter)}")
    if final:
        _version(world, report)
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.FINAL)
        report.refresh_from_db()
    return report


def _version(world, report):
    from reports.models import ReportRender, ReportVersion
    from reports.snapshot import build_snapshot

    author = world.users["case_manager"]
    job = ReportRender.objects.create(report=report, state="done", percent=100, requested_by=author)
    pdf = b"%PDF-1.4 probe"
    return ReportVersion.objects.create(
        report=report,
        number=report.versions.count() + 1,
        render=job,
        author=author,
        rendered_at=timezone.now(),
        as_of=datetime.date(2024, 12, 1),
        language="en",
        pdf=_probe_file("report.pdf", pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        page_count=1,
        docx=_probe_file("report.docx", b"PK probe"),
        snapshot=build_snapshot(report),
    )


def report(world, target):
    """Own: a final report (with its version); other: a draft."""
    return _report(world, final=target == "own")


def section(world, target):
    return report(world, target).sections.order_by("pk").first()


def render_job(world, target):
    """Render jobs are Secretariat-only whatever the report's state (no public_q)."""
    return (
        _report(world, final=target == "own").renders.first()
        or _version(world, _report(world, final=False)).render
    )


def failed_render(world, target):
    from reports.models import ReportRender

    return ReportRender.objects.create(
        report=_report(world, final=target == "own"),
        state="failed",
        message="probe",
        requested_by=world.users["case_manager"],
    )


def version(world, target):
    """A kept version of a final report (own) or of a draft (other)."""
    made = _report(world, final=target == "own")
    return made.versions.first() or _version(world, made)


def report_section(obj):
    return {"pk": obj.report_id, "section": obj.pk}


# --- decisions -----------------------------------------------------------------------------------


def decision(world, target):
    """An adopted decision: reference data, the same for every Party."""
    from tests.decisions.factories import DecisionFactory

    return DecisionFactory()


def draft_decision(world, target):
    """Own: a draft decision of a final report; other: of a draft report."""
    from tests.decisions.factories import DraftDecisionFactory

    return DraftDecisionFactory(report=_report(world, final=target == "own"))


# --- the rows --------------------------------------------------------------------------------------


def _api_crud(basename, make, read, write, detail_method="patch", **extra):
    """list, detail and history rows of a plain API viewset whose "own" and "other" objects are
    not the same kind (reports: a final and a draft), so not made from tests/access_expectations.py."""
    return {
        f"api:{basename}-list": Endpoint(read=read, write=write),
        f"api:{basename}-detail": Endpoint(
            obj=make, read=read, write=write, write_method=detail_method, **extra
        ),
        f"api:{basename}-history": Endpoint(obj=make, read=read),
    }


APP_ROWS: dict = {
    # ---------------------------------------------------------------- cases: plain CRUD
    # API list/detail/history and UI list/detail/edit/delete: from tests/access_expectations.py.
    **crud_rows(
        "cases.Meeting", meeting, api="meeting", ui_list="cases:meeting_list", ui_edit="cases:meeting_edit"
    ),
    **crud_rows(
        "cases.ComplianceMechanism",
        mechanism,
        api="mechanism",
        ui_list="cases:mechanism_list",
        ui_edit="cases:mechanism_edit",
    ),
    **crud_rows(
        "cases.ComplianceCase",
        compliance_case,
        api="compliancecase",
        ui_list="cases:compliancecase_list",
        ui_detail="cases:compliancecase_detail",
        ui_edit="cases:compliancecase_edit",
    ),
    **crud_rows(
        "cases.Recommendation",
        recommendation,
        api="recommendation",
        ui_list="cases:recommendation_list",
        ui_detail="cases:recommendation_detail",
        ui_edit="cases:recommendation_edit",
    ),
    **crud_rows("cases.ComplianceMeasure", measure, api="compliancemeasure", ui_edit="cases:measure_edit"),
    **crud_rows("cases.ProgressRating", rating, api="progressrating", ui_edit="cases:rating_edit"),
    **crud_rows(
        "cases.CapCase",
        cap_case,
        api="capcase",
        ui_list="cases:capcase_list",
        ui_detail="cases:capcase_detail",
        ui_edit="cases:capcase_edit",
    ),
    **crud_rows(
        "cases.EligibilityAssessment",
        assessment,
        api="eligibilityassessment",
        ui_edit="cases:assessment_edit",
    ),
    **crud_rows("cases.TechnicalMission", mission, api="mission", ui_edit="cases:mission_edit"),
    **crud_rows("cases.Stakeholder", stakeholder, api="stakeholder", ui_edit="cases:stakeholder_edit"),
    **crud_rows(
        "cases.Result",
        result,
        api="result",
        ui_list="cases:result_list",
        ui_detail="cases:result_detail",
        ui_edit="cases:result_edit",
    ),
    # ---------------------------------------------------------------- API: cases
    # Moving a CAP case between stages: case managers only (model-level CHANGE).
    "api:capcase-transition": Endpoint(obj=cap_case, write=CASE_MANAGER),
    # Eligibility assessments are the Secretariat's (focal points and donors: 403).
    "api:eligibilityassessment-decide": Endpoint(obj=assessment, write=CASE_MANAGER),
    "api:eligibilityassessment-ranking": Endpoint(read=SECRETARIAT),
    # Reviewing a result: case managers only (focal points, viewers and donors: 403 up front).
    "api:result-accept": Endpoint(obj=result, write=CASE_MANAGER),
    "api:result-return": Endpoint(obj=result, write=CASE_MANAGER),
    # ---------------------------------------------------------------- workplans: plain CRUD
    # Readers: the Secretariat, the Party's focal points and the donors funding the case; planners:
    # the case manager and the Party's MA focal point (tests/access_expectations.py).
    **crud_rows(
        "workplans.Workplan",
        workplan,
        api="workplan",
        ui_list="workplans:workplan_list",
        ui_detail="workplans:workplan_detail",
        ui_edit="workplans:workplan_edit",
        ui_delete="workplans:workplan_delete",
    ),
    **crud_rows(
        "workplans.Activity",
        activity,
        api="activity",
        ui_edit="workplans:activity_edit",
        ui_delete="workplans:activity_delete",
    ),
    **crud_rows(
        "workplans.Milestone",
        milestone,
        api="milestone",
        ui_edit="workplans:milestone_edit",
        ui_delete="workplans:milestone_delete",
    ),
    **crud_rows(
        "workplans.Indicator",
        indicator,
        api="indicator",
        ui_edit="workplans:indicator_edit",
        ui_delete="workplans:indicator_delete",
    ),
    **crud_rows(
        "workplans.IndicatorValue",
        indicator_value,
        api="indicatorvalue",
        ui_edit="workplans:indicatorvalue_edit",
    ),
    **crud_rows(
        "workplans.CorrectiveAction",
        corrective_action,
        api="correctiveaction",
        ui_edit="workplans:correctiveaction_edit",
    ),
    **crud_rows("workplans.Event", event, api="event", ui_edit="workplans:event_edit"),
    **crud_rows(
        "workplans.Deliverable", deliverable, api="deliverable", ui_edit="workplans:deliverable_edit"
    ),
    **crud_rows(
        "workplans.ProgressUpdate", progress_update, api="progressupdate", ui_edit="workplans:progress_edit"
    ),
    # ---------------------------------------------------------------- API: workplans
    # Submit and revise (planners: the case manager, the Party's MA focal point); approve and
    # return (case managers). Other roles: 403 on any Party's version.
    "api:workplan-submit": Endpoint(obj=workplan, write=MAINTAINERS),
    "api:workplan-approve": Endpoint(obj=submitted_workplan, write=CASE_MANAGER),
    "api:workplan-return": Endpoint(obj=submitted_workplan, write=CASE_MANAGER),
    "api:workplan-revise": Endpoint(obj=workplan, write=MAINTAINERS),
    "api:workplan-compare": Endpoint(obj=workplan, read=PLAN_READERS),
    "api:workplan-coverage": Endpoint(obj=workplan, read=PLAN_READERS),
    "api:workplan-export": Endpoint(obj=workplan, read=PLAN_READERS),
    # A blank workbook: every role that reads workplans.
    "api:workplan-template": Endpoint(read=EVERYONE),
    # Multipart only: the JSON probe of an allowed user answers 415.
    "api:workplan-import": Endpoint(obj=workplan, write=MAINTAINERS),
    "api:deliverable-download": Endpoint(obj=deliverable, read=SECRETARIAT_AND_PARTY),
    # A valid decision, so that the probe reaches the role check (not the body's validation).
    "api:deliverable-review": Endpoint(
        obj=deliverable, write=CASE_MANAGER, write_data={"decision": "accept"}
    ),
    "api:progressupdate-accept": Endpoint(obj=progress_update, write=CASE_MANAGER),
    "api:progressupdate-return": Endpoint(obj=progress_update, write=CASE_MANAGER),
    # ---------------------------------------------------------------- budgets: plain CRUD
    # Funding sources are global records of the donors (public_view). If-Match is required on
    # instruments and budget lines: an allowed PATCH answers 428.
    **crud_rows("budgets.FundingSource", funding_source, api="fundingsource"),
    **crud_rows(
        "budgets.LegalInstrument",
        instrument,
        api="fundingagreement",
        ui_list="budgets:instrument_list",
        ui_detail="budgets:instrument_detail",
        ui_edit="budgets:instrument_edit",
        ui_delete="budgets:instrument_delete",
    ),
    **crud_rows(
        "budgets.NoCostExtension",
        extension,
        api="nocostextension",
        ui_edit="budgets:extension_edit",
        ui_delete="budgets:extension_delete",
    ),
    **crud_rows(
        "budgets.Installment",
        installment,
        api="installment",
        ui_edit="budgets:installment_edit",
        ui_delete="budgets:installment_delete",
    ),
    **crud_rows(
        "budgets.BudgetLine",
        budget_line,
        api="budgetline",
        ui_edit="budgets:budgetline_edit",
        ui_delete="budgets:budgetline_delete",
    ),
    **crud_rows(
        "budgets.Expenditure",
        expenditure,
        api="expenditure",
        ui_list="budgets:expenditure_list",
        ui_edit="budgets:expenditure_edit",
        ui_delete="budgets:expenditure_delete",
    ),
    # ---------------------------------------------------------------- API: funding
    "api:fundingagreement-figures": Endpoint(obj=instrument, read=FUNDING_READERS),
    # Without ?workplan= an allowed user gets 400: the probe checks the model-level rule only.
    "api:budgetline-table": Endpoint(read=EVERYONE),
    "api:budgetline-export": Endpoint(read=EVERYONE),
    "api:expenditure-document": Endpoint(obj=expenditure_with_document, read=FUNDING_READERS),
    # Absorption figures over what the user may see: every signed-in user.
    "api:absorption-list": Endpoint(read=EVERYONE),
    "api:absorption-export": Endpoint(read=EVERYONE),
    # ---------------------------------------------------------------- API: reports
    **_api_crud("report", report, REPORT_READERS, CASE_MANAGER),
    "api:report-render": Endpoint(obj=report, write=CASE_MANAGER),
    "api:report-finalise": Endpoint(obj=report, write=CASE_MANAGER),
    "api:report-recompose": Endpoint(obj=report, write=CASE_MANAGER),
    # Sections are made by composing the report: no create (405), so no write probe on the list.
    "api:report-section-list": Endpoint(read=EVERYONE),
    "api:report-section-detail": Endpoint(
        obj=section, read=REPORT_READERS, write=CASE_MANAGER, write_method="patch"
    ),
    "api:report-section-history": Endpoint(obj=section, read=REPORT_READERS),
    "api:report-section-reset": Endpoint(obj=section, write=CASE_MANAGER),
    # Render jobs: the Secretariat only, drafts and finals alike.
    "api:report-render-list": Endpoint(read=SECRETARIAT),
    "api:report-render-detail": Endpoint(obj=render_job, read=SECRETARIAT),
    "api:report-render-history": Endpoint(obj=render_job, read=SECRETARIAT),
    "api:report-render-retry": Endpoint(obj=failed_render, write=CASE_MANAGER),
    # Versions (read-only): those of final reports are published.
    "api:report-version-list": Endpoint(read=EVERYONE),
    "api:report-version-detail": Endpoint(obj=version, read=REPORT_READERS),
    "api:report-version-history": Endpoint(obj=version, read=REPORT_READERS),
    "api:report-version-pdf": Endpoint(obj=version, read=REPORT_READERS),
    "api:report-version-docx": Endpoint(obj=version, read=REPORT_READERS),
    # ---------------------------------------------------------------- UI: cases
    "cases:capcase_add": Endpoint(read=CASE_MANAGER, write=CASE_MANAGER),
    "cases:capcase_transition": Endpoint(obj=cap_case, write=CASE_MANAGER),
    "cases:mission_add": Endpoint(obj=cap_case, kwargs=by_case, read=CASE_MANAGER, write=CASE_MANAGER),
    "cases:stakeholder_add": Endpoint(obj=cap_case, kwargs=by_case, read=CASE_MANAGER, write=CASE_MANAGER),
    "cases:result_add": Endpoint(obj=cap_case, kwargs=by_case, read=REPORTERS, write=REPORTERS),
    "cases:result_review": Endpoint(obj=result, write=CASE_MANAGER, write_data={"decision": "accept"}),
    "cases:selection_board": Endpoint(read=SECRETARIAT),
    "cases:assessment_add": Endpoint(read=CASE_MANAGER, write=CASE_MANAGER),
    "cases:assessment_decide": Endpoint(obj=assessment, write=CASE_MANAGER),
    "cases:compliancecase_add": Endpoint(read=CASE_MANAGER, write=CASE_MANAGER),
    "cases:recommendation_add": Endpoint(read=CASE_MANAGER, write=CASE_MANAGER),
    "cases:measure_add": Endpoint(read=CASE_MANAGER, write=CASE_MANAGER),
    "cases:rating_add": Endpoint(read=CASE_MANAGER, write=CASE_MANAGER),
    "cases:meeting_add": Endpoint(read=CASE_MANAGER, write=CASE_MANAGER),
    "cases:mechanism_add": Endpoint(read=CASE_MANAGER, write=CASE_MANAGER),
    # ---------------------------------------------------------------- UI: workplans
    "workplans:workplan_add": Endpoint(read=MAINTAINERS, write=MAINTAINERS),
    "workplans:my_work": Endpoint(read=EVERYONE),
    "workplans:workplan_template": Endpoint(read=EVERYONE),
    # One step probed: approving (case managers only).
    "workplans:workplan_transition": Endpoint(
        obj=submitted_workplan, kwargs=approve_step, write=CASE_MANAGER
    ),
    "workplans:workplan_compare": Endpoint(obj=workplan, read=PLAN_READERS),
    "workplans:workplan_export": Endpoint(obj=workplan, read=PLAN_READERS),
    "workplans:workplan_import": Endpoint(obj=workplan, read=MAINTAINERS, write=MAINTAINERS),
    "workplans:activity_add": Endpoint(obj=workplan, kwargs=by_parent, read=MAINTAINERS, write=MAINTAINERS),
    "workplans:milestone_add": Endpoint(obj=workplan, kwargs=by_parent, read=MAINTAINERS, write=MAINTAINERS),
    "workplans:indicator_add": Endpoint(obj=workplan, kwargs=by_parent, read=MAINTAINERS, write=MAINTAINERS),
    "workplans:indicatorvalue_add": Endpoint(
        obj=indicator, kwargs=by_parent, read=MAINTAINERS, write=MAINTAINERS
    ),
    "workplans:correctiveaction_add": Endpoint(
        obj=workplan, kwargs=by_parent, read=MAINTAINERS, write=MAINTAINERS
    ),
    "workplans:progress_add": Endpoint(obj=activity, kwargs=by_parent, read=REPORTERS, write=REPORTERS),
    # A valid decision, so that the probe reaches the role check (an invalid form redirects).
    "workplans:progress_review": Endpoint(
        obj=progress_update, write=CASE_MANAGER, write_data={"decision": "accept"}
    ),
    "workplans:event_add": Endpoint(obj=workplan, kwargs=by_parent, read=MAINTAINERS, write=MAINTAINERS),
    "workplans:deliverable_add": Endpoint(
        obj=workplan, kwargs=by_parent, read=MAINTAINERS, write=MAINTAINERS
    ),
    "workplans:deliverable_review": Endpoint(
        obj=deliverable, write=CASE_MANAGER, write_data={"decision": "accept"}
    ),
    "workplans:deliverable_file": Endpoint(obj=deliverable, read=SECRETARIAT_AND_PARTY),
    # ---------------------------------------------------------------- UI: funding
    "budgets:absorption": Endpoint(read=EVERYONE),
    "budgets:absorption_export": Endpoint(read=EVERYONE),
    "budgets:workplan_budget": Endpoint(obj=budgeted_workplan, read=FUNDING_READERS),
    "budgets:workplan_budget_export": Endpoint(obj=budgeted_workplan, read=FUNDING_READERS),
    "budgets:expenditure_add": Endpoint(read=MAINTAINERS, write=MAINTAINERS),
    "budgets:expenditure_document": Endpoint(obj=expenditure_with_document, read=FUNDING_READERS),
    # The funding page of a CAP case: whoever reads its funding records (the donor observer:
    # the cases its donor funds).
    "budgets:case_funding": Endpoint(obj=funded_case, read=FUNDING_READERS),
    # Agreements, extensions and installments: case managers only.
    "budgets:instrument_add": Endpoint(
        obj=funded_case, kwargs=by_parent, read=CASE_MANAGER, write=CASE_MANAGER
    ),
    "budgets:extension_add": Endpoint(
        obj=instrument, kwargs=by_parent, read=CASE_MANAGER, write=CASE_MANAGER
    ),
    "budgets:installment_add": Endpoint(
        obj=instrument, kwargs=by_parent, read=CASE_MANAGER, write=CASE_MANAGER
    ),
    # Budget lines: the case manager and the Party's MA focal point (a draft's budget), as in the API.
    "budgets:budgetline_add": Endpoint(
        obj=draft_budget_workplan, kwargs=by_parent, read=MAINTAINERS, write=MAINTAINERS
    ),
    # ---------------------------------------------------------------- UI: reports
    "reports:report_list": Endpoint(read=EVERYONE),
    "reports:report_add": Endpoint(read=CASE_MANAGER, write=CASE_MANAGER),
    "reports:report_detail": Endpoint(obj=report, read=REPORT_READERS),
    "reports:report_edit": Endpoint(obj=report, read=CASE_MANAGER, write=CASE_MANAGER),
    "reports:report_delete": Endpoint(obj=report, read=CASE_MANAGER, write=CASE_MANAGER),
    "reports:report_preview": Endpoint(obj=report, read=REPORT_READERS),
    "reports:report_render": Endpoint(obj=report, write=CASE_MANAGER),
    "reports:report_finalise": Endpoint(obj=report, write=CASE_MANAGER),
    "reports:report_recompose": Endpoint(obj=report, write=CASE_MANAGER),
    "reports:section_edit": Endpoint(
        obj=section, kwargs=report_section, read=CASE_MANAGER, write=CASE_MANAGER
    ),
    "reports:section_reset": Endpoint(obj=section, kwargs=report_section, write=CASE_MANAGER),
    "reports:render_retry": Endpoint(obj=failed_render, write=CASE_MANAGER),
    "reports:version_preview": Endpoint(obj=version, read=REPORT_READERS),
    "reports:version_pdf": Endpoint(obj=version, read=REPORT_READERS),
    "reports:version_docx": Endpoint(obj=version, read=REPORT_READERS),
    # ---------------------------------------------------------------- decisions
    # The register (adopted decisions): plain CRUD from tests/access_expectations.py.
    **crud_rows(
        "decisions.Decision",
        decision,
        api="decision",
        ui_list="decisions:decision_list",
        ui_edit="decisions:decision_edit",
        ui_delete="decisions:decision_delete",
    ),
    "decisions:decision_add": Endpoint(read=CASE_MANAGER, write=CASE_MANAGER),
    # A report's draft decisions: read as the report; added and edited by case managers (the
    # drafts of a final report are refused by validation, after the permission check).
    "decisions:report_drafts": Endpoint(obj=report, kwargs=by_parent, read=REPORT_READERS),
    "decisions:draft_add": Endpoint(obj=report, kwargs=by_parent, read=CASE_MANAGER, write=CASE_MANAGER),
    "decisions:draft_edit": Endpoint(obj=draft_decision, read=CASE_MANAGER, write=CASE_MANAGER),
    # Two versions compared (without two picked, back to the report page): as the versions.
    "reports:version_compare": Endpoint(obj=report, read=REPORT_READERS),
}
