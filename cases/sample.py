"""Sample compliance record and CAP cases of the eight SC78 beneficiary Parties, and a few
candidates for the selection board.

Entered from SC78 Doc. "Compliance Assistance Programme" (Geneva, February 2025) and CoP18 Doc.
"Compliance Assistance Programme". Where those documents give no date, deadline, status or
wording, a plausible one is invented and the row is marked ``is_illustrative=True``. The three
candidates (Democratic Republic of the Congo, Madagascar, Mozambique) are illustrative throughout.
"""

import datetime
from importlib import import_module

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.db import transaction

from parties.models import Party

from .choices import AreaOfConcern as A
from .choices import (
    CapStage,
    Level,
    MeasureKind,
    MeetingBody,
    ProgressRatingScale,
    RecommendationStatus,
    StakeholderKind,
)
from .models import (
    CapCase,
    ComplianceCase,
    ComplianceMeasure,
    ComplianceMechanism,
    EligibilityAssessment,
    Meeting,
    ProgressRating,
    Recommendation,
    Stakeholder,
    TechnicalMission,
)

D = datetime.date
OPEN, IN_PROGRESS, IMPLEMENTED = (
    RecommendationStatus.OPEN,
    RecommendationStatus.IN_PROGRESS,
    RecommendationStatus.IMPLEMENTED,
)

# body, number, starts, ends, venue, illustrative
MEETINGS = [
    (MeetingBody.SC, 65, D(2014, 7, 7), D(2014, 7, 11), "Geneva (Switzerland)", True),
    (MeetingBody.SC, 69, D(2017, 11, 27), D(2017, 12, 1), "Geneva (Switzerland)", True),
    (MeetingBody.SC, 70, D(2018, 10, 1), D(2018, 10, 5), "Sochi (Russian Federation)", True),
    (MeetingBody.SC, 71, D(2019, 8, 17), D(2019, 8, 17), "Geneva (Switzerland)", True),
    (MeetingBody.SC, 74, D(2022, 3, 7), D(2022, 3, 11), "Lyon (France)", True),
    (MeetingBody.SC, 77, D(2023, 11, 6), D(2023, 11, 10), "Geneva (Switzerland)", True),
    (MeetingBody.SC, 78, D(2025, 2, 3), D(2025, 2, 8), "Geneva (Switzerland)", False),
    (MeetingBody.AC, 27, D(2014, 4, 28), D(2014, 5, 3), "Veracruz (Mexico)", True),
    (MeetingBody.AC, 33, D(2024, 7, 12), D(2024, 7, 19), "Geneva (Switzerland)", True),
    # As given by CoP18 Doc. 28 (the meeting was later moved to Geneva, 17-28 August 2019).
    (MeetingBody.COP, 18, D(2019, 5, 23), D(2019, 6, 3), "Colombo (Sri Lanka)", False),
    (MeetingBody.COP, 19, D(2022, 11, 14), D(2022, 11, 25), "Panama City (Panama)", True),
]

