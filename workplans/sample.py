"""Sample workplans of the eight SC78 beneficiary Parties (SC78 Doc. "Compliance Assistance
Programme", paras. 12–27 and 34–35).

The activities, events and deliverables are those the document describes. It gives almost no plan
dates, percentages, participant counts or indicator figures: those are invented and the rows are
marked ``is_illustrative=True``. Dates the document does give (Cambodia's workshop of 27–28 March
2024, Solomon Islands' LAF workshop of 9–10 October 2024) are kept; their participant counts are
invented, so those rows are illustrative too. Technical missions are recorded by the cases app
(``cases.TechnicalMission``), not repeated here as events.

Runs after ``cases.sample.load`` (which creates the CAP cases); creates what is missing and
changes nothing on a second run.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from cases.models import CapCase, Recommendation
from parties.models import Party

from .choices import (
    ActivityStatus,
    AreaOfConcern,
    ChangeReason,
    DeliverableKind,
    EventKind,
    Priority,
    ResponsibleEntity,
    ReviewStatus,
    WorkplanAction,
    WorkplanStatus,
)
from .models import (
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
from .models import WorkplanStep as Step

D = datetime.date
A = AreaOfConcern
R = ResponsibleEntity
S = ActivityStatus
H, M, L = Priority.HIGH, Priority.MEDIUM, Priority.LOW

# code: (title, starts, ends, objective)
PLANS = {
    "KH": (
        "Cambodia: compliance support within the CITES capacity-building project",
        D(2023, 7, 1),
        D(2024, 12, 31),
        "LAFs for captive-bred parental stock, law enforcement capacity, NIAP ivory stockpile "
        "inventory and the registration of domesticated live elephants.",
    ),
    "GN": (
        "Guinea: CAP implementation plan (SC71 recommendations)",
        D(2022, 10, 1),
        D(2024, 12, 31),
        "Address the Article XIII recommendations adopted at SC71 (SC71 SR).",
    ),
    "LA": (
        "Lao People's Democratic Republic: CAP project implementation plan",
        D(2024, 11, 1),
        D(2026, 10, 31),
        "Strengthen the MA, monitor zoos and wildlife farms, raise awareness, build enforcement and "
        "SA capacity.",
    ),
    "NG": (
        "Nigeria: CAP workplan (SC70 recommendations)",
        D(2023, 9, 1),
        D(2025, 3, 31),
        "Address the Article XIII recommendations adopted at SC70 (SC70 SR).",
    ),
    "SB": (
        "Solomon Islands: CAP project",
        D(2024, 1, 1),
        D(2025, 6, 30),
        "Strengthen the MA's permit management, interagency collaboration and communication; LAFs, "
        "reports and long-standing RST cases.",
    ),
    "SR": (
        "Suriname: CAP workplan",
        D(2023, 6, 1),
        D(2025, 5, 31),
        "Institutional and legislative reforms, the newly established SA and its coordination with "
        "the MA, centralized data collection.",
    ),
    "TG": (
        "Togo: CAP project",
        D(2022, 9, 1),
        D(2024, 6, 30),
        "Structural changes for compliance: MA and SA capacity, CITES data, NDFs for ten key species, "
        "captive-breeding standards, law enforcement.",
    ),
    "VN": (
        "Viet Nam: compliance support within the capacity-building project",
        D(2024, 1, 1),
        D(2025, 12, 31),
        "Complete the National Ivory and Rhino Action Plan, build enforcement capacity and plan an "
        "e-permitting system.",
    ),
}

# code: [(activity code, title, area, responsible, priority, planned start, end, status, percent)]
ACTIVITIES = {
    "KH": [
        (
            "K1",
            "Guidelines on LAF for captive-breeding species of wildlife",
            A.SCIENTIFIC,
            R.SCIENTIFIC_AUTHORITY,
            H,
            D(2023, 9, 1),
            D(2024, 12, 31),
            S.ONGOING,
            70,
        ),
        (
            "K2",
            "Training workshop on the CITES Convention and its implementation in Cambodia",
            A.ENFORCEMENT,
            R.MANAGEMENT_AUTHORITY,
            H,
            D(2024, 3, 27),
            D(2024, 3, 28),
            S.COMPLETED,
            100,
        ),
        (
            "K3",
            "Guidelines on ivory stockpile inventory and management (NIAP)",
            A.ENFORCEMENT,
            R.ENFORCEMENT,
            H,
            D(2023, 9, 1),
            D(2024, 6, 30),
            S.COMPLETED,
            100,
        ),
        (
            "K4",
            "Registration of domesticated live elephants: guidelines, final list and record",
            A.INSTITUTIONAL,
            R.MANAGEMENT_AUTHORITY,
            M,
            D(2023, 9, 1),
            D(2024, 12, 31),
            S.ONGOING,
            80,
        ),
        (
            "K5",
            "Video clip on the conservation of domesticated live Asian elephants",
            A.OUTREACH,
            R.MANAGEMENT_AUTHORITY,
            L,
            D(2024, 6, 1),
            D(2024, 12, 31),
            S.ONGOING,
            50,
        ),
    ],
    "GN": [
        (
            "G1",
            "Strengthen the capacities of the MA and SA to perform their CITES obligations",
            A.INSTITUTIONAL,
            R.CONSULTANT,
            H,
            D(2022, 11, 1),
            D(2023, 12, 31),
            S.COMPLETED,
            100,
        ),
        (
            "G2",
            "Legislative reforms needed at national level",
            A.LEGISLATIVE,
            R.CONSULTANT,
            H,
            D(2022, 11, 1),
            D(2024, 6, 30),
            S.DELAYED,
            60,
        ),
        (
            "G3",
            "System for handling and processing CITES documentation",
            A.INFORMATION_SYSTEMS,
            R.MANAGEMENT_AUTHORITY,
            H,
            D(2023, 1, 1),
            D(2024, 3, 31),
            S.ONGOING,
            75,
        ),
        (
            "G4",
            "Protocol for making non-detriment findings (NDFs)",
            A.SCIENTIFIC,
            R.SCIENTIFIC_AUTHORITY,
            M,
            D(2023, 3, 1),
            D(2024, 3, 31),
            S.COMPLETED,
            100,
        ),
        (
            "G5",
            "Voluntary national export quotas for species expected to be in trade",
            A.SCIENTIFIC,
            R.SCIENTIFIC_AUTHORITY,
            M,
            D(2023, 6, 1),
            D(2024, 6, 30),
            S.ONGOING,
            50,
        ),
        (
            "G6",
            "Implementation of the ICCWC Indicator Framework for wildlife and forest crime",
            A.ENFORCEMENT,
            R.ENFORCEMENT,
            M,
            D(2023, 6, 1),
            D(2024, 6, 30),
            S.DELAYED,
            40,
        ),
        (
            "G7",
            "Protocol for the management and disposal of seized and confiscated specimens",
            A.ENFORCEMENT,
            R.ENFORCEMENT,
            M,
            D(2023, 9, 1),
            D(2024, 9, 30),
            S.ONGOING,
            60,
        ),
    ],
    "LA": [
        (
            "L1",
            "Strengthen the capacity of the Management Authority",
            A.INSTITUTIONAL,
            R.MANAGEMENT_AUTHORITY,
            H,
            D(2024, 11, 1),
            D(2025, 10, 31),
            S.ONGOING,
            10,
        ),
        (
            "L2",
            "Monitoring and registration of zoos and wildlife farms: training of provincial forestry staff",
            A.ENFORCEMENT,
            R.MANAGEMENT_AUTHORITY,
            H,
            D(2025, 1, 1),
            D(2025, 12, 31),
            S.NOT_STARTED,
            0,
        ),
        (
            "L3",
            "Outreach campaigns on national laws protecting fauna and flora",
            A.OUTREACH,
            R.MANAGEMENT_AUTHORITY,
            M,
            D(2025, 3, 1),
            D(2026, 6, 30),
            S.NOT_STARTED,
            0,
        ),
        (
            "L4",
            "Inspection and investigation techniques for law enforcement officials",
            A.ENFORCEMENT,
            R.ENFORCEMENT,
            M,
            D(2025, 3, 1),
            D(2026, 3, 31),
            S.NOT_STARTED,
            0,
        ),
        (
            "L5",
            "Technical expertise of the Scientific Authority in NDF practices",
            A.SCIENTIFIC,
            R.SCIENTIFIC_AUTHORITY,
            M,
            D(2025, 6, 1),
            D(2026, 6, 30),
            S.NOT_STARTED,
            0,
        ),
    ],
    "NG": [
        (
            "N1",
            "Scientifically-based NDF for Pterocarpus erinaceus",
            A.SCIENTIFIC,
            R.CONSULTANT,
            H,
            D(2023, 10, 1),
            D(2024, 9, 30),
            S.DELAYED,
            55,
        ),
        (
            "N2",
            "Strengthen the regulatory framework for forestry management",
            A.LEGISLATIVE,
            R.MANAGEMENT_AUTHORITY,
            M,
            D(2024, 1, 1),
            D(2024, 12, 31),
            S.ONGOING,
            30,
        ),
        (
            "N3",
            "Assess and strengthen the capacities of law enforcement agencies",
            A.ENFORCEMENT,
            R.ENFORCEMENT,
            M,
            D(2024, 3, 1),
            D(2025, 1, 31),
            S.ONGOING,
            35,
        ),
        (
            "N4",
            "Efficient information systems; online training on CITES reporting requirements",
            A.REPORTING,
            R.MANAGEMENT_AUTHORITY,
            M,
            D(2024, 6, 1),
            D(2025, 1, 31),
            S.ONGOING,
            50,
        ),
        (
            "N5",
            "Handling and disposal of seized stockpiles of ivory and pangolin scales",
            A.ENFORCEMENT,
            R.ENFORCEMENT,
            M,
            D(2024, 6, 1),
            D(2025, 3, 31),
            S.NOT_STARTED,
            0,
        ),
    ],
    "SB": [
        (
            "S1",
            "Permit management (Res. Conf. 12.3 (Rev. CoP19)), interagency collaboration and communication",
            A.INSTITUTIONAL,
            R.MANAGEMENT_AUTHORITY,
            H,
            D(2024, 1, 1),
            D(2025, 3, 31),
            S.ONGOING,
            60,
        ),
        (
            "S2",
            "National workshop on legal acquisition findings (LAF), Honiara",
            A.SCIENTIFIC,
            R.MANAGEMENT_AUTHORITY,
            H,
            D(2024, 10, 9),
            D(2024, 10, 10),
            S.COMPLETED,
            100,
        ),
        (
            "S3",
            "Annual and annual illegal trade reports",
            A.REPORTING,
            R.MANAGEMENT_AUTHORITY,
            M,
            D(2024, 3, 1),
            D(2025, 4, 30),
            S.ONGOING,
            40,
        ),
        (
            "S4",
            "NDFs for Corucia zebrata and Ornithoptera spp. (RST)",
            A.SCIENTIFIC,
            R.SCIENTIFIC_AUTHORITY,
            H,
            D(2024, 2, 1),
            D(2025, 6, 30),
            S.ONGOING,
            50,
        ),
        (
            "S5",
            "NDF for Tridacna spp. (RST)",
            A.SCIENTIFIC,
            R.SCIENTIFIC_AUTHORITY,
            M,
            D(2024, 4, 1),
            D(2025, 6, 30),
            S.ONGOING,
            40,
        ),
        (
            "S6",
            "Understanding of CITES requirements among enforcement officials",
            A.ENFORCEMENT,
            R.ENFORCEMENT,
            M,
            D(2024, 9, 1),
            D(2025, 5, 31),
            S.NOT_STARTED,
            0,
        ),
    ],
    "SR": [
        (
            "R1",
            "Training and formalization of the newly established Scientific Authority",
            A.INSTITUTIONAL,
            R.SCIENTIFIC_AUTHORITY,
            H,
            D(2023, 9, 1),
            D(2024, 12, 31),
            S.ONGOING,
            70,
        ),
        (
            "R2",
            "Protocol on coordination between the MA and the SA; joint MA–SA workshop",
            A.INSTITUTIONAL,
            R.MANAGEMENT_AUTHORITY,
            H,
            D(2024, 1, 1),
            D(2025, 3, 31),
            S.ONGOING,
            40,
        ),
        (
            "R3",
            "Centralized data collection system",
            A.INFORMATION_SYSTEMS,
            R.MANAGEMENT_AUTHORITY,
            M,
            D(2024, 1, 1),
            D(2025, 5, 31),
            S.ONGOING,
            30,
        ),
        (
            "R4",
            "Address the legislative gaps identified by the Secretariat's mission (April 2023)",
            A.LEGISLATIVE,
            R.CONSULTANT,
            H,
            D(2023, 9, 1),
            D(2025, 3, 31),
            S.ONGOING,
            50,
        ),
        (
            "R5",
            "NDFs for four species and case studies; online trainings for the SA",
            A.SCIENTIFIC,
            R.SCIENTIFIC_AUTHORITY,
            H,
            D(2024, 1, 1),
            D(2024, 11, 30),
            S.COMPLETED,
            100,
        ),
    ],
    "TG": [
        (
            "T1",
            "Strengthen the capacities of the MA and the SA on CITES procedures",
            A.INSTITUTIONAL,
            R.MANAGEMENT_AUTHORITY,
            H,
            D(2022, 10, 1),
            D(2023, 9, 30),
            S.COMPLETED,
            100,
        ),
        (
            "T2",
            "CITES database for the collection and submission of CITES data",
            A.INFORMATION_SYSTEMS,
            R.MANAGEMENT_AUTHORITY,
            H,
            D(2022, 10, 1),
            D(2023, 12, 31),
            S.COMPLETED,
            100,
        ),
        (
            "T3",
            "NDFs for ten key species of Togo (incl. Chamaeleo gracilis, Varanus ornatus, Python regius)",
            A.SCIENTIFIC,
            R.SCIENTIFIC_AUTHORITY,
            H,
            D(2022, 11, 1),
            D(2024, 3, 31),
            S.COMPLETED,
            100,
        ),
        (
            "T4",
            "Standards for captive-breeding operations (legal and technical aspects)",
            A.LEGISLATIVE,
            R.MANAGEMENT_AUTHORITY,
            M,
            D(2023, 1, 1),
            D(2024, 3, 31),
            S.COMPLETED,
            100,
        ),
        (
            "T5",
            "Law enforcement capacity; storage equipment for seized and confiscated dead specimens",
            A.ENFORCEMENT,
            R.ENFORCEMENT,
            M,
            D(2023, 3, 1),
            D(2024, 6, 30),
            S.COMPLETED,
            100,
        ),
    ],
}
# Viet Nam's activities were reformulated at its request after SC77 (SC78 Doc., para. 27):
# version 1 is kept as superseded, version 2 is in force.
VN_V1 = [
    (
        "V1",
        "Complete the remaining activities of the National Ivory and Rhino Action Plan",
        A.ENFORCEMENT,
        R.MANAGEMENT_AUTHORITY,
        H,
        D(2024, 1, 1),
        D(2024, 12, 31),
        S.DELAYED,
        10,
    ),
    (
        "V2",
        "Training of enforcement officers and forest rangers",
        A.ENFORCEMENT,
        R.ENFORCEMENT,
        M,
        D(2024, 3, 1),
        D(2024, 12, 31),
        S.NOT_STARTED,
        0,
    ),
]
VN_V2 = [
    (
        "V1",
        "Complete the remaining activities of the National Ivory and Rhino Action Plan (rhino horn and "
        "elephant ivory)",
        A.ENFORCEMENT,
        R.MANAGEMENT_AUTHORITY,
        H,
        D(2024, 6, 1),
        D(2025, 9, 30),
        S.ONGOING,
        30,
    ),
    (
        "V2",
        "Capacity of enforcement officers and forest rangers to combat wildlife crime",
        A.ENFORCEMENT,
        R.ENFORCEMENT,
        M,
        D(2024, 9, 1),
        D(2025, 9, 30),
        S.ONGOING,
        20,
    ),
    (
        "V3",
        "Planning of the e-permitting system: feasibility assessment with UNCTAD ASYCUDA",
        A.INFORMATION_SYSTEMS,
        R.PARTNER,
        H,
        D(2024, 11, 1),
        D(2025, 12, 31),
        S.ONGOING,
        25,
    ),
]

# code: [(activity code or None, title, due, met)]
MILESTONES = {
    "KH": [("K1", "LAF guidelines shared with the Secretariat", D(2024, 12, 31), None)],
    "GN": [
        ("G2", "Draft CITES implementing law submitted to Government", D(2024, 3, 31), None),
        ("G4", "NDF protocol adopted", D(2024, 3, 31), D(2024, 2, 15)),
    ],
    "LA": [("L1", "MA staff training plan adopted", D(2025, 3, 31), None)],
    "NG": [
        ("N1", "NDF for Pterocarpus erinaceus sent to the Secretariat and the PC Chair", D(2024, 9, 30), None)
    ],
    "SB": [
        ("S2", "LAF workshop held", D(2024, 10, 31), D(2024, 10, 10)),
        ("S4", "NDFs submitted to the Animals Committee", D(2025, 4, 30), None),
    ],
    "SR": [("R2", "MA–SA coordination protocol signed", D(2024, 12, 31), None)],
    "TG": [
        (
            "T3",
            "NDFs for Varanus ornatus and Python regius sent to the Animals Committee",
            D(2024, 3, 31),
            D(2024, 3, 20),
        )
    ],
    "VN": [("V3", "e-permitting feasibility assessment completed", D(2024, 12, 31), D(2024, 11, 22))],
}

# code: (event kind, title, activity code, start, end, venue or None (online), female, male, other)
EVENTS = {
    "KH": [
        (
            EventKind.WORKSHOP,
            "Training Workshop on CITES Convention and the CITES Implementation in Cambodia",
            "K2",
            D(2024, 3, 27),
            D(2024, 3, 28),
            "Phnom Penh",
            14,
            26,
            0,
        )
    ],
    "NG": [
        (
            EventKind.TRAINING,
            "Online training workshop on CITES reporting requirements",
            "N4",
            D(2024, 9, 17),
            D(2024, 9, 17),
            None,
            11,
            16,
            2,
        )
    ],
    "SB": [
        (
            EventKind.WORKSHOP,
            "National workshop on legal acquisition findings (LAF)",
            "S2",
            D(2024, 10, 9),
            D(2024, 10, 10),
            "Honiara",
            12,
            15,
            0,
        )
    ],
    "SR": [
        (
            EventKind.TRAINING,
            "Online training for the members of the Scientific Authority (1)",
            "R5",
            D(2024, 9, 24),
            D(2024, 9, 24),
            None,
            5,
            4,
            0,
        ),
        (
            EventKind.TRAINING,
            "Online training for the members of the Scientific Authority (2)",
            "R5",
            D(2024, 11, 19),
            D(2024, 11, 19),
            None,
            6,
            4,
            0,
        ),
    ],
    "TG": [
        (
            EventKind.TRAINING,
            "Training of the MA and SA on CITES procedures",
            "T1",
            D(2023, 5, 16),
            D(2023, 5, 18),
            "Lomé",
            9,
            21,
            0,
        )
    ],
}

# code: (kind, title, activity code, delivered on, review status)
DELIVERABLES = {
    "KH": [
        (
            DeliverableKind.GUIDELINES,
            "Guidelines on Ivory Stockpile Inventory and Management",
            "K3",
            D(2024, 6, 30),
            ReviewStatus.ACCEPTED,
        ),
        (
            DeliverableKind.GUIDELINES,
            "Guidelines on Registration of Domesticated Live Elephant in Cambodia",
            "K4",
            D(2024, 6, 30),
            ReviewStatus.ACCEPTED,
        ),
        (
            DeliverableKind.LAF,
            "Guidelines on LAF for Captive-Breeding Species of Wildlife",
            "K1",
            None,
            ReviewStatus.SUBMITTED,
        ),
    ],
    "TG": [
        (DeliverableKind.NDF, "NDF for Varanus ornatus", "T3", D(2024, 3, 20), ReviewStatus.SUBMITTED),
        (DeliverableKind.NDF, "NDF for Python regius", "T3", D(2024, 3, 20), ReviewStatus.SUBMITTED),
        (DeliverableKind.DATABASE, "CITES database of Togo", "T2", D(2023, 12, 15), ReviewStatus.ACCEPTED),
    ],
    "SR": [
        (
            DeliverableKind.NDF,
            "NDFs for four species, with case studies",
            "R5",
            D(2024, 11, 30),
            ReviewStatus.SUBMITTED,
        )
    ],
}

# code: (indicator, unit, activity code, baseline, target, counts people, [(start, end, value or (f, m, o))])
INDICATORS = {
    "TG": [("NDFs made for key species", "NDFs", "T3", 0, 10, False, [(D(2022, 9, 1), D(2024, 6, 30), 10)])],
    "SB": [
        (
            "People trained on LAF",
            "people",
            "S2",
            0,
            30,
            True,
            [(D(2024, 7, 1), D(2024, 12, 31), (12, 15, 0))],
        )
    ],
    "KH": [
        (
            "Officials trained on CITES implementation",
            "people",
            "K2",
            0,
            40,
            True,
            [(D(2024, 1, 1), D(2024, 6, 30), (14, 26, 0))],
        )
    ],
    "NG": [
        (
            "Officials trained on CITES reporting",
            "people",
            "N4",
            0,
            30,
            True,
            [(D(2024, 7, 1), D(2024, 12, 31), (11, 16, 2))],
        )
    ],
}

CORRECTIVE_ACTIONS = {
    "NG": [
        (
            ChangeReason.DELAYS,
            "N1",
            "Delays in starting the activities on the ground: consultant recruited "
            "to carry the NDF fieldwork; deadline moved.",
            D(2024, 6, 15),
        )
    ],
    "GN": [
        (
            ChangeReason.INSTITUTIONAL_CHANGE,
            None,
            "Important changes in national structures and procedures "
            "relevant to CITES: activities re-sequenced with the local consultant.",
            D(2023, 11, 1),
        )
    ],
    "SR": [
        (
            ChangeReason.DISBURSEMENT,
            None,
            "Funds administered by the UNDP country office to overcome disbursement difficulties.",
            D(2023, 7, 1),
        )
    ],
}


def _activities(workplan, rows) -> dict:
    by_code = {}
    for code, title, area, entity, priority, start, end, status, percent in rows:
        activity, _ = Activity.objects.get_or_create(
            workplan=workplan,
            code=code,
            defaults={
                "title": title,
                "area": area,
                "responsible_entity": entity,
                "priority": priority,
                "planned_start": start,
                "planned_end": end,
                "actual_start": start if status != S.NOT_STARTED else None,
                "actual_end": end if status == S.COMPLETED else None,
                "status": status,
                "percent_complete": percent,
                "is_illustrative": True,
            },
        )
        by_code[code] = activity
    _link_recommendations(workplan, by_code.values())
    return by_code


# The focal points' progress reports of the sample: each started activity of a plan in force was
# reported up to the end of 2024 (before SC78, February 2025), or to its end when completed, and
# accepted a week later; the report was made a fortnight after the period it covers.
REPORTED_TO = D(2024, 12, 31)


def _progress_updates(workplan, activities) -> None:
    for activity in activities:
        if activity.status not in (S.ONGOING, S.DELAYED, S.COMPLETED) or activity.progress_updates.exists():
            continue
        start = max(activity.actual_start or activity.planned_start, workplan.starts_on)
        end = activity.actual_end if activity.status == S.COMPLETED else REPORTED_TO
        end = min(end or activity.planned_end, activity.planned_end, workplan.ends_on)
        if end <= start:
            continue
        made = timezone.make_aware(
            datetime.datetime.combine(end + datetime.timedelta(days=15), datetime.time(10))
        )
        update = ProgressUpdate.objects.create(
            activity=activity,
            period_start=start,
            period_end=end,
            narrative="Sample data (illustrative): progress reported by the Management Authority.",
            status=activity.status,
            percent_complete=activity.percent_complete,
            actual_start=activity.actual_start,
            actual_end=activity.actual_end,
            review_status=ReviewStatus.ACCEPTED,
            reviewed_at=made + datetime.timedelta(days=7),
        )
        # Dated as it happened, not on the day the sample was loaded.
        ProgressUpdate.objects.filter(pk=update.pk).update(
            created=made, updated=made + datetime.timedelta(days=7)
        )


def _link_recommendations(workplan, activities) -> None:
    """Each activity addresses the Party's recommendations in its area of concern (when recorded)."""
    recommendations = list(Recommendation.objects.filter(party_id=workplan.cap_case.party_id))
    for activity in activities:
        if not activity.recommendations.exists():
            activity.recommendations.set([r for r in recommendations if r.area == activity.area])


