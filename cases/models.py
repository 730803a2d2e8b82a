"""Compliance cases and the CAP case: a Party's engagement in the programme.

Reference data (meetings, compliance mechanisms and processes) is public; a Party's compliance
record (cases, recommendations, measures, ratings) and its CAP case (stage history, selection,
missions, stakeholders) are seen by the Secretariat and that Party's focal points only.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cap_portal.access import (
    ALL_ROLES,
    CASE_MANAGER_ROLES,
    READER_ROLES,
    REPORTER_ROLES,
    SECRETARIAT_ROLES,
    AccessPolicy,
    RestrictedQuerySet,
)
from cap_portal.models import BaseModel
from parties.models import Party
from workplans.choices import ReviewStatus
from workplans.reviews import SubmittedForReview

from .choices import (
    PENDING_RECOMMENDATION_STATUSES,
    AreaOfConcern,
    CapStage,
    CaseStatus,
    Level,
    MeasureKind,
    MechanismKind,
    MeetingBody,
    ProgressRatingScale,
    RecommendationStatus,
    SelectionDecision,
    StakeholderKind,
)

# Public reference data: every signed-in user reads it; case managers maintain it.
REFERENCE_POLICY = AccessPolicy(
    party_path=None,
    view=ALL_ROLES,
    add=CASE_MANAGER_ROLES,
    change=CASE_MANAGER_ROLES,
    delete=CASE_MANAGER_ROLES,
    public_view=True,
)


def _party_record_policy(party_path: str) -> AccessPolicy:
    """A Party's compliance record: the Secretariat and the Party's focal points read it;
    case managers write it."""
    return AccessPolicy(
        party_path=party_path,
        view=READER_ROLES,
        add=CASE_MANAGER_ROLES,
        change=CASE_MANAGER_ROLES,
        delete=CASE_MANAGER_ROLES,
    )


def _illustrative_field():
    return models.BooleanField(
        _("illustrative"), default=False, help_text=_("Sample data invented where the documents give none.")
    )


# --- Reference data ------------------------------------------------------------------------------


class Meeting(BaseModel):
    """A meeting of a CITES body (SC78, AC33, CoP19…): recommendations are adopted and progress
    is rated at meetings."""

    body = models.CharField(_("body"), max_length=3, choices=MeetingBody.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    is_illustrative = _illustrative_field()

    access_policy = REFERENCE_POLICY

    class Meta:
        ordering = ["-starts_on", "body"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="meeting_unique_body_number")]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("cases:meeting_list") + f"#meeting-{self.pk}"

    @property
    def code(self) -> str:
        """The short name used in CITES documents: "SC78", "AC33", "CoP19"."""
        return f"{self.body}{self.number}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A meeting cannot end before it starts.")})


class ComplianceMechanism(BaseModel):
    """A CITES compliance mechanism or process, with its legal basis (CoP18 Doc. para. 8 c–d).

    Kept as data so that a new process is a new row, not a new branch in the code.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=MechanismKind.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    concerns_species = models.BooleanField(
        _("concerns species"), default=False, help_text=_("Cases under it name the species concerned.")
    )
    description = models.TextField(_("description"), blank=True)

    access_policy = REFERENCE_POLICY

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("compliance mechanism or process")
        verbose_name_plural = _("compliance mechanisms and processes")

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("cases:mechanism_list") + f"#mechanism-{self.pk}"


# --- A Party's compliance record -----------------------------------------------------------------


