"""CAP workplans (CoP18 Doc. 28 para. 36; SC78 Doc. 23): the plan a Party agrees with the Secretariat,
its activities, milestones and indicators, and what is reported while it is implemented — progress
updates, events, deliverables and corrective actions.

A workplan is versioned: each version has a status (see ``workplans.workflow``). The *plan content*
(activities, milestones, indicators) may be edited only while its version is a draft or returned;
the *implementation record* (progress, indicator values, milestones met, events, deliverables,
corrective actions) is written against the approved plan.
"""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cap_portal.access import FUNDED_READER_ROLES, PLANNER_ROLES, READER_ROLES, REPORTER_ROLES, AccessPolicy
from cap_portal.models import BaseModel

from .choices import (
    FINISHED_ACTIVITY_STATUSES,
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
from .querysets import (
    ActivityQuerySet,
    DeliverableQuerySet,
    EventQuerySet,
    MilestoneQuerySet,
    ProgressUpdateQuerySet,
    WorkplanQuerySet,
)
from .reviews import SubmittedForReview
from .validators import validate_deliverable_file
from .workflow import EDITABLE_STATES

# Donor observers (FUNDED_READER_ROLES) read the workplans they fund (through the CAP case's
# funding agreements) and the plan's content: activities, milestones, indicators and their values,
# workflow steps and corrective actions. Progress updates under review, events and deliverables
# stay with the Secretariat and the Party (READER_ROLES); an activity shows its accepted progress.
FUNDED_BY = "cap_case__legal_instruments__funding_sources__donor"

PLAN_POLICY = AccessPolicy(
    party_path="workplan__cap_case__party",
    donor_path=f"workplan__{FUNDED_BY}",
    view=FUNDED_READER_ROLES,
    add=PLANNER_ROLES,
    change=PLANNER_ROLES,
    delete=PLANNER_ROLES,
)
CASE_POLICY = AccessPolicy(
    party_path="cap_case__party",
    view=READER_ROLES,
    add=PLANNER_ROLES,
    change=PLANNER_ROLES,
    delete=PLANNER_ROLES,
)

NOT_EDITABLE = _("This workplan version is %(status)s: only a draft or returned version can be edited.")


def _check_dates(start, end, start_field: str, end_field: str, errors: dict) -> None:
    if start and end and end < start:
        errors[end_field] = _("The end date cannot be before the start date.")


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def activity_errors(record) -> dict:
    """A record of a workplan version tied to an activity (milestone, indicator, corrective
    action, budget line): the activity must be one of the same version's."""
    if record.activity_id and record.workplan_id and record.activity.workplan_id != record.workplan_id:
        return {"activity": _("The activity must belong to the same workplan.")}
    return {}


def workplan_row_url(record, anchor: str) -> str:
    """A record shown as a row of its workplan version's page: that page, at the row."""
    return reverse("workplans:workplan_detail", kwargs={"pk": record.workplan_id}) + f"#{anchor}-{record.pk}"


class IllustrativeMixin(models.Model):
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Sample data: dates or figures invented where the documents give none."),
    )

    class Meta:
        abstract = True