def _workplan(
    cap_case, version, status, values, revises=None, reason="", approved_on=None, superseded_on=None
) -> Workplan:
    """A sample version with its steps dated as the plan's history (approved when it starts,
    unless told), so that "the version in force on a date" reads the sample as it happened."""
    workplan, created = Workplan.objects.get_or_create(
        cap_case=cap_case,
        version=version,
        defaults={
            **values,
            "status": status,
            "revises": revises,
            "revision_reason": reason,
            "is_illustrative": True,
        },
    )
    if created:
        steps = [(WorkplanAction.REVISE, "", WorkplanStatus.DRAFT)] if revises else []
        steps += [
            (WorkplanAction.SUBMIT, WorkplanStatus.DRAFT, WorkplanStatus.SUBMITTED),
            (WorkplanAction.APPROVE, WorkplanStatus.SUBMITTED, WorkplanStatus.APPROVED),
        ]
        if status == WorkplanStatus.SUPERSEDED:
            steps.append((WorkplanAction.SUPERSEDE, WorkplanStatus.APPROVED, WorkplanStatus.SUPERSEDED))
        approved_on = approved_on or values["starts_on"]
        dates = {
            WorkplanAction.REVISE: approved_on - datetime.timedelta(days=30),
            WorkplanAction.SUBMIT: approved_on - datetime.timedelta(days=14),
            WorkplanAction.APPROVE: approved_on,
            WorkplanAction.SUPERSEDE: superseded_on or approved_on,
        }
        for action, source, target in steps:
            Step.objects.create(
                workplan=workplan,
                action=action,
                from_status=source,
                to_status=target,
                reason=reason if action == WorkplanAction.REVISE else "",
                comment="Sample data (illustrative).",
                taken_at=timezone.make_aware(datetime.datetime.combine(dates[action], datetime.time(10))),
            )
    return workplan