# code, mechanism, species, opened at (meeting code) or on (date), summary, illustrative
CASES = [
    ("NG", "article-xiii", "", "SC70", "Article XIII recommendations of SC70 (SC70 SR).", True),
    ("GN", "article-xiii", "", "SC65", "Article XIII recommendations, last revised at SC71 (SC71 SR).", True),
    ("KH", "niap", "", "SC65", "National Ivory Action Plan; rated 'achieved' at SC77.", True),
    ("TG", "rst", "Pandinus imperator", D(2016, 5, 1), "Trade suspension lifted at AC33 with a quota.", True),
    ("TG", "rst", "Chamaeleo gracilis", D(2019, 7, 1), "Under review; NDF prepared with CAP support.", True),
    ("TG", "rst", "Varanus ornatus", D(2019, 7, 1), "NDF under review by the Animals Committee.", True),
    ("TG", "rst", "Python regius", D(2019, 7, 1), "NDF under review by the Animals Committee.", True),
    ("SB", "rst", "Corucia zebrata", "AC27", "Longstanding trade suspension under RST.", True),
    ("SB", "rst", "Ornithoptera spp.", "AC27", "Longstanding trade suspension under RST.", True),
    ("SB", "rst", "Tridacna spp.", "AC27", "Progress on an NDF (SC78 Doc. 34.2).", True),
    ("SR", "national-legislation", "", "SC69", "Institutional and legislative reforms.", True),
    ("LA", "article-xiii", "", "SC69", "Article XIII; technical missions since SC67.", True),
    ("LA", "niap", "", "SC65", "National Ivory Action Plan.", True),
    ("VN", "niap", "", "SC65", "National Ivory and Rhino Action Plan.", True),
    # Candidates (illustrative)
    ("CD", "article-xiii", "", "SC69", "Article XIII (illustrative candidate).", True),
    ("CD", "annual-reports", "", "SC74", "Annual reports outstanding (illustrative).", True),
    ("MG", "malagasy-timber", "Diospyros spp., Dalbergia spp.", "SC69", "Stockpiles (illustrative).", True),
    ("MG", "rst", "Furcifer spp.", "AC27", "RST (illustrative candidate).", True),
    ("MZ", "niap", "", "SC69", "NIAP only (illustrative candidate).", True),
]

# code, mechanism (of the case), meeting, reference, area, text, deadline, status, illustrative
RECOMMENDATIONS = [
    (
        "NG",
        "article-xiii",
        "SC70",
        "SC70 SR",
        A.SCIENTIFIC,
        "Make a scientifically-based non-detriment finding for Pterocarpus erinaceus to the satisfaction of "
        "the Secretariat and the Chair of the Plants Committee.",
        D(2019, 12, 31),
        IN_PROGRESS,
        True,
    ),
    (
        "NG",
        "article-xiii",
        "SC70",
        "SC70 SR",
        A.LEGISLATIVE,
        "Strengthen the regulatory framework in relation to forestry management.",
        D(2020, 6, 30),
        IN_PROGRESS,
        True,
    ),
    (
        "NG",
        "article-xiii",
        "SC70",
        "SC70 SR",
        A.ENFORCEMENT,
        "Assess and strengthen the capacities of law enforcement agencies.",
        D(2020, 6, 30),
        IN_PROGRESS,
        True,
    ),
    (
        "NG",
        "article-xiii",
        "SC70",
        "SC70 SR",
        A.INFORMATION_SYSTEMS,
        "Establish efficient information systems.",
        D(2027, 6, 30),
        OPEN,
        True,
    ),
    (
        "NG",
        "article-xiii",
        "SC70",
        "SC70 SR",
        A.ENFORCEMENT,
        "Strengthen the handling and disposal of seized stockpiles of ivory and pangolin scales.",
        D(2020, 6, 30),
        OPEN,
        True,
    ),
    (
        "GN",
        "article-xiii",
        "SC71",
        "SC71 SR",
        A.INSTITUTIONAL,
        "Strengthen the capacities of the Management Authority and the Scientific Authority to perform their "
        "obligations under the CITES provisions.",
        D(2020, 12, 31),
        IMPLEMENTED,
        True,
    ),
    (
        "GN",
        "article-xiii",
        "SC71",
        "SC71 SR",
        A.LEGISLATIVE,
        "Carry out the legislative reforms needed at national level.",
        D(2020, 12, 31),
        IN_PROGRESS,
        True,
    ),
    (
        "GN",
        "article-xiii",
        "SC71",
        "SC71 SR",
        A.INFORMATION_SYSTEMS,
        "Implement a system for the proper handling and processing of CITES documentation.",
        D(2020, 12, 31),
        IMPLEMENTED,
        True,
    ),
    (
        "GN",
        "article-xiii",
        "SC71",
        "SC71 SR",
        A.SCIENTIFIC,
        "Develop a protocol for the making of non-detriment findings (NDFs).",
        D(2021, 6, 30),
        IN_PROGRESS,
        True,
    ),
    (
        "GN",
        "article-xiii",
        "SC71",
        "SC71 SR",
        A.SCIENTIFIC,
        "Establish voluntary national export quotas for species expected to be in trade.",
        D(2021, 6, 30),
        OPEN,
        True,
    ),
    (
        "GN",
        "article-xiii",
        "SC71",
        "SC71 SR",
        A.ENFORCEMENT,
        "Implement the ICCWC Indicator Framework for wildlife and forest crime.",
        D(2021, 6, 30),
        IN_PROGRESS,
        True,
    ),
    (
        "GN",
        "article-xiii",
        "SC71",
        "SC71 SR",
        A.ENFORCEMENT,
        "Develop a protocol for the management and disposal of seized and confiscated specimens.",
        D(2027, 3, 31),
        OPEN,
        True,
    ),
    (
        "TG",
        "rst",
        "AC33",
        "AC33 SR",
        A.SCIENTIFIC,
        "Before any increase of the interim annual export quota of 20,000 specimens of Pandinus imperator, "
        "communicate the planned changes to the Secretariat and the Chair of the Animals Committee for their "
        "agreement.",
        None,
        OPEN,
        False,
    ),
    (
        "SB",
        "rst",
        "AC27",
        "AC27 SR",
        A.SCIENTIFIC,
        "Make non-detriment findings for Corucia zebrata and Ornithoptera spp. before trade resumes.",
        D(2016, 5, 1),
        IN_PROGRESS,
        True,
    ),
    (
        "SR",
        "national-legislation",
        "SC74",
        "SC74 SR",
        A.LEGISLATIVE,
        "Adopt legislation that meets the requirements for implementing the Convention.",
        D(2025, 12, 31),
        IN_PROGRESS,
        True,
    ),
    (
        "LA",
        "article-xiii",
        "SC74",
        "SC74 SR",
        A.ENFORCEMENT,
        "Improve the monitoring and registration of zoos and wildlife farms.",
        D(2023, 12, 31),
        IN_PROGRESS,
        True,
    ),
    (
        "CD",
        "article-xiii",
        "SC69",
        "SC69 SR",
        A.SCIENTIFIC,
        "Publish science-based export quotas (illustrative).",
        D(2019, 6, 30),
        OPEN,
        True,
    ),
    (
        "CD",
        "article-xiii",
        "SC69",
        "SC69 SR",
        A.REPORTING,
        "Submit the outstanding annual reports (illustrative).",
        D(2018, 12, 31),
        OPEN,
        True,
    ),
]