class ComplianceCase(BaseModel):
    """One Party under one compliance mechanism or process, possibly for one species
    (e.g. Togo under RST for *Pandinus imperator*), from the meeting that opened it to the one
    that closed it."""

    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="compliance_cases", verbose_name=_("Party")
    )
    mechanism = models.ForeignKey(
        ComplianceMechanism,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("mechanism or process"),
    )
    species = models.CharField(_("species"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_at = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opened_cases",
        verbose_name=_("opened at"),
    )
    opened_on = models.DateField(
        _("opened on"), null=True, blank=True, help_text=_("Left empty, the first day of the meeting.")
    )
    closed_at = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_cases",
        verbose_name=_("closed at"),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    is_illustrative = _illustrative_field()

    access_policy = _party_record_policy("party")

    class Meta:
        ordering = ["party__name", "mechanism__name", "species"]
        verbose_name = _("compliance case")
        verbose_name_plural = _("compliance cases")

    def __str__(self):
        if self.species:
            return f"{self.party} — {self.mechanism} ({self.species})"
        return f"{self.party} — {self.mechanism}"

    def get_absolute_url(self):
        return reverse("cases:compliancecase_detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.opened_on is None and self.opened_at_id:
            self.opened_on = self.opened_at.starts_on
        if self.closed_on is None and self.closed_at_id:
            self.closed_on = self.closed_at.starts_on
        if self.opened_on is None:
            errors["opened_on"] = _("Give the meeting that opened the case or the date it was opened.")
        if self.mechanism_id and self.mechanism.concerns_species and not self.species:
            errors["species"] = _("%(mechanism)s concerns species: name the species.") % {
                "mechanism": self.mechanism
            }
        if self.status == CaseStatus.CLOSED and self.closed_on is None:
            errors["closed_on"] = _("A closed case needs the meeting or date that closed it.")
        if self.status == CaseStatus.OPEN and self.closed_on is not None:
            errors["status"] = _("A case with a closing date is closed: set its status to closed.")
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            errors["closed_on"] = _("A case cannot be closed before it was opened.")
        if errors:
            raise ValidationError(errors)


class RecommendationQuerySet(RestrictedQuerySet):
    def pending(self):
        """Recommendations that still ask something of the Party (open or in progress)."""
        return self.filter(status__in=PENDING_RECOMMENDATION_STATUSES)

    def overdue(self, on: datetime.date | None = None):
        """Pending recommendations whose deadline has passed on ``on`` (today by default)."""
        return self.pending().filter(deadline__lt=on or timezone.localdate())


class Recommendation(BaseModel):
    """What a CITES body asked a Party to do, adopted at a meeting (e.g. "SC71 SR"), with a
    deadline and a status. Every status change is kept in the record's history."""

    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("Party")
    )
    compliance_case = models.ForeignKey(
        ComplianceCase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("compliance case"),
    )
    adopted_at = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("adopted at")
    )
    reference = models.CharField(_("reference"), max_length=100, help_text=_('E.g. "SC71 SR".'))
    text = models.TextField(_("text"))
    area = models.CharField(_("area of concern"), max_length=30, choices=AreaOfConcern.choices)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    is_illustrative = _illustrative_field()

    objects = RecommendationQuerySet.as_manager()
    access_policy = _party_record_policy("party")

    class Meta:
        ordering = ["party__name", "deadline", "pk"]
        # By deadline: the earliest overdue recommendations (the attention list) read in order
        # and stopped at the few shown, not sorted out of every open one.
        indexes = [models.Index(fields=["deadline", "id"], name="recommendation_by_deadline")]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self):
        return f"{self.reference} — {self.party}: {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("cases:recommendation_detail", kwargs={"pk": self.pk})

    @property
    def body(self) -> str:
        """The body that adopted it, from its meeting (never stored twice)."""
        return self.adopted_at.body

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_RECOMMENDATION_STATUSES

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        """Still pending after its deadline."""
        return bool(self.is_pending and self.deadline and self.deadline < (on or timezone.localdate()))

    def clean(self):
        errors = {}
        if self.deadline and self.adopted_at_id and self.deadline < self.adopted_at.starts_on:
            errors["deadline"] = _(
                "The deadline (%(deadline)s) cannot be before the meeting that adopted the "
                "recommendation (%(meeting)s, which opened on %(date)s)."
            ) % {"deadline": self.deadline, "meeting": self.adopted_at, "date": self.adopted_at.starts_on}
        if self.compliance_case_id and self.party_id and self.compliance_case.party_id != self.party_id:
            errors["compliance_case"] = _("The compliance case must be one of the same Party.")
        if errors:
            raise ValidationError(errors)