class Workplan(IllustrativeMixin, BaseModel):
    """One version of a Party's CAP workplan (the action plan of CoP18 Doc. 28 para. 36).

    Version 1 is drafted by the Party's MA focal point; each revision of an approved version is a
    new version of the same CAP case, and approving it supersedes the version it revises.
    """

    cap_case = models.ForeignKey(
        "cases.CapCase", on_delete=models.PROTECT, related_name="workplans", verbose_name=_("CAP case")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=WorkplanStatus.choices,
        default=WorkplanStatus.DRAFT,
        editable=False,
    )
    revises = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="revisions",
        verbose_name=_("revises"),
    )
    revision_reason = models.CharField(
        _("reason for revision"), max_length=30, choices=ChangeReason.choices, blank=True, editable=False
    )
    title = models.CharField(_("title"), max_length=255)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    objective = models.TextField(_("objective"), blank=True)
    needs_and_gaps = models.TextField(_("needs and gaps"), blank=True, help_text=_("Para. 36 c)."))
    stakeholders = models.TextField(_("stakeholders"), blank=True, help_text=_("Para. 36 g)."))
    communication = models.TextField(
        _("communication and reporting"), blank=True, help_text=_("Para. 36 e).")
    )
    monitoring = models.TextField(_("monitoring and evaluation"), blank=True, help_text=_("Para. 36 h)."))

    access_policy = AccessPolicy(
        party_path="cap_case__party",
        donor_path=FUNDED_BY,
        view=FUNDED_READER_ROLES,
        add=PLANNER_ROLES,
        change=PLANNER_ROLES,
        delete=PLANNER_ROLES,
    )
    objects = WorkplanQuerySet.as_manager()

    class Meta:
        ordering = ["cap_case__party__name", "-version"]
        verbose_name = _("workplan")
        verbose_name_plural = _("workplans")
        constraints = [
            models.UniqueConstraint(fields=["cap_case", "version"], name="workplan_version_unique"),
        ]

    def __str__(self):
        # Translators: %(of_party)s is the Party's name as it follows "of": "Togo", "the
        # Philippines" in English; in French and Spanish it already carries the preposition and
        # article ("du Togo", "del Reino Unido"), e.g. "Plan de travail %(of_party)s, version …".
        return _("Workplan of %(of_party)s, version %(version)s") % {
            "of_party": self.cap_case.party.of_name,
            "version": self.version,
        }

    def get_absolute_url(self):
        return reverse("workplans:workplan_detail", kwargs={"pk": self.pk})

    def clean(self):
        errors: dict = {}
        _check_dates(self.starts_on, self.ends_on, "starts_on", "ends_on", errors)
        if self._state.adding:
            if (
                self.cap_case_id
                and self.version == 1
                and Workplan.objects.filter(cap_case_id=self.cap_case_id).exists()
            ):
                errors["cap_case"] = _(
                    "This CAP case has a workplan already: revise it to make a new version."
                )
        else:
            stored = Workplan.objects.filter(pk=self.pk).values_list("status", "cap_case_id").first()
            if stored and stored[0] not in EDITABLE_STATES:
                errors["status"] = NOT_EDITABLE % {"status": WorkplanStatus(stored[0]).label}
            if stored and stored[1] != self.cap_case_id:
                errors["cap_case"] = _("A workplan cannot move to another CAP case.")
        _raise(errors)

    @property
    def party(self):
        return self.cap_case.party

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES

    @property
    def is_current(self) -> bool:
        return self.status != WorkplanStatus.SUPERSEDED

    deletion_error_field = "status"

    def deletion_error(self):
        if self.status != WorkplanStatus.DRAFT or self.steps.exists():
            return _("Only a draft that was never submitted can be deleted.")
        return None