# code, kind, species, meeting, notification, from, to, quota, unit, description, illustrative
MEASURES = [
    (
        "NG",
        MeasureKind.SUSPEND_COMMERCIAL_TRADE,
        "Pterocarpus erinaceus",
        "SC70",
        "2018/084",
        D(2018, 11, 1),
        None,
        None,
        "",
        "Recommendation to suspend commercial trade in Pterocarpus erinaceus.",
        True,
    ),
    (
        "GN",
        MeasureKind.SUSPEND_COMMERCIAL_TRADE,
        "",
        "SC65",
        "2013/017",
        D(2013, 5, 16),
        None,
        None,
        "",
        "Recommendation to suspend commercial trade in specimens of CITES-listed species.",
        True,
    ),
    (
        "TG",
        MeasureKind.SUSPEND_COMMERCIAL_TRADE,
        "Pandinus imperator",
        None,
        "2016/021",
        D(2016, 5, 1),
        D(2024, 9, 30),
        None,
        "",
        "RST trade suspension, removed on the recommendation of AC33.",
        True,
    ),
    (
        "TG",
        MeasureKind.EXPORT_QUOTA,
        "Pandinus imperator",
        "AC33",
        "",
        D(2024, 10, 1),
        None,
        20000,
        "specimens",
        "Interim annual export quota accepted at AC33; increases need the agreement of the Secretariat and "
        "the Chair of the Animals Committee.",
        True,
    ),
    (
        "SB",
        MeasureKind.SUSPEND_COMMERCIAL_TRADE,
        "Corucia zebrata",
        "AC27",
        "2014/032",
        D(2014, 7, 1),
        None,
        None,
        "",
        "Longstanding RST trade suspension.",
        True,
    ),
    (
        "SB",
        MeasureKind.SUSPEND_COMMERCIAL_TRADE,
        "Ornithoptera spp.",
        "AC27",
        "2014/032",
        D(2014, 7, 1),
        None,
        None,
        "",
        "Longstanding RST trade suspension.",
        True,
    ),
    (
        "CD",
        MeasureKind.SUSPEND_COMMERCIAL_TRADE,
        "Psittacus erithacus",
        "SC69",
        "",
        D(2018, 1, 15),
        None,
        None,
        "",
        "Illustrative.",
        True,
    ),
]

