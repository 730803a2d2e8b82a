"""Querysets of the workplans app: ``restrict()`` (from the base), ``for_table()`` for lists, and
the derived states (the version in force, overdue milestones, reviews waiting)."""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.utils import timezone

from cap_portal.access import RestrictedQuerySet

from .choices import ReviewStatus, WorkplanAction, WorkplanStatus


class WorkplanQuerySet(RestrictedQuerySet):
    def for_table(self):
        return self.select_related("cap_case__party")

    def current(self):
        """The versions in force or in preparation (every version but the superseded ones)."""
        return self.exclude(status=WorkplanStatus.SUPERSEDED)

    def in_force(self, as_of=None, *, approved_only: bool = False):
        """Per CAP case, the version in force on ``as_of`` (today when None): the latest version
        approved on or before that date — its approval step (``WorkplanStep``) dated ``as_of`` or
        earlier, so a version approved and later superseded was in force before — and for a CAP
        case with no version approved by then, its latest version. The one rule "the workplan
        version in force", used by the budget figures, the dashboard and the SC report.

        A version approved or superseded with no approval step recorded (data entered before the
        steps were kept) counts as approved on any date. One query (a correlated subquery).

        With ``approved_only``, a CAP case with no version approved by ``as_of`` has none: the
        rule of the money (a draft budget is not programme money, ``BudgetLineQuerySet.in_force``).
        """
        from .models import WorkplanStep  # the models module imports this one

        as_of = as_of or timezone.localdate()
        approve = WorkplanStep.objects.filter(workplan=OuterRef("pk"), action=WorkplanAction.APPROVE)
        approved_by_then = Exists(approve.filter(taken_at__date__lte=as_of)) | (
            Q(status__in=[WorkplanStatus.APPROVED, WorkplanStatus.SUPERSEDED]) & ~Exists(approve)
        )
        chosen = (
            self.model.objects.filter(cap_case_id=OuterRef("pk"))
            .annotate(approved_by_then=ExpressionWrapper(approved_by_then, output_field=BooleanField()))
            .order_by("-approved_by_then", "-version")
            .values("pk")[:1]
        )
        # The choice is made once per CAP case (not once per version: a CAP case with ten
        # versions would run it ten times).
        cap_cases = self.model._meta.get_field("cap_case").related_model._base_manager
        in_force = self.filter(pk__in=cap_cases.annotate(chosen=Subquery(chosen)).values("chosen"))
        if approved_only:
            in_force = in_force.filter(approved_by_then)
        return in_force

    def in_force_ids(self, cap_case_ids=None, as_of=None, *, approved_only: bool = False) -> dict[int, int]:
        """CAP case id → the id of its version in force on ``as_of`` (:meth:`in_force`); one query."""
        workplans = self if cap_case_ids is None else self.filter(cap_case_id__in=list(cap_case_ids))
        return dict(workplans.in_force(as_of, approved_only=approved_only).values_list("cap_case_id", "pk"))

    def awaiting_review(self):
        return self.filter(status=WorkplanStatus.SUBMITTED)


class ActivityQuerySet(RestrictedQuerySet):
    def for_table(self):
        return self.select_related("workplan__cap_case__party").prefetch_related("recommendations")


class MilestoneQuerySet(RestrictedQuerySet):
    def for_table(self):
        return self.select_related("workplan__cap_case__party", "activity")

    def overdue(self, day=None):
        """Not met, and due before ``day`` (today by default)."""
        return self.filter(met_on__isnull=True, due_on__lt=day or timezone.localdate())


class ProgressUpdateQuerySet(RestrictedQuerySet):
    def for_table(self):
        return self.select_related("activity__workplan__cap_case__party", "submitted_by", "reviewed_by")

    def awaiting_review(self):
        return self.filter(review_status=ReviewStatus.SUBMITTED)


class EventQuerySet(RestrictedQuerySet):
    def for_table(self):
        return self.select_related("cap_case__party", "activity")


class DeliverableQuerySet(RestrictedQuerySet):
    def for_table(self):
        return self.select_related("cap_case__party", "activity")

    def awaiting_review(self):
        return self.filter(review_status=ReviewStatus.SUBMITTED)