class ComplianceMeasureQuerySet(RestrictedQuerySet):
    def in_effect(self, on: datetime.date | None = None):
        """Measures in effect on ``on`` (today by default): started, and not yet ended."""
        on = on or timezone.localdate()
        return self.filter(in_effect_from__lte=on).filter(
            models.Q(in_effect_to__isnull=True) | models.Q(in_effect_to__gte=on)
        )


class ComplianceMeasure(BaseModel):
    """A compliance measure (CoP18 Doc. para. 8 e), from a written caution to a recommendation to
    suspend all trade, in effect between two dates; an export quota where the measure sets one.

    Whether it is in effect is derived from the dates, never stored.
    """

    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="compliance_measures", verbose_name=_("Party")
    )
    compliance_case = models.ForeignKey(
        ComplianceCase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("compliance case"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=MeasureKind.choices)
    species = models.CharField(_("species"), max_length=200, blank=True)
    adopted_at = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("adopted at"),
    )
    notification = models.CharField(
        _("Notification to the Parties"), max_length=20, blank=True, help_text=_("E.g. 2019/021.")
    )
    in_effect_from = models.DateField(_("in effect from"))
    in_effect_to = models.DateField(_("in effect to"), null=True, blank=True)
    export_quota = models.PositiveIntegerField(_("annual export quota"), null=True, blank=True)
    quota_unit = models.CharField(_("quota unit"), max_length=40, blank=True, help_text=_("E.g. specimens."))
    description = models.TextField(_("description"), blank=True)
    is_illustrative = _illustrative_field()

    objects = ComplianceMeasureQuerySet.as_manager()
    access_policy = _party_record_policy("party")

    class Meta:
        ordering = ["party__name", "-in_effect_from", "pk"]
        verbose_name = _("compliance measure")
        verbose_name_plural = _("compliance measures")

    def __str__(self):
        label = f"{self.get_kind_display()} — {self.party}"
        return f"{label} ({self.species})" if self.species else label

    def get_absolute_url(self):
        return reverse("parties:party_detail", kwargs={"code": self.party.code}) + f"#measure-{self.pk}"

    def is_in_effect(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.in_effect_from <= on and (self.in_effect_to is None or self.in_effect_to >= on)

    @property
    def in_effect(self) -> bool:
        return self.is_in_effect()

    def clean(self):
        errors = {}
        if self.in_effect_from and self.in_effect_to and self.in_effect_to < self.in_effect_from:
            errors["in_effect_to"] = _("A measure cannot end before it starts.")
        if self.kind == MeasureKind.EXPORT_QUOTA and self.export_quota is None:
            errors["export_quota"] = _("An export quota measure needs the quota.")
        if self.compliance_case_id and self.party_id and self.compliance_case.party_id != self.party_id:
            errors["compliance_case"] = _("The compliance case must be one of the same Party.")
        if errors:
            raise ValidationError(errors)


class ProgressRating(BaseModel):
    """The Standing Committee's assessment of a Party's progress in a case at a meeting, on the
    NIAP scale (Cambodia: "achieved" at SC77)."""

    compliance_case = models.ForeignKey(
        ComplianceCase, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("compliance case")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("meeting")
    )
    rating = models.CharField(_("rating"), max_length=30, choices=ProgressRatingScale.choices)
    note = models.TextField(_("note"), blank=True)
    is_illustrative = _illustrative_field()

    access_policy = _party_record_policy("compliance_case__party")

    class Meta:
        ordering = ["-meeting__starts_on", "pk"]
        verbose_name = _("progress rating")
        verbose_name_plural = _("progress ratings")
        constraints = [
            models.UniqueConstraint(fields=["compliance_case", "meeting"], name="rating_unique_per_meeting")
        ]

    def __str__(self):
        return f"{self.compliance_case} — {self.meeting}: {self.get_rating_display()}"

    def get_absolute_url(self):
        code = self.compliance_case.party.code
        return reverse("parties:party_detail", kwargs={"code": code}) + f"#rating-{self.pk}"


# --- The CAP case --------------------------------------------------------------------------------


class CapCase(BaseModel):
    """A Party's engagement in the CAP, from candidate to closed.

    The stage changes only through ``cases.services.cap_case_transition``, following the table in
    ``cases.workflow``; each change is a :class:`CapCaseTransition`. The focal points are the
    Party's contacts flagged as CAP focal points (``parties.Contact.is_focal_point``).
    """

    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="cap_cases", verbose_name=_("Party")
    )
    stage = models.CharField(_("stage"), max_length=30, choices=CapStage.choices, default=CapStage.CANDIDATE)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_cap_cases",
        verbose_name=_("Secretariat case manager"),
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    is_illustrative = _illustrative_field()

    access_policy = AccessPolicy(
        party_path="party",
        view=READER_ROLES,
        add=CASE_MANAGER_ROLES,
        change=CASE_MANAGER_ROLES,
        delete=CASE_MANAGER_ROLES,
    )

    class Meta:
        ordering = ["party__name"]
        verbose_name = _("CAP case")
        verbose_name_plural = _("CAP cases")

    def __str__(self):
        # Translators: %(of_party)s is the Party's name as it follows "of": "Togo", "the
        # Philippines" in English; in French and Spanish it already carries the preposition and
        # article ("du Togo", "de la Guinée", "del Reino Unido"), e.g. "Dossier CAP %(of_party)s".
        return _("CAP case of %(of_party)s") % {"of_party": self.party.of_name}

    def get_absolute_url(self):
        return reverse("cases:capcase_detail", kwargs={"pk": self.pk})