# code, mechanism, meeting, rating, note, illustrative
RATINGS = [
    ("KH", "niap", "SC74", ProgressRatingScale.SUBSTANTIALLY_ACHIEVED, "", True),
    (
        "KH",
        "niap",
        "SC77",
        ProgressRatingScale.ACHIEVED,
        "The Secretariat to engage experts on whether Cambodia can exit the NIAP process (SC78).",
        False,
    ),
    ("VN", "niap", "SC77", ProgressRatingScale.SUBSTANTIALLY_ACHIEVED, "", True),
    ("LA", "niap", "SC77", ProgressRatingScale.PARTIALLY_ACHIEVED, "", True),
]

# code: summary of the CAP case (SC78 Doc. paras. 12-27)
BENEFICIARIES = {
    "KH": "Capacity-building project: LAFs for captive-breeding stock, law enforcement, ivory stockpile "
    "inventory (NIAP), registration of domesticated live elephants.",
    "GN": "Implementation plan addressing the SC71 recommendations (SC71 SR).",
    "LA": "Capacity of the MA, monitoring and registration of zoos and wildlife farms, outreach, law "
    "enforcement, NDF expertise of the SA.",
    "NG": "Activities addressing the SC70 recommendations, including the NDF for Pterocarpus erinaceus.",
    "SB": "Permit management, interagency collaboration and communication, LAFs, annual illegal trade "
    "reports, long-term RST compliance issues.",
    "SR": "Institutional and legislative reforms; formalization of the new SA; centralized data collection. "
    "Administered with the UNDP country office.",
    "TG": "MA and SA capacities, CITES database, NDFs for ten key species, captive-breeding standards, law "
    "enforcement.",
    "VN": "Remaining activities of the National Ivory and Rhino Action Plan; enforcement capacity; "
    "planning of the e-permitting system.",
}

# code, starts, ends, place, participants, partners, purpose, strengths, needs, illustrative
MISSIONS = [
    (
        "SB",
        D(2023, 9, 12),
        D(2023, 9, 15),
        "Honiara",
        "CITES Secretariat compliance team",
        "",
        "Compliance assessment mission to meet with the relevant authorities and identify the country's "
        "capacity needs.",
        "A committed Management Authority leading the work.",
        "Permit management (Res. Conf. 12.3), interagency collaboration and communication, LAFs, annual "
        "illegal trade reports, long-term compliance issues for species in the RST process, understanding of "
        "CITES requirements among enforcement officials.",
        True,
    ),
    (
        "SR",
        D(2023, 4, 17),
        D(2023, 4, 21),
        "Paramaribo",
        "CITES Secretariat compliance team",
        "",
        "Mission of the Secretariat to Suriname to prepare the CAP.",
        "A newly established Scientific Authority.",
        "A number of legislative gaps, now included in the workplan; coordination between the MA and the SA.",
        True,
    ),
    (
        "VN",
        D(2024, 11, 18),
        D(2024, 11, 22),
        "Hanoi",
        "CAP programme management officer",
        "UNCTAD ASYCUDA",
        "Feasibility assessment for the implementation of the e-permitting system: legal framework, permit "
        "procedures, human resources availability, ICT readiness, time and costs, and options for the "
        "e-permitting system solutions.",
        "",
        "",
        False,
    ),
]

