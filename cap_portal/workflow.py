"""The one workflow engine of the portal: transitions declared as data, taken through one service.

Each app declares, in its ``workflow.py``, a :class:`Workflow` per model: the field it moves
(``stage``, ``status``, ``review_status``…) and its :class:`Transition` rows (from which states, to
which, which role set of :mod:`cap_portal.access` may take it, whether a comment is required,
named guard functions returning ``(allowed, reason)``). :func:`transition_take` is the one way a
state changes: it checks the table and the user's role for the object's Party, locks the row,
records the step (who, when, comment) where the model keeps one, and saves the object with the
comment (or the step's label) as the history's change reason and the user as the acting user.

Adding a step means adding a row to a table, not a branch in a view or a service.

Each step also says who is told (``Transition.notify``, a :class:`Notify`: the notification's
kind and the audience function naming who acts next); the engine hands it to the one
:func:`portfolio.notify.notify` once the step is taken. Hand-overs that are not workflow steps
(an installment received, a role granted, a progress update submitted) declare a
:class:`Notify` beside their app's workflow in the same way, and their service calls ``notify``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from cap_portal.access import NO_PARTY, holds_role
from cap_portal.history import acting_user


def guard(*, field: str | None = None):
    """Declare a named rule function of a transition: ``check(obj, *, user, comment, **extra)``
    returns ``(allowed, reason)``; a refusal answers 400 on ``field`` (default: the workflow's
    action field)."""

    def declare(check: Callable) -> Callable:
        check.error_field = field
        return check

    return declare


@dataclass(frozen=True)
class Notify:
    """Who is told of a hand-over: ``kind`` (a ``portfolio.choices.NotificationKind``) and
    ``audience(obj, *, actor)``, the users who act next or asked to follow (the actor is left out
    by ``notify``). Every declaration is listed by :func:`declared_handovers`."""

    kind: str
    audience: Callable

    def __post_init__(self):
        _HANDOVERS.append(self)


_HANDOVERS: list[Notify] = []


def declared_handovers() -> list[Notify]:
    """Every :class:`Notify` declared (each app's ``workflow.py`` read first)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("workflow")
        _discovered = True
    return list(_HANDOVERS)


@dataclass(frozen=True)
class Transition:
    """One step of a workflow, as data.

    ``roles`` is a role set of :mod:`cap_portal.access`; the user must hold one of them globally
    or for the object's Party. ``guards`` are named rule functions (see :func:`guard`), checked
    after the table, the role and the comment. ``inputs`` names what the step takes besides the
    comment (the UI shows those fields; a guard checks them). ``effect(obj, *, user, comment,
    **extra)`` runs after the state is set and before the object is saved (e.g. the accepted
    progress moves its activity). ``perform(obj, *, user, comment, transition, **extra)``
    replaces the move altogether and returns the object the step leaves the user on (revising
    an approved workplan makes a new draft version and leaves the approved one as it is).
    ``notify`` (a :class:`Notify`) says who is told once the step is taken.
    """

    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str
    comment_required: bool = False
    guards: tuple[Callable, ...] = ()
    inputs: tuple[str, ...] = ()
    effect: Callable | None = None
    perform: Callable | None = None
    notify: Notify | None = None


@dataclass(frozen=True)
class Workflow:
    """A model's transitions and the field they move.

    ``model`` is the model's label ("workplans.Workplan"): the tables live beside the models,
    which may import them. ``record(obj, *, transition, from_state, user, comment, **extra)``
    writes the step record where the model keeps one (``WorkplanStep``, ``CapCaseTransition``)
    or sets the review fields on the object; it runs before the object is saved and its return
    value is left on ``obj.workflow_step``. The error messages and the fields they are reported
    on are the workflow's own, so each API keeps its wording.
    """

    model: str
    field: str
    transitions: tuple[Transition, ...]
    record: Callable | None = None
    action_field: str = "action"
    comment_field: str = "comment"
    state_field: str | None = None
    unknown_message: str = _("Unknown workflow action.")
    role_message: str = _("Your role may not take this step.")
    # Formatted with %(action)s (the step's label) and %(status)s (the current state's label).
    state_message: str = _("“%(action)s” is not possible while the record is %(status)s.")
    comment_message: str = _("Say why: a comment is required for this step.")
    by_action: dict[str, Transition] = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_action", {t.action: t for t in self.transitions})
        if self.model in _REGISTRY:
            raise ImproperlyConfigured(f"{self.model} has two workflows")
        _REGISTRY[self.model] = self

    def get(self, action: str) -> Transition | None:
        return self.by_action.get(action)

    @property
    def roles(self) -> frozenset[str]:
        """Every role that may take some step of the workflow (others answer 403 up front)."""
        return frozenset().union(*(t.roles for t in self.transitions))

    def transitions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]


_REGISTRY: dict[str, Workflow] = {}
_discovered = False


def workflow_for(model_or_obj) -> Workflow:
    """The workflow of a model (class or instance); every app's ``workflow.py`` is read once."""
    global _discovered
    label = model_or_obj._meta.label
    if label not in _REGISTRY and not _discovered:
        autodiscover_modules("workflow")
        _discovered = True
    try:
        return _REGISTRY[label]
    except KeyError:
        raise ImproperlyConfigured(f"{label} has no workflow") from None


