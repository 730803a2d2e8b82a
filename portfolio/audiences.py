"""Who is told of a hand-over: the audience functions named by the ``Notify`` declarations of each
app's ``workflow.py`` (``audience(obj, *, actor)`` → users). They say who acts next (the case
managers review what a Party submits; the Party's focal points correct what is returned) and who
asked to follow (the submitter of what was reviewed). ``portfolio.notify.notify`` leaves out the
actor, inactive accounts and duplicates.

Models are imported inside the functions: the workflow tables that name these functions are read
while the models load.
"""

from __future__ import annotations

from cap_portal.access import (
    CASE_MANAGER_ROLES,
    DONOR_ROLES,
    MA_ROLES,
    SA_ROLES,
    SECRETARIAT_ROLES,
    users_holding,
)


def _cap_case(obj):
    """The CAP case a record belongs to, following its access policy's Party path
    (``…__cap_case__party``); the CAP case itself for a case."""
    if obj._meta.label == "cases.CapCase":
        return obj
    path = type(obj).access_policy.party_path or ""
    current = obj
    for part in path.split("__")[:-1]:
        current = getattr(current, part, None)
        if current is None:
            return None
    return current if current._meta.label == "cases.CapCase" else None


def _party_holders(party_id, roles) -> list:
    """The active users holding one of ``roles`` for the Party today (one query)."""
    from parties.models import RoleAssignment

    if party_id is None:
        return []
    assignments = (
        RoleAssignment.objects.current()
        .filter(party_id=party_id, role__in=list(roles), user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    return [a.user for a in assignments]


def case_managers(obj, *, actor=None) -> list:
    """The CAP case's case manager; every Secretariat case manager while the case has none."""
    cap_case = _cap_case(obj)
    if cap_case is not None and cap_case.case_manager_id is not None:
        return [cap_case.case_manager]
    return list(users_holding(CASE_MANAGER_ROLES).filter(is_active=True).order_by("username"))


def planners(obj, *, actor=None) -> list:
    """The Party's MA focal points (who plan and correct the workplan)."""
    cap_case = _cap_case(obj)
    return _party_holders(cap_case.party_id if cap_case else None, MA_ROLES)


def _workplan_submitter(workplan):
    from workplans.choices import WorkplanAction
    from workplans.models import WorkplanStep

    step = (
        WorkplanStep.objects.filter(workplan=workplan, action=WorkplanAction.SUBMIT)
        .select_related("actor")
        .order_by("-pk")
        .first()
    )
    return step.actor if step else None


def planners_and_submitter(workplan, *, actor=None) -> list:
    """A returned or approved workplan: the Party's MA focal points and whoever submitted it."""
    return [*planners(workplan), _workplan_submitter(workplan)]


def reporters_and_submitter(record, *, actor=None) -> list:
    """A reviewed progress update, deliverable or result: its submitter and the Party's focal
    points who report on it (the MA always; the SA / enforcement focal point for the activities
    assigned to them)."""
    from workplans.choices import SA_REPORTED_ENTITIES

    cap_case = _cap_case(record)
    party_id = cap_case.party_id if cap_case else None
    activity = getattr(record, "activity", None)
    roles = MA_ROLES
    if activity is not None and activity.responsible_entity in SA_REPORTED_ENTITIES:
        roles = MA_ROLES | SA_ROLES
    return [record.submitted_by, *_party_holders(party_id, roles)]


def party_and_case_manager(cap_case, *, actor=None) -> list:
    """A CAP case's stage changed: the Party's focal points and the case's case manager."""
    people = _party_holders(cap_case.party_id, MA_ROLES | SA_ROLES)
    if cap_case.case_manager_id is not None:
        people.append(cap_case.case_manager)
    return people


def report_readers(report, *, actor=None) -> list:
    """A finalised SC report: the Secretariat and the donor observers, who may read it now."""
    return (
        list(users_holding(SECRETARIAT_ROLES).filter(is_active=True).order_by("username"))
        + _donor_observers()
    )


def _donor_observers() -> list:
    from django.contrib.auth import get_user_model

    from parties.models import RoleAssignment

    holders = RoleAssignment.objects.current().filter(role__in=list(DONOR_ROLES))
    return list(get_user_model().objects.filter(pk__in=holders.values("user_id"), is_active=True))


def role_holder(assignment, *, actor=None) -> list:
    """A role granted or ended: the person."""
    return [assignment.user]


def planners_and_case_manager(record, *, actor=None) -> list:
    """Money moved for a CAP case (an installment transferred or received): the Party's MA focal
    points, who spend and report it, and the case's case manager."""
    cap_case = _cap_case(record)
    people = planners(record)
    if cap_case is not None and cap_case.case_manager_id is not None:
        people.append(cap_case.case_manager)
    return people