class WorkplanStep(BaseModel):
    """One step of a workplan's workflow: what was done, by whom, when, with the comment given.

    Written only by ``workplan_transition``; read with the workplan.
    """

    workplan = models.ForeignKey(
        Workplan, on_delete=models.CASCADE, related_name="steps", verbose_name=_("workplan")
    )
    action = models.CharField(_("action"), max_length=20, choices=WorkplanAction.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=WorkplanStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=WorkplanStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    taken_at = models.DateTimeField(_("when"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    reason = models.CharField(_("reason"), max_length=30, choices=ChangeReason.choices, blank=True)

    access_policy = AccessPolicy(
        party_path="workplan__cap_case__party", donor_path=f"workplan__{FUNDED_BY}", view=FUNDED_READER_ROLES
    )

    class Meta:
        ordering = ["taken_at", "pk"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")

    def __str__(self):
        taken_on = date_format(timezone.localtime(self.taken_at), "DATE_FORMAT")
        return f"{self.get_action_display()} ({taken_on})"


class PlanContent(BaseModel):
    """Base of activities, milestones and indicators: part of the plan, editable only in a draft."""

    # Fields that stay editable once the plan is approved (the implementation record on a plan row).
    record_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if not self.workplan_id:
            return
        workplan = self.workplan
        if workplan.is_editable:
            return
        message = NOT_EDITABLE % {"status": workplan.get_status_display()}
        if self._state.adding or not self.record_fields:
            raise ValidationError({"workplan": message})
        stored = type(self).objects.filter(pk=self.pk).values().first() or {}
        changed = [
            f.name
            for f in self._meta.concrete_fields
            if f.editable
            and f.name not in self.record_fields
            and stored.get(f.attname) != getattr(self, f.attname)
            and f.name not in ("created", "updated")
        ]
        if changed:
            raise ValidationError({changed[0]: message})

    deletion_error_field = "workplan"

    def deletion_error(self):
        if not self.workplan.is_editable:
            return NOT_EDITABLE % {"status": self.workplan.get_status_display()}
        return None


class Activity(IllustrativeMixin, PlanContent):
    """An activity of the plan: what will be done, by whom, when, in which area of concern."""

    workplan = models.ForeignKey(
        Workplan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("workplan")
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("Short reference, e.g. A1."))
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    area = models.CharField(_("area of concern"), max_length=30, choices=AreaOfConcern.choices)
    recommendations = models.ManyToManyField(
        "cases.Recommendation",
        blank=True,
        related_name="activities",
        verbose_name=_("recommendations addressed"),
        help_text=_("Recommendations of the Party that this activity addresses."),
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    responsible_entity = models.CharField(
        _("responsible entity"),
        max_length=20,
        choices=ResponsibleEntity.choices,
        default=ResponsibleEntity.MANAGEMENT_AUTHORITY,
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.NOT_STARTED
    )
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), default=0, validators=[MaxValueValidator(100)]
    )

    access_policy = PLAN_POLICY
    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["workplan", "area", "planned_start", "code"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["workplan", "code"], name="activity_code_unique_per_workplan"),
        ]
        indexes = [
            # The activities still under way, by plan (the attention list's "due an update"): a
            # few thousand of a large portfolio's 100,000, read without scanning the rest.
            models.Index(
                fields=["workplan", "planned_start"],
                condition=~models.Q(status__in=FINISHED_ACTIVITY_STATUSES),
                name="activity_open_by_plan",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return workplan_row_url(self, "activity")

    def clean(self):
        super().clean()
        errors: dict = {}
        _check_dates(self.planned_start, self.planned_end, "planned_start", "planned_end", errors)
        _check_dates(self.actual_start, self.actual_end, "actual_start", "actual_end", errors)
        if (
            self.workplan_id
            and self.code
            and Activity.objects.filter(workplan_id=self.workplan_id, code=self.code)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["code"] = _("Another activity of this workplan has this code.")
        _raise(errors)


class Milestone(IllustrativeMixin, PlanContent):
    """A date by which something must be achieved; overdue when not met by then (derived, not stored)."""

    record_fields = ("met_on", "evidence")

    workplan = models.ForeignKey(
        Workplan, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("workplan")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("activity"),
    )
    title = models.CharField(_("title"), max_length=255)
    due_on = models.DateField(_("due on"))
    met_on = models.DateField(_("met on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    access_policy = PLAN_POLICY
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["workplan", "due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return workplan_row_url(self, "milestone")

    def clean(self):
        super().clean()
        _raise(activity_errors(self))

    def is_overdue_on(self, day) -> bool:
        return self.met_on is None and self.due_on < day

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())


class Indicator(IllustrativeMixin, PlanContent):
    """A measurable target (para. 36 f): baseline, target and unit; actual values are recorded per period."""

    workplan = models.ForeignKey(
        Workplan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("workplan")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("activity"),
    )
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit"), max_length=50, help_text=_("e.g. people trained, NDFs, %"))
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    counts_people = models.BooleanField(
        _("counts people"), default=False, help_text=_("Values are then recorded by sex (gender monitoring).")
    )

    access_policy = PLAN_POLICY

    class Meta:
        ordering = ["workplan", "name", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return workplan_row_url(self, "indicator")

    def clean(self):
        super().clean()
        _raise(activity_errors(self))


def _within_plan(workplan, start, end, errors: dict) -> None:
    """A reporting period lies within the workplan's reporting window (``workplans.reporting``:
    to the later of the plan's end and its funding agreements' current end)."""
    if not (start or end):
        return
    from .reporting import reporting_window  # that module reads this one's models

    first, last = reporting_window(workplan)
    message = _("The period must lie within the workplan's reporting window (from %(start)s to %(end)s).")
    if start and first and start < first:
        errors["period_start"] = message % {"start": first, "end": last}
    if end and last and end > last:
        errors["period_end"] = message % {"start": first, "end": last}


class IndicatorValue(BaseModel):
    """The actual value of an indicator for a reporting period; by sex where the indicator counts people."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(
        _("value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Computed as the sum of the values by sex when the indicator counts people."),
    )
    female = models.PositiveIntegerField(_("female"), null=True, blank=True)
    male = models.PositiveIntegerField(_("male"), null=True, blank=True)
    other_or_not_recorded = models.PositiveIntegerField(_("other or not recorded"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    access_policy = AccessPolicy(
        party_path="indicator__workplan__cap_case__party",
        donor_path=f"indicator__workplan__{FUNDED_BY}",
        view=FUNDED_READER_ROLES,
        add=PLANNER_ROLES,
        change=PLANNER_ROLES,
        delete=PLANNER_ROLES,
    )

    SEX_FIELDS = ("female", "male", "other_or_not_recorded")

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.period_start}–{self.period_end})"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    def clean(self):
        errors: dict = {}
        _check_dates(self.period_start, self.period_end, "period_start", "period_end", errors)
        if self.indicator_id:
            indicator = self.indicator
            _within_plan(indicator.workplan, self.period_start, self.period_end, errors)
            by_sex = [getattr(self, name) for name in self.SEX_FIELDS]
            if indicator.counts_people:
                if all(v is None for v in by_sex) and self.value is None:
                    errors["female"] = _("Give the number of people by sex.")
                elif any(v is not None for v in by_sex):
                    self.value = sum(v or 0 for v in by_sex)
            else:
                for name in self.SEX_FIELDS:
                    if getattr(self, name) is not None:
                        errors[name] = _("This indicator does not count people: give its value only.")
                if self.value is None:
                    errors["value"] = _("Give the value for the period.")
        _raise(errors)


class ProgressUpdate(SubmittedForReview, BaseModel):
    """What a focal point reports on an activity for a reporting period; the case manager accepts
    it (the activity then takes its status and percent) or returns it with a comment."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="progress_updates", verbose_name=_("activity")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    narrative = models.TextField(_("narrative"))
    status = models.CharField(_("activity status"), max_length=20, choices=ActivityStatus.choices)
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), validators=[MaxValueValidator(100)]
    )
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)

    access_policy = AccessPolicy.written_by(
        REPORTER_ROLES, party_path="activity__workplan__cap_case__party", view=READER_ROLES
    )
    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "-period_end", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self):
        return _("Progress on %(activity)s, %(start)s to %(end)s") % {
            "activity": self.activity.code,
            "start": self.period_start,
            "end": self.period_end,
        }

    def get_absolute_url(self):
        return self.activity.get_absolute_url()

    def clean(self):
        errors: dict = {}
        _check_dates(self.period_start, self.period_end, "period_start", "period_end", errors)
        _check_dates(self.actual_start, self.actual_end, "actual_start", "actual_end", errors)
        if self.activity_id:
            workplan = self.activity.workplan
            if workplan.status != WorkplanStatus.APPROVED:
                errors["activity"] = _("Progress is reported on the activities of the approved workplan.")
            else:
                _within_plan(workplan, self.period_start, self.period_end, errors)
        if not self._state.adding:
            stored = ProgressUpdate.objects.filter(pk=self.pk).values_list("review_status", flat=True).first()
            if stored == ReviewStatus.ACCEPTED:
                errors["review_status"] = _("An accepted progress update can no longer be changed.")
        _raise(errors)

    deletion_error_field = "review_status"

    def deletion_error(self):
        if self.review_status == ReviewStatus.ACCEPTED:
            return _("An accepted progress update can no longer be changed.")
        return None


class Event(IllustrativeMixin, BaseModel):
    """A technical mission, workshop, training or coordination meeting of a CAP case, with
    participants counted by sex (SC78 Doc. 23 paras. 51–52)."""

    cap_case = models.ForeignKey(
        "cases.CapCase", on_delete=models.PROTECT, related_name="cap_events", verbose_name=_("CAP case")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("activity"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=255)
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    participants_female = models.PositiveIntegerField(_("participants: female"), default=0)
    participants_male = models.PositiveIntegerField(_("participants: male"), default=0)
    participants_other = models.PositiveIntegerField(_("participants: other or not recorded"), default=0)
    summary = models.TextField(_("summary and findings"), blank=True)

    access_policy = CASE_POLICY
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_on", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workplans:event_edit", kwargs={"pk": self.pk})

    @property
    def participants_total(self) -> int:
        return self.participants_female + self.participants_male + self.participants_other

    def clean(self):
        errors: dict = {}
        _check_dates(self.start_on, self.end_on, "start_on", "end_on", errors)
        if not self.is_online and not self.venue:
            errors["venue"] = _("Give the venue, or mark the event as online.")
        if self.activity_id and self.cap_case_id and self.activity.workplan.cap_case_id != self.cap_case_id:
            errors["activity"] = _("The activity must belong to a workplan of the same CAP case.")
        _raise(errors)


def deliverable_upload_to(instance, filename: str) -> str:
    """Stored under MEDIA_ROOT with a random name: the path says nothing and is never served directly."""
    extension = os.path.splitext(filename)[1].lower()
    return f"deliverables/{uuid.uuid4().hex}{extension}"


class Deliverable(IllustrativeMixin, SubmittedForReview, BaseModel):
    """A product of the CAP — guidelines, an NDF, a LAF, a database, a report — with its document
    and the Secretariat's review."""

    cap_case = models.ForeignKey(
        "cases.CapCase", on_delete=models.PROTECT, related_name="deliverables", verbose_name=_("CAP case")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliverables",
        verbose_name=_("activity"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DeliverableKind.choices)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    file = models.FileField(
        _("document"),
        upload_to=deliverable_upload_to,
        validators=[validate_deliverable_file],
        blank=True,
        max_length=255,
        help_text=_("PDF, DOCX, XLSX, PNG or JPEG."),
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)

    access_policy = CASE_POLICY
    objects = DeliverableQuerySet.as_manager()

    class Meta:
        ordering = ["-delivered_on", "title"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not getattr(self.file, "_committed", True):
            self.original_name = os.path.basename(self.file.name)[:255]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("workplans:deliverable_edit", kwargs={"pk": self.pk})

    def clean(self):
        if self.activity_id and self.cap_case_id and self.activity.workplan.cap_case_id != self.cap_case_id:
            raise ValidationError(
                {"activity": _("The activity must belong to a workplan of the same CAP case.")}
            )

    def get_download_url(self):
        return reverse("workplans:deliverable_file", kwargs={"pk": self.pk})


class CorrectiveAction(BaseModel):
    """A corrective action agreed while a plan is implemented, with its reason (SC78 Doc. 23 para. 39)."""

    workplan = models.ForeignKey(
        Workplan, on_delete=models.CASCADE, related_name="corrective_actions", verbose_name=_("workplan")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="corrective_actions",
        verbose_name=_("activity"),
    )
    reason = models.CharField(_("reason"), max_length=30, choices=ChangeReason.choices)
    description = models.TextField(_("description"))
    agreed_on = models.DateField(_("agreed on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)

    access_policy = PLAN_POLICY

    class Meta:
        ordering = ["workplan", "-agreed_on", "pk"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")

    def __str__(self):
        return _("Corrective action of %(date)s") % {"date": self.agreed_on}

    def get_absolute_url(self):
        return workplan_row_url(self, "corrective")

    def clean(self):
        errors = activity_errors(self)
        _check_dates(self.agreed_on, self.due_on, "agreed_on", "due_on", errors)
        _raise(errors)
