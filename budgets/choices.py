"""Choices of the budgets app: funds, counterparts, currencies and budget categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Fund(models.TextChoices):
    """CoP18 Doc. 28 para. 53: the CITES Trust Fund (core budget) and CITES external funds."""

    CTL = "CTL", _("CITES Trust Fund (CTL)")
    QTL = "QTL", _("CITES external funds (QTL)")


class CounterpartKind(models.TextChoices):
    """Who signs the legal instrument with the Secretariat (SC78 Doc. paras. 47–48)."""

    MANAGEMENT_AUTHORITY = "management_authority", _("Management Authority")
    UNDP_COUNTRY_OFFICE = "undp_country_office", _("UNDP country office")
    OTHER = "other", _("Other")


class Currency(models.TextChoices):
    """ISO 4217 codes of the portfolio's donors and beneficiary Parties."""

    USD = "USD", _("US dollar (USD)")
    EUR = "EUR", _("Euro (EUR)")
    CHF = "CHF", _("Swiss franc (CHF)")
    GBP = "GBP", _("Pound sterling (GBP)")
    XOF = "XOF", _("CFA franc BCEAO (XOF)")
    GNF = "GNF", _("Guinean franc (GNF)")
    KHR = "KHR", _("Cambodian riel (KHR)")
    LAK = "LAK", _("Lao kip (LAK)")
    NGN = "NGN", _("Nigerian naira (NGN)")
    SBD = "SBD", _("Solomon Islands dollar (SBD)")
    SRD = "SRD", _("Surinamese dollar (SRD)")
    VND = "VND", _("Vietnamese dong (VND)")


class BudgetCategory(models.TextChoices):
    """The budget categories, in the order of CoP18 Doc. 28 Annex 2."""

    STAFF = "staff", _("Staff time")
    CONSULTANCIES = "consultancies", _("Consultancies")
    TECHNICAL_MISSIONS = "technical_missions", _("Technical missions")
    WORKSHOPS = "workshops", _("Workshops")
    EQUIPMENT = "equipment", _("Equipment")
    OTHER = "other", _("Other")
