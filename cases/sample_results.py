"""The sample results (SC78 Doc. 23 paras. 33–36), loaded after the workplans they answer.

Accepted by the demo case manager before the sample report's as-of date (15 December 2024) and
flagged as examples where the document cites them. Dates the document does not give are marked
illustrative. Idempotent: a second run changes nothing.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cap_portal.history import acting_user
from workplans.choices import ReviewStatus
from workplans.models import Activity

from .models import CapCase, ComplianceCase, ProgressRating, Recommendation, Result
from .sample import DEMO_CASE_MANAGER

D = datetime.date

# party, title, description, achieved on, document, species, quota, unit, activity code,
# (mechanism, species) of the compliance case answered, recommendation reference answered,
# rating meeting cited, accepted on, illustrative
RESULTS = [
    (
        "TG",
        "The Animals Committee accepted an annual export quota and recommended removing the RST trade "
        "suspension",
        "With support through the CAP, Togo addressed the recommendations of the Animals Committee under "
        "the RST process on Pandinus imperator. At its 33rd meeting, the Animals Committee recommended the "
        "removal of the recommendation to suspend trade and accepted an annual export quota of 20,000 "
        "specimens; increases of this interim quota are to be agreed with the Secretariat and the Chair of "
        "the Animals Committee.",
        D(2024, 7, 19),
        "AC33 SR",
        "Pandinus imperator",
        Decimal("20000"),
        "specimens",
        "T3",
        ("rst", "Pandinus imperator"),
        "AC33 SR",
        None,
        D(2024, 8, 1),
        False,
    ),
    (
        "TG",
        "NDF for Varanus ornatus prepared and under review by the Animals Committee",
        "Prepared with the updated NDF guidance and template developed under Decision 19.132.",
        D(2024, 10, 31),
        "SC78 Doc. 23",
        "Varanus ornatus",
        None,
        "",
        "T3",
        ("rst", "Varanus ornatus"),
        None,
        None,
        D(2024, 11, 15),
        True,
    ),
    (
        "TG",
        "NDF for Python regius prepared and under review by the Animals Committee",
        "Prepared with the updated NDF guidance and template developed under Decision 19.132.",
        D(2024, 10, 31),
        "SC78 Doc. 23",
        "Python regius",
        None,
        "",
        "T3",
        ("rst", "Python regius"),
        None,
        None,
        D(2024, 11, 15),
        True,
    ),
    (
        "SB",
        "Progress towards an NDF for Corucia zebrata, under a longstanding RST trade suspension",
        "",
        D(2024, 11, 1),
        "SC78 Doc. 34.2",
        "Corucia zebrata",
        None,
        "",
        "S4",
        ("rst", "Corucia zebrata"),
        "AC27 SR",
        None,
        D(2024, 11, 20),
        True,
    ),
    (
        "SB",
        "Progress towards an NDF for Ornithoptera spp., under a longstanding RST trade suspension",
        "",
        D(2024, 11, 1),
        "SC78 Doc. 34.2",
        "Ornithoptera spp.",
        None,
        "",
        "S4",
        ("rst", "Ornithoptera spp."),
        "AC27 SR",
        None,
        D(2024, 11, 20),
        True,
    ),
    (
        "SB",
        "Progress on an NDF for Tridacna spp.",
        "",
        D(2023, 12, 31),
        "SC78 Doc. 34.2",
        "Tridacna spp.",
        None,
        "",
        "S5",
        ("rst", "Tridacna spp."),
        None,
        None,
        D(2024, 1, 31),
        True,
    ),
    (
        "KH",
        "The Standing Committee agreed an overall rating of 'achieved' for the NIAP",
        "The Secretariat to engage experts on whether Cambodia can exit the NIAP process (SC78).",
        D(2023, 11, 10),
        "SC77 SR",
        "",
        None,
        "",
        None,
        ("niap", ""),
        None,
        "SC77",
        D(2023, 11, 30),
        False,
    ),
]


@transaction.atomic
def load() -> None:
    """Load the sample results, accepted as of their dates (idempotent)."""
    reviewer = get_user_model().objects.filter(username=DEMO_CASE_MANAGER).first()
    for (
        code,
        title,
        description,
        achieved_on,
        document,
        species,
        quota,
        unit,
        activity_code,
        case_key,
        recommendation_reference,
        rating_meeting,
        accepted_on,
        illustrative,
    ) in RESULTS:
        cap_case = CapCase.objects.filter(party__code=code).order_by("pk").first()
        if cap_case is None or Result.objects.filter(cap_case=cap_case, title=title).exists():
            continue
        mechanism, case_species = case_key
        compliance_cases = list(
            ComplianceCase.objects.filter(party__code=code, mechanism__code=mechanism, species=case_species)
        )
        rating = None
        if rating_meeting:
            rating = ProgressRating.objects.filter(
                compliance_case__in=compliance_cases,
                meeting__body=rating_meeting[:2],
                meeting__number=rating_meeting[2:],
            ).first()
        result = Result(
            cap_case=cap_case,
            title=title,
            description=description,
            achieved_on=achieved_on,
            document_reference=document,
            species=species,
            quota=quota,
            quota_unit=unit,
            progress_rating=rating,
            is_example=True,
            review_status=ReviewStatus.ACCEPTED,
            reviewed_by=reviewer,
            reviewed_at=timezone.make_aware(datetime.datetime.combine(accepted_on, datetime.time(12))),
            is_illustrative=illustrative,
        )
        result.full_clean()
        activities = []
        if activity_code:
            activity = (
                Activity.objects.filter(workplan__cap_case=cap_case, code=activity_code)
                .order_by("-workplan__version")
                .first()
            )
            activities = [activity] if activity else []
        recommendations = (
            list(Recommendation.objects.filter(party__code=code, reference=recommendation_reference))
            if recommendation_reference
            else []
        )
        result.clean_links(
            activities=activities, recommendations=recommendations, compliance_cases=compliance_cases
        )
        with acting_user(reviewer):
            result.save()
            result.activities.set(activities)
            result.recommendations.set(recommendations)
            result.compliance_cases.set(compliance_cases)
