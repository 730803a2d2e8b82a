"""Writes of the funding records that are more than a plain create/update (those go through
``cap_portal.services``): granting a no-cost extension, recording the receipt of an installment,
reporting expenditure. Keyword-only, atomic; model validation first, nothing written on error."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cap_portal import services as generic
from cap_portal.access import Action
from cap_portal.history import acting_user
from portfolio.notify import notify

from .models import Expenditure, Installment, LegalInstrument, NoCostExtension
from .workflow import INSTALLMENT_RECEIVED, INSTALLMENT_TRANSFERRED


@transaction.atomic
def no_cost_extension_grant(*, instrument, new_end_date, reason, granted_on, user) -> NoCostExtension:
    """Extend a legal instrument to ``new_end_date`` at no cost, recording why and when.

    Refused (field ``new_end_date``) unless the new end date is after the current one; the
    instrument row is locked so that two extensions granted at once cannot both pass the check.
    """
    LegalInstrument.objects.select_for_update().filter(pk=instrument.pk).first()
    extension = NoCostExtension(
        instrument=instrument, new_end_date=new_end_date, reason=reason, granted_on=granted_on
    )
    extension.full_clean()
    with acting_user(user):
        extension.save()
    return extension


@transaction.atomic
def installment_record_receipt(*, installment, received_on, transferred_on=None, user) -> Installment:
    """Record that the Party received an installment (and when it was transferred, if not yet known)."""
    installment = Installment.objects.select_for_update().get(pk=installment.pk)
    before = Installment(transferred_on=installment.transferred_on, received_on=installment.received_on)
    if transferred_on is not None:
        installment.transferred_on = transferred_on
    installment.received_on = received_on
    installment.full_clean()
    with acting_user(user):
        installment.save()
    installment_handovers(installment, before=before, user=user)
    return installment


@transaction.atomic
def installment_save(*, user, data: dict, installment: Installment | None = None) -> Installment:
    """Record an installment, or change one (UI and API alike); recording it as transferred or
    received tells who acts next (:func:`installment_handovers`)."""
    if installment is None:
        saved = generic.object_create(model=Installment, user=user, data=data)
        before = Installment()
    else:
        before = Installment(transferred_on=installment.transferred_on, received_on=installment.received_on)
        saved = generic.object_update(instance=installment, user=user, data=data)
    installment_handovers(saved, before=before, user=user)
    return saved


def installment_handovers(installment: Installment, *, before: Installment, user) -> None:
    """A date of transfer or of receipt set where there was none is a hand-over (declared in
    ``budgets.workflow``): the Party's focal points and the case manager are told."""
    if installment.transferred_on and not before.transferred_on:
        notify(INSTALLMENT_TRANSFERRED, obj=installment, actor=user)
    if installment.received_on and not before.received_on:
        notify(INSTALLMENT_RECEIVED, obj=installment, actor=user)


@transaction.atomic
def expenditure_report(
    *,
    budget_line,
    spent_on,
    amount,
    description,
    currency="USD",
    exchange_rate=None,
    document=None,
    is_illustrative=False,
    user,
) -> Expenditure:
    """Report expenditure against a budget line. A focal point reports for their own Party only
    (field ``budget_line``); the date must fall within the legal instrument's period."""
    expenditure = Expenditure(
        budget_line=budget_line,
        spent_on=spent_on,
        amount=amount,
        currency=currency,
        exchange_rate=exchange_rate,
        description=description,
        document=document or "",
        reported_by=user if getattr(user, "is_authenticated", False) else None,
        is_illustrative=is_illustrative,
    )
    if user is not None and not Expenditure.access_policy.permits(user, Action.ADD, expenditure):
        raise ValidationError({"budget_line": _("You may not report expenditure for this Party.")})
    expenditure.full_clean()
    with acting_user(user):
        expenditure.save()
    return expenditure