def party_id_of(obj) -> int | None:
    """The id of the object's Party, following the access policy's ``party_path`` without
    fetching the Party itself (None for records of the whole programme, such as SC reports)."""
    path = type(obj).access_policy.party_path
    if path is None:
        return None
    if path == "":
        return obj.pk
    current = obj
    *parents, last = path.split("__")
    for part in parents:
        current = getattr(current, part, None)
        if current is None:
            return None
    return getattr(current, f"{last}_id", None)


def holds_step_role(user, transition: Transition, obj) -> bool:
    """Whether the user holds one of the step's roles globally or for the object's Party. An
    object that should have a Party but has none is the Secretariat's only."""
    party_id = party_id_of(obj)
    if party_id is None and type(obj).access_policy.party_path is not None:
        party_id = NO_PARTY
    return holds_role(user, transition.roles, party_id)


def may_take(user, obj, action: str) -> tuple[bool, str]:
    """Whether the user's roles let them take ``action`` on this object at all, and why not
    (the state is not considered: see :func:`available_transitions`)."""
    workflow = workflow_for(obj)
    transition = workflow.get(action)
    if transition is None:
        return False, str(workflow.unknown_message)
    if not holds_step_role(user, transition, obj):
        return False, str(workflow.role_message)
    return True, ""


def available_transitions(user, obj) -> list[Transition]:
    """The steps the user may take on the object in its current state (for buttons; the service
    checks again)."""
    workflow = workflow_for(obj)
    state = getattr(obj, workflow.field)
    return [t for t in workflow.transitions_from(state) if holds_step_role(user, t, obj)]


def history_reason(transition: Transition, comment: str) -> str:
    """The change reason written to the history: the comment, kept whole (the reason is a text
    column, ``SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD``), or the step's label."""
    return comment or str(transition.label)


@transaction.atomic
def transition_take(*, obj, action: str, user, comment: str = "", **extra):
    """Take the workflow step ``action`` on ``obj`` as ``user`` and return the object.

    The one entry point that changes a workflow state. Checked in this order, each refusal
    writing nothing: the step exists (400 on the action field); then, on the row locked and read
    again, the user holds one of its roles for the object's Party (``PermissionDenied``), the
    object is in one of its source states, the comment when required, the step's guards (400).
    Then the state is set, the step recorded (who, when, comment) and the object saved with the
    comment as the history's change reason and the user as the acting user; ``extra`` (e.g. a
    revision's ``reason``) goes to the guards, the record and the effects. Finally the step's
    ``notify`` declaration is handed to :func:`portfolio.notify.notify` (inbox rows now, e-mails
    after commit).
    """
    workflow = workflow_for(obj)
    transition = workflow.get(action)
    if transition is None:
        raise ValidationError({workflow.action_field: workflow.unknown_message})
    model = type(obj)
    path = model.access_policy.party_path
    queryset = model._default_manager.select_for_update(of=("self",))
    if path and "__" in path:
        queryset = queryset.select_related(path.rsplit("__", 1)[0])
    obj = queryset.get(pk=obj.pk)
    if not holds_step_role(user, transition, obj):
        raise PermissionDenied(workflow.role_message)
    state = getattr(obj, workflow.field)
    if state not in transition.sources:
        status = getattr(obj, f"get_{workflow.field}_display")()
        raise ValidationError(
            {
                workflow.state_field or workflow.action_field: workflow.state_message
                % {"action": transition.label, "status": status}
            }
        )
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise ValidationError({workflow.comment_field: workflow.comment_message})
    for check in transition.guards:
        allowed, why = check(obj, user=user, comment=comment, **extra)
        if not allowed:
            field = getattr(check, "error_field", None) or workflow.action_field
            raise ValidationError({field: why})
    if transition.perform is not None:
        with acting_user(user):
            result = transition.perform(obj, user=user, comment=comment, transition=transition, **extra)
    else:
        result = transition_apply(obj=obj, transition=transition, user=user, comment=comment, **extra)
    if transition.notify is not None:
        from portfolio.notify import notify  # the portfolio app builds on the engine, not the reverse

        notify(transition.notify, obj=result, actor=user, comment=comment)
    return result


def transition_apply(*, obj, transition: Transition, user, comment: str = "", **extra):
    """Move a locked object along ``transition`` without the checks: the second half of
    :func:`transition_take`, and the way the system takes a step as the effect of another,
    already checked one (approving a revision supersedes the version it revises)."""
    workflow = workflow_for(obj)
    from_state = getattr(obj, workflow.field)
    with acting_user(user):
        setattr(obj, workflow.field, transition.target)
        if transition.effect is not None:
            transition.effect(obj, user=user, comment=comment, **extra)
        step = None
        if workflow.record is not None:
            step = workflow.record(
                obj, transition=transition, from_state=from_state, user=user, comment=comment, **extra
            )
        obj._change_reason = history_reason(transition, comment)
        obj.save()
        obj.workflow_step = step
    return obj