class CapCaseTransition(BaseModel):
    """One change of a CAP case's stage: from which, to which, who took it, when and why."""

    cap_case = models.ForeignKey(
        CapCase, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("CAP case")
    )
    from_stage = models.CharField(_("from stage"), max_length=30, choices=CapStage.choices)
    to_stage = models.CharField(_("to stage"), max_length=30, choices=CapStage.choices)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cap_case_transitions",
        verbose_name=_("taken by"),
    )
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    reason = models.TextField(_("reason"))

    access_policy = AccessPolicy(party_path="cap_case__party", view=READER_ROLES)

    class Meta:
        ordering = ["cap_case", "-taken_at", "-pk"]
        verbose_name = _("stage transition")
        verbose_name_plural = _("stage transitions")

    def __str__(self):
        return f"{self.cap_case}: {self.get_from_stage_display()} → {self.get_to_stage_display()}"


class EligibilityAssessment(BaseModel):
    """The Secretariat's desk review of a candidate (prong 1): the assessor's inputs on criteria
    d–e of CoP18 Doc. para. 28 and the SC78 para. 29 considerations, and the decision with its
    reasons. Criteria a–c come from the case data (``cases.selectors``), never typed in."""

    cap_case = models.ForeignKey(
        CapCase, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("CAP case")
    )
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="eligibility_assessments",
        verbose_name=_("assessor"),
    )
    # para. 28 d) and e)
    export_significance = models.CharField(
        _("significance of exports of CITES-listed species"),
        max_length=10,
        choices=Level.choices,
        default=Level.NONE,
    )
    committed = models.BooleanField(_("committed to take part in the CAP"), default=False)
    focal_point_nominated = models.BooleanField(_("national focal point nominated in the MA"), default=False)
    # SC78 para. 29
    formal_request = models.BooleanField(
        _("formal request for compliance assistance received"), default=False
    )
    ongoing_projects = models.TextField(
        _("ongoing CITES-related projects"), blank=True, help_text=_("Projects the CAP could build on.")
    )
    potential_for_impact = models.CharField(
        _("potential for impact"), max_length=10, choices=Level.choices, default=Level.NONE
    )
    notes = models.TextField(_("assessor's notes"), blank=True)
    # The decision, recorded by ``eligibility_decide`` with the score as it stood.
    decision = models.CharField(_("decision"), max_length=20, choices=SelectionDecision.choices, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    score_at_decision = models.IntegerField(_("score at the decision"), null=True, blank=True)
    reasons_at_decision = models.JSONField(_("score reasons at the decision"), default=list, blank=True)
    is_illustrative = _illustrative_field()

    access_policy = AccessPolicy(
        party_path="cap_case__party",
        view=SECRETARIAT_ROLES,
        add=CASE_MANAGER_ROLES,
        change=CASE_MANAGER_ROLES,
        delete=CASE_MANAGER_ROLES,
    )

    class Meta:
        ordering = ["cap_case__party__name", "-assessed_on", "-pk"]
        verbose_name = _("eligibility assessment")
        verbose_name_plural = _("eligibility assessments")

    def __str__(self):
        # Translators: %(of_party)s is the Party's name as it follows "of": "Togo", "the
        # Philippines" in English; in French and Spanish it already carries the preposition and
        # article ("du Togo", "del Reino Unido"), e.g. "Admissibilité %(of_party)s (%(date)s)".
        return _("Eligibility of %(of_party)s (%(date)s)") % {
            "of_party": self.cap_case.party.of_name,
            "date": self.assessed_on,
        }

    def get_absolute_url(self):
        return reverse("cases:assessment_edit", kwargs={"pk": self.pk})


class TechnicalMission(BaseModel):
    """A Secretariat mission to a Party (prong 2): when, where, who, why, and the strengths and
    needs it found (Solomon Islands, 12–15 September 2023)."""

    cap_case = models.ForeignKey(
        CapCase, on_delete=models.CASCADE, related_name="missions", verbose_name=_("CAP case")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=200)
    participants = models.CharField(_("Secretariat participants"), max_length=300, blank=True)
    partners = models.CharField(
        _("in collaboration with"), max_length=300, blank=True, help_text=_("E.g. UNCTAD ASYCUDA.")
    )
    purpose = models.TextField(_("purpose"))
    strengths = models.TextField(_("strengths found"), blank=True)
    needs = models.TextField(_("needs found"), blank=True)
    is_illustrative = _illustrative_field()

    access_policy = _party_record_policy("cap_case__party")

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("technical mission")
        verbose_name_plural = _("technical missions")

    def __str__(self):
        return _("Mission to %(place)s (%(start)s)") % {"place": self.place, "start": self.starts_on}

    def get_absolute_url(self):
        return reverse("cases:capcase_detail", kwargs={"pk": self.cap_case_id}) + f"#mission-{self.pk}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A mission cannot end before it starts.")})


