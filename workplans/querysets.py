"""Querysets of the workplans app: ``restrict()`` (from the base), ``for_table()`` for lists, and
the derived states (overdue milestones, reviews waiting)."""

from django.utils import timezone

from cap_portal.access import RestrictedQuerySet

from .choices import ReviewStatus, WorkplanStatus


class WorkplanQuerySet(RestrictedQuerySet):
    def for_table(self):
        return self.select_related("cap_case__party")

    def current(self):
        """The versions in force or in preparation (every version but the superseded ones)."""
        return self.exclude(status=WorkplanStatus.SUPERSEDED)

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
