"""Sample: Decisions 19.44 to 19.46 on the CAP, adopted at CoP19 (quoted in SC78 Doc. 23, para. 2),
and the draft decisions 20.AA to 20.CC of the annex of the sample SC78 report.

The texts are those of the SC78 document. 20.CC is written in the same style (the document's own
20.CC). The three decisions are recorded as implemented: the Secretariat reports them so
(recommendation e)); an implemented decision stays in force until the CoP deletes it, so the
report still quotes them.
"""

import datetime

from django.db import transaction

from cases.choices import MeetingBody
from cases.models import Meeting
from reports.models import Report
from reports.services import report_sections_sync

from .choices import CAP_AGENDA_ITEM, DecisionStatus, DirectedTo
from .models import Decision
from .services import decision_create

SC78_SYMBOL = "SC78 Doc. 23"

COP19_DECISIONS = [
    (
        "19.44",
        DirectedTo.PARTIES,
        "Parties are invited to continue to provide financial or technical support to Parties subject "
        "to compliance mechanisms and other related compliance measures as specified in Resolution Conf. "
        "14.3 (Rev. CoP19) on CITES compliance procedures to further strengthen their institutional "
        "capacity.",
        [],
    ),
    (
        "19.45",
        DirectedTo.SECRETARIAT,
        "The Secretariat shall, subject to the availability of external funding:",
        [
            "upon request, conduct technical missions and facilitate the organization of in-country "
            "assistance coordination mechanisms to selected Parties eligible to benefit from the "
            "Compliance Assistance Programme (CAP);",
            "in consultation with the International University of Andalucía which hosts the Masters "
            "Course in 'Management and Conservation of Species in Trade – The International Framework' "
            "and other relevant universities, explore the possibility and feasibility of training and "
            "deploying short term consultants to assist Parties benefiting from the Compliance Assistance "
            "Programme; and",
            "report to the Standing Committee on the progress made in the implementation of Decisions "
            "19.44 and 19.45.",
        ],
    ),
    (
        "19.46",
        DirectedTo.STANDING_COMMITTEE,
        "The Standing Committee shall monitor progress in the implementation of the Compliance "
        "Assistance Programme (CAP) and report its findings and recommendations to the 20th meeting of "
        "the Conference of the Parties.",
        [],
    ),
]

SC78_DRAFTS = [
    (
        DirectedTo.PARTIES,
        "Parties are invited to continue to provide financial or technical support to Parties subject "
        "to compliance mechanisms and other related compliance measures as specified in Resolution Conf. "
        "14.3 (Rev. CoP19) on CITES compliance procedures, including through the Compliance Assistance "
        "Programme to meet the needs of eligible Parties.",
        [],
    ),
    (
        DirectedTo.SECRETARIAT,
        "Subject to extrabudgetary resources, the Secretariat shall:",
        [
            "continue assisting Parties through the Compliance Assistance Programme, and extend the CAP "
            "to other eligible Parties;",
            "support Parties' mainstreaming of gender in the development, implementation and monitoring "
            "of CAP activities, in line with the forthcoming CITES Gender Action Plan;",
            "in consultation with the International University of Andalucía which hosts the Master's "
            "Course in 'Management and Conservation of Species in Trade – The International Framework' "
            "and other relevant universities, encourage the participation of Management and Scientific "
            "Authorities of CAP beneficiary Parties in the Master's Course, and consider enriching it "
            "with a module on project management; and",
            "report to the Standing Committee on the progress made in the implementation of the CAP and "
            "submit for its consideration any proposal for its further development.",
        ],
    ),
    (
        DirectedTo.STANDING_COMMITTEE,
        "The Standing Committee shall monitor progress in the implementation of the CAP and report its "
        "findings and recommendations to the 21st meeting of the Conference of the Parties.",
        [],
    ),
]


def _cop19() -> Meeting:
    meeting, _created = Meeting.objects.get_or_create(
        body=MeetingBody.COP,
        number=19,
        defaults={
            "starts_on": datetime.date(2022, 11, 14),
            "ends_on": datetime.date(2022, 11, 25),
            "venue": "Panama City (Panama)",
        },
    )
    return meeting


@transaction.atomic
def load() -> None:
    """Decisions 19.44–19.46 and the SC78 report's draft decisions 20.AA–20.CC (idempotent)."""
    cop19 = _cop19()
    for order, (number, directed_to, text, items) in enumerate(COP19_DECISIONS, start=1):
        if Decision.objects.filter(meeting=cop19, number=number).exists():
            continue
        decision_create(
            user=None,
            data={
                "number": number,
                "meeting": cop19,
                "directed_to": directed_to,
                "text": text,
                "items": "\n".join(items),
                "status": DecisionStatus.IMPLEMENTED,
                "agenda_item": CAP_AGENDA_ITEM,
                "order": order,
            },
        )
    report = Report.objects.filter(symbol=SC78_SYMBOL).first()
    if report is None or report.draft_decisions.exists():
        return
    for order, (directed_to, text, items) in enumerate(SC78_DRAFTS, start=1):
        decision_create(
            user=None,
            data={
                "report": report,
                "directed_to": directed_to,
                "text": text,
                "items": "\n".join(items),
                "status": DecisionStatus.DRAFT,
                "agenda_item": CAP_AGENDA_ITEM,
                "order": order,
            },
        )
    report_sections_sync(report=report, user=None)