# code, name, kind, role, illustrative
STAKEHOLDERS = [
    (
        "SR",
        "UNDP Suriname country office",
        StakeholderKind.UN_AGENCY,
        "Administrative and financial aspects of CAP implementation: receives and manages the CAP funds.",
        False,
    ),
    (
        "VN",
        "UNCTAD ASYCUDA",
        StakeholderKind.UN_AGENCY,
        "Partner in the feasibility assessment of the e-permitting system.",
        False,
    ),
    (
        "GN",
        "International University of Andalucía (UNIA)",
        StakeholderKind.ACADEMIA,
        "Master's course followed by a member of the project implementation team.",
        False,
    ),
    (
        "SB",
        "International University of Andalucía (UNIA)",
        StakeholderKind.ACADEMIA,
        "Master's course followed by a member of the project implementation team.",
        False,
    ),
    (
        "SR",
        "International University of Andalucía (UNIA)",
        StakeholderKind.ACADEMIA,
        "Master's course followed by a member of the project implementation team.",
        False,
    ),
    (
        "GN",
        "Local consultant",
        StakeholderKind.PRIVATE_SECTOR,
        "Supports the authorities in implementing the planned activities.",
        False,
    ),
    (
        "NG",
        "NDF consultant",
        StakeholderKind.PRIVATE_SECTOR,
        "Informs the NDF for Pterocarpus erinaceus.",
        False,
    ),
]

# code, stage, assessment inputs (None: not assessed yet)
CANDIDATES = [
    (
        "CD",
        CapStage.LONG_LIST,
        {
            "export_significance": Level.MEDIUM,
            "committed": True,
            "focal_point_nominated": True,
            "formal_request": True,
            "potential_for_impact": Level.HIGH,
            "ongoing_projects": "Illustrative: an enforcement project with ICCWC partners.",
        },
    ),
    (
        "MG",
        CapStage.CANDIDATE,
        {
            "export_significance": Level.HIGH,
            "committed": True,
            "focal_point_nominated": False,
            "formal_request": False,
            "potential_for_impact": Level.MEDIUM,
        },
    ),
    ("MZ", CapStage.CANDIDATE, None),
]