@transaction.atomic
def load() -> None:
    """Create the sample workplans of the eight SC78 beneficiary Parties (idempotent)."""
    for code, (title, starts, ends, objective) in PLANS.items():
        party = Party.objects.filter(code=code).first()
        if party is None:
            continue
        cap_case = CapCase.objects.filter(party=party).first() or CapCase.objects.create(party=party)
        values = {"title": title, "starts_on": starts, "ends_on": ends, "objective": objective}
        if code == "VN":
            # Version 2 (a revision within the capacity-building project) replaced version 1 in July 2024.
            first = _workplan(
                cap_case,
                1,
                WorkplanStatus.SUPERSEDED,
                {**values, "starts_on": D(2024, 1, 1)},
                superseded_on=D(2024, 7, 1),
            )
            _activities(first, VN_V1)
            workplan = _workplan(
                cap_case,
                2,
                WorkplanStatus.APPROVED,
                values,
                revises=first,
                reason=ChangeReason.OTHER,
                approved_on=D(2024, 7, 1),
            )
            activities = _activities(workplan, VN_V2)
        else:
            workplan = _workplan(cap_case, 1, WorkplanStatus.APPROVED, values)
            activities = _activities(workplan, ACTIVITIES[code])

        _progress_updates(workplan, activities.values())
        for activity_code, milestone, due, met in MILESTONES.get(code, []):
            Milestone.objects.get_or_create(
                workplan=workplan,
                title=milestone,
                defaults={
                    "activity": activities.get(activity_code),
                    "due_on": due,
                    "met_on": met,
                    "is_illustrative": True,
                },
            )
        for kind, event, activity_code, start, end, venue, female, male, other in EVENTS.get(code, []):
            Event.objects.get_or_create(
                cap_case=cap_case,
                title=event,
                defaults={
                    "kind": kind,
                    "activity": activities.get(activity_code),
                    "start_on": start,
                    "end_on": end,
                    "venue": venue or "",
                    "is_online": venue is None,
                    "participants_female": female,
                    "participants_male": male,
                    "participants_other": other,
                    "is_illustrative": True,
                },
            )
        for kind, deliverable, activity_code, delivered, review in DELIVERABLES.get(code, []):
            Deliverable.objects.get_or_create(
                cap_case=cap_case,
                title=deliverable,
                defaults={
                    "kind": kind,
                    "activity": activities.get(activity_code),
                    "delivered_on": delivered,
                    "review_status": review,
                    "is_illustrative": True,
                },
            )
        for name, unit, activity_code, baseline, target, people, values_ in INDICATORS.get(code, []):
            indicator, created = Indicator.objects.get_or_create(
                workplan=workplan,
                name=name,
                defaults={
                    "unit": unit,
                    "activity": activities.get(activity_code),
                    "baseline": baseline,
                    "target": target,
                    "counts_people": people,
                    "is_illustrative": True,
                },
            )
            if created:
                for start, end, value in values_:
                    if people:
                        female, male, other = value
                        IndicatorValue.objects.create(
                            indicator=indicator,
                            period_start=start,
                            period_end=end,
                            female=female,
                            male=male,
                            other_or_not_recorded=other,
                            value=female + male + other,
                        )
                    else:
                        IndicatorValue.objects.create(
                            indicator=indicator, period_start=start, period_end=end, value=value
                        )
        for reason, activity_code, description, agreed in CORRECTIVE_ACTIONS.get(code, []):
            CorrectiveAction.objects.get_or_create(
                workplan=workplan,
                description=description,
                defaults={"reason": reason, "activity": activities.get(activity_code), "agreed_on": agreed},
            )