class Stakeholder(BaseModel):
    """A stakeholder or partner in a Party's in-country coordination (prong 3), e.g. the UNDP
    country office, with its role."""

    cap_case = models.ForeignKey(
        CapCase, on_delete=models.CASCADE, related_name="stakeholders", verbose_name=_("CAP case")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=StakeholderKind.choices)
    role = models.TextField(_("role"))
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    is_illustrative = _illustrative_field()

    access_policy = _party_record_policy("cap_case__party")

    class Meta:
        ordering = ["cap_case", "name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cases:capcase_detail", kwargs={"pk": self.cap_case_id}) + f"#stakeholder-{self.pk}"


# --- Results -------------------------------------------------------------------------------------


class Result(SubmittedForReview, BaseModel):
    """An outcome of a CAP case (SC78 Doc. paras. 33–36): what was achieved, when, the evidence
    (the document, the Notification, the species, a quota) and what it answers — activities,
    recommendations, compliance cases of the same Party. Recorded by the Party's focal point or the
    case manager, it counts (in reports, on the pages) only once a case manager other than the one
    who submitted it has accepted it (``cases.workflow.RESULT_REVIEW``)."""

    cap_case = models.ForeignKey(
        CapCase, on_delete=models.PROTECT, related_name="results", verbose_name=_("CAP case")
    )
    activities = models.ManyToManyField(
        "workplans.Activity",
        blank=True,
        related_name="results",
        verbose_name=_("activities"),
        help_text=_("Activities of the Party's workplans that produced the result."),
    )
    recommendations = models.ManyToManyField(
        Recommendation,
        blank=True,
        related_name="results",
        verbose_name=_("recommendations answered"),
    )
    compliance_cases = models.ManyToManyField(
        ComplianceCase,
        blank=True,
        related_name="results",
        verbose_name=_("compliance cases"),
    )
    progress_rating = models.ForeignKey(
        ProgressRating,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("progress rating cited"),
        help_text=_("E.g. Cambodia's NIAP rated “achieved” at SC77."),
    )
    title = models.CharField(_("what was achieved"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    achieved_on = models.DateField(_("achieved on"))
    document_reference = models.CharField(
        _("document"), max_length=100, blank=True, help_text=_('The evidence, e.g. "AC33 SR".')
    )
    notification = models.CharField(
        _("Notification to the Parties"), max_length=20, blank=True, help_text=_("E.g. 2024/045.")
    )
    species = models.CharField(
        _("species"), max_length=200, blank=True, help_text=_("E.g. Pandinus imperator.")
    )
    quota = models.DecimalField(
        _("quota"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("An export quota the result set, e.g. 20000."),
    )
    quota_unit = models.CharField(_("quota unit"), max_length=40, blank=True, help_text=_("E.g. specimens."))
    is_example = models.BooleanField(
        _("cited as an example"),
        default=False,
        help_text=_("The report cites the result under “Impact”."),
    )
    is_illustrative = _illustrative_field()

    # The Party's own focal points record their Party's results; the Secretariat reads all.
    access_policy = AccessPolicy(
        party_path="cap_case__party",
        view=READER_ROLES,
        add=REPORTER_ROLES,
        change=REPORTER_ROLES,
        delete=REPORTER_ROLES,
    )

    class Meta:
        ordering = ["cap_case__party__name", "-achieved_on", "pk"]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cases:result_detail", kwargs={"pk": self.pk})

    @property
    def is_accepted(self) -> bool:
        return self.review_status == ReviewStatus.ACCEPTED

    def clean(self):
        errors = {}
        if self.quota is not None and not self.quota_unit:
            errors["quota_unit"] = _("Give the unit of the quota (e.g. specimens).")
        if self.quota_unit and self.quota is None:
            errors["quota"] = _("Give the quota, or leave its unit empty.")
        if (
            self.progress_rating_id
            and self.cap_case_id
            and self.progress_rating.compliance_case.party_id != self.cap_case.party_id
        ):
            errors["progress_rating"] = _("The progress rating must be one of the same Party.")
        if not self._state.adding:
            stored = Result.objects.filter(pk=self.pk).values_list("review_status", flat=True).first()
            if stored == ReviewStatus.ACCEPTED:
                errors["review_status"] = _("An accepted result can no longer be changed.")
        if errors:
            raise ValidationError(errors)

    def clean_links(self, *, activities=None, recommendations=None, compliance_cases=None) -> None:
        """What the result answers must be of its CAP case's Party: ``ValidationError`` naming the
        field otherwise (the many-to-many links are checked before they are written)."""
        if not self.cap_case_id:
            return
        party_id = self.cap_case.party_id
        errors = {}
        if activities is not None and any(a.workplan.cap_case.party_id != party_id for a in activities):
            errors["activities"] = _("The activities must be of the CAP case's Party.")
        if recommendations is not None and any(r.party_id != party_id for r in recommendations):
            errors["recommendations"] = _("The recommendations must be of the CAP case's Party.")
        if compliance_cases is not None and any(c.party_id != party_id for c in compliance_cases):
            errors["compliance_cases"] = _("The compliance cases must be of the CAP case's Party.")
        if errors:
            raise ValidationError(errors)

    deletion_error_field = "review_status"

    def deletion_error(self):
        if self.review_status == ReviewStatus.ACCEPTED:
            return _("An accepted result can no longer be changed.")
        return None