def _ensure(model, lookup: dict, defaults: dict):
    """The object matching ``lookup``, created (validated) with ``defaults`` when missing."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **defaults)
        instance.full_clean()
        instance.save()
    return instance


@transaction.atomic
def load() -> None:
    """Load meetings, compliance cases, recommendations, measures, ratings, CAP cases, missions,
    stakeholders and candidates (idempotent: a second run changes nothing)."""
    parties = {str(p.code): p for p in Party.objects.filter(code__in=[*BENEFICIARIES, "CD", "MG", "MZ"])}
    # The mechanisms are reference data loaded by a migration; load them again (idempotent, same
    # rows) in case the database was emptied since (a flush, a restore, transactional tests).
    import_module("cases.migrations.0003_load_compliance_mechanisms").load(django_apps, None)
    mechanisms = {m.code: m for m in ComplianceMechanism.objects.all()}
    meetings = {}
    for body, number, starts, ends, venue, illustrative in MEETINGS:
        meeting = _ensure(
            Meeting,
            {"body": body, "number": number},
            {"starts_on": starts, "ends_on": ends, "venue": venue, "is_illustrative": illustrative},
        )
        meetings[meeting.code] = meeting

    cases, all_cases = {}, []
    for code, mechanism, species, opened, summary, illustrative in CASES:
        opened_values = {"opened_at": meetings[opened]} if isinstance(opened, str) else {"opened_on": opened}
        case = _ensure(
            ComplianceCase,
            {"party": parties[code], "mechanism": mechanisms[mechanism], "species": species},
            {**opened_values, "summary": summary, "is_illustrative": illustrative},
        )
        cases.setdefault((code, mechanism), case)
        all_cases.append((code, case))

    for code, mechanism, meeting, reference, area, text, deadline, status, illustrative in RECOMMENDATIONS:
        _ensure(
            Recommendation,
            {"party": parties[code], "reference": reference, "text": text},
            {
                "compliance_case": cases[(code, mechanism)],
                "adopted_at": meetings[meeting],
                "area": area,
                "deadline": deadline,
                "status": status,
                "is_illustrative": illustrative,
            },
        )

    for code, kind, species, meeting, notification, start, end, quota, unit, text, illustrative in MEASURES:
        case = next((c for p, c in all_cases if p == code and c.species == species), None)
        _ensure(
            ComplianceMeasure,
            {"party": parties[code], "kind": kind, "species": species, "in_effect_from": start},
            {
                "compliance_case": case,
                "adopted_at": meetings.get(meeting),
                "notification": notification,
                "in_effect_to": end,
                "export_quota": quota,
                "quota_unit": unit,
                "description": text,
                "is_illustrative": illustrative,
            },
        )

    for code, mechanism, meeting, rating, note, illustrative in RATINGS:
        _ensure(
            ProgressRating,
            {"compliance_case": cases[(code, mechanism)], "meeting": meetings[meeting]},
            {"rating": rating, "note": note, "is_illustrative": illustrative},
        )

    manager = get_user_model().objects.filter(username=DEMO_CASE_MANAGER).first()
    cap_cases = {}
    for code, summary in BENEFICIARIES.items():
        cap_cases[code] = _cap_case(parties[code], CapStage.IN_IMPLEMENTATION, summary, manager, False)
    for code, stage, inputs in CANDIDATES:
        cap_case = _cap_case(parties[code], stage, "Illustrative candidate.", manager, True)
        if inputs is not None:
            _ensure(
                EligibilityAssessment,
                {"cap_case": cap_case, "assessed_on": D(2025, 3, 31)},
                {**inputs, "assessor": manager, "is_illustrative": True},
            )

    for (
        code,
        starts,
        ends,
        place,
        participants,
        partners,
        purpose,
        strengths,
        needs,
        illustrative,
    ) in MISSIONS:
        _ensure(
            TechnicalMission,
            {"cap_case": cap_cases[code], "starts_on": starts},
            {
                "ends_on": ends,
                "place": place,
                "participants": participants,
                "partners": partners,
                "purpose": purpose,
                "strengths": strengths,
                "needs": needs,
                "is_illustrative": illustrative,
            },
        )
    for code, name, kind, role, illustrative in STAKEHOLDERS:
        _ensure(
            Stakeholder,
            {"cap_case": cap_cases[code], "name": name},
            {"kind": kind, "role": role, "is_illustrative": illustrative},
        )


DEMO_CASE_MANAGER = "casemanager"


def assign_demo_case_manager() -> int:
    """Make the demo case manager (sampledata.demo) the manager of the sample CAP cases that have
    none; run after the demo users are created. Idempotent; returns how many were assigned."""
    manager = get_user_model().objects.filter(username=DEMO_CASE_MANAGER).first()
    if manager is None:
        return 0
    assigned = 0
    codes = [*BENEFICIARIES, *(code for code, _stage, _inputs in CANDIDATES)]
    for cap_case in CapCase.objects.filter(party__code__in=codes, case_manager__isnull=True):
        cap_case.case_manager = manager
        cap_case.save(update_fields=["case_manager", "updated"])
        assigned += 1
    EligibilityAssessment.objects.filter(cap_case__party__code__in=codes, assessor__isnull=True).update(
        assessor=manager
    )
    return assigned


def _cap_case(party, stage, summary, manager, illustrative) -> CapCase:
    cap_case = _ensure(
        CapCase,
        {"party": party},
        {"stage": stage, "summary": summary, "case_manager": manager, "is_illustrative": illustrative},
    )
    if cap_case.case_manager_id is None and manager is not None:
        cap_case.case_manager = manager
        cap_case.save(update_fields=["case_manager", "updated"])
    return cap_case
