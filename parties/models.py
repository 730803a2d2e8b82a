"""The Parties registry: CITES Parties, their authorities and contacts, and who holds which role."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cap_portal.access import (
    ALL_ROLES,
    CASE_MANAGER_ROLES,
    PARTY_RECORD_MAINTAINER_ROLES,
    READER_ROLES,
    ROLE_CHOICES,
    SECRETARIAT_ROLES,
    AccessPolicy,
    RestrictedQuerySet,
    is_donor_role,
    is_global_role,
    is_party_role,
)
from cap_portal.models import BaseModel

from . import names
from .choices import AuthorityKind, FrenchArticle, Region, SpanishArticle, WorkingLanguage
from .querysets import PartyQuerySet


class Party(BaseModel):
    """A State (or the European Union) party to CITES, looked up by its ISO 3166-1 alpha-2 code.

    Named as CITES and the UN name it in each working language (``name``, ``name_fr``,
    ``name_es``), with the article the French and Spanish names take, so that a sentence can say
    "du Togo" or "del Reino Unido" (``parties.names``). ``str()`` is the name in the active
    language.
    """

    code = CountryField(_("ISO code"), unique=True, help_text=_("ISO 3166-1 alpha-2 code, e.g. TG."))
    name = models.CharField(_("name"), max_length=120, unique=True)
    name_fr = models.CharField(
        _("name in French"),
        max_length=120,
        blank=True,
        help_text=_("The CITES (UN) short name, e.g. République démocratique populaire lao."),
    )
    article_fr = models.CharField(
        _("French article"),
        max_length=3,
        choices=FrenchArticle.choices,
        blank=True,
        help_text=_("The article the French name takes: le Togo, la Guinée, l'Angola, les Philippines."),
    )
    name_es = models.CharField(
        _("name in Spanish"),
        max_length=120,
        blank=True,
        help_text=_("The CITES (UN) short name, e.g. Reino Unido de Gran Bretaña e Irlanda del Norte."),
    )
    article_es = models.CharField(
        _("Spanish article"),
        max_length=3,
        choices=SpanishArticle.choices,
        blank=True,
        help_text=_("The article the Spanish name takes: el Reino Unido, los Estados Unidos de América."),
    )
    region = models.CharField(_("CITES region"), max_length=40, choices=Region.choices)
    is_ldc = models.BooleanField(_("least developed country (LDC)"), default=False)
    is_lldc = models.BooleanField(_("landlocked developing country (LLDC)"), default=False)
    is_sids = models.BooleanField(_("small island developing State (SIDS)"), default=False)
    language = models.CharField(
        _("working language"), max_length=2, choices=WorkingLanguage.choices, default=WorkingLanguage.ENGLISH
    )

    # The registry is public knowledge: every signed-in user may read it; only case managers edit it.
    access_policy = AccessPolicy(
        party_path="",
        view=ALL_ROLES,
        add=CASE_MANAGER_ROLES,
        change=CASE_MANAGER_ROLES,
        delete=CASE_MANAGER_ROLES,
        public_view=True,
    )

    objects = PartyQuerySet.as_manager()

    class Meta:
        # The English name; lists a reader sees use ``order_by_localized_name()``.
        ordering = ["name"]
        # The name each language sorts by (``names.localized_sort_name``): a list of rows ordered
        # by their Party in the reader's language (50,000 recommendations) reads its first page
        # from the Parties in that order instead of sorting every row.
        indexes = [
            models.Index(names.localized_sort_name(language=language), name=f"party_sort_name_{language}")
            for language in names.NAME_LANGUAGES
        ]
        verbose_name = _("Party")
        verbose_name_plural = _("Parties")

    def __str__(self):
        return self.localized_name

    def save(self, *args, **kwargs):
        self.code = str(self.code).upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("parties:party_detail", kwargs={"code": self.code})

    @property
    def localized_name(self) -> str:
        """The name in the active language (English when there is none in it)."""
        return names.localized_name(self)

    @property
    def of_name(self) -> str:
        """The name as it follows "of" in the active language: "the Philippines", "du Togo",
        "del Reino Unido" (see ``parties.names.of_name``)."""
        return names.of_name(self)


# A Party's authorities and contacts: read by the Party's readers, kept up to date by the case
# managers and the Party's Management Authority.
PARTY_RECORD_POLICY = AccessPolicy.written_by(
    PARTY_RECORD_MAINTAINER_ROLES, party_path="party", view=READER_ROLES
)


class Authority(BaseModel):
    """A CITES authority of a Party: its Management or Scientific Authority or enforcement focal point."""

    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="authorities", verbose_name=_("Party")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AuthorityKind.choices)
    name = models.CharField(_("institution"), max_length=255)
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Sample data invented where the documents give none.")
    )

    access_policy = PARTY_RECORD_POLICY

    class Meta:
        ordering = ["party__name", "kind", "name"]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        constraints = [
            models.UniqueConstraint(fields=["party", "kind", "name"], name="authority_unique_per_party"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def get_absolute_url(self):
        return reverse("parties:party_detail", kwargs={"code": self.party.code}) + f"#authority-{self.pk}"


class Contact(BaseModel):
    """A person at a Party's authority with whom the Secretariat works."""

    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("Party")
    )
    authority = models.ForeignKey(
        Authority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("authority"),
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    is_focal_point = models.BooleanField(_("CAP focal point"), default=False)
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Sample data invented where the documents give none.")
    )

    access_policy = PARTY_RECORD_POLICY

    class Meta:
        ordering = ["party__name", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return self.name

    def clean(self):
        if self.authority_id and self.party_id and self.authority.party_id != self.party_id:
            raise ValidationError({"authority": _("The authority must belong to the same Party.")})

    def get_absolute_url(self):
        return reverse("parties:party_detail", kwargs={"code": self.party.code}) + f"#contact-{self.pk}"


class Donor(BaseModel):
    """A funder of the CAP: a Party (Switzerland, United Kingdom, United States…) or an
    organisation (the European Union). Public reference data, kept by case managers."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donors",
        verbose_name=_("Party"),
        help_text=_("The Party, when the donor is a government."),
    )

    access_policy = AccessPolicy(
        party_path=None,
        view=ALL_ROLES,
        add=CASE_MANAGER_ROLES,
        change=CASE_MANAGER_ROLES,
        delete=CASE_MANAGER_ROLES,
        public_view=True,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")

    def __str__(self):
        return self.name


class RoleAssignmentQuerySet(RestrictedQuerySet):
    def current(self, on=None):
        """The roles held on ``on`` (today by default): started on or before it and not ended.
        The one rule of "holds a role"; permissions, reminders and notifications read it."""
        on = on or timezone.localdate()
        return self.not_ended(on).filter(starts_on__lte=on)

    def not_ended(self, on=None):
        """The roles held on ``on`` or still to come: not ended by then."""
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))


class RoleAssignment(BaseModel):
    """A role a user holds: globally (Secretariat) or for one Party (focal points), from
    ``starts_on`` until ``ends_on`` (the first day it no longer holds; empty while it does).

    A user may hold several, e.g. MA focal point for two Parties. A donor observer holds the
    role for one donor and reads what that donor funds. A role ended and given again is the
    same row, reopened; its history keeps every period.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cap_roles", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=ROLE_CHOICES)
    party = models.ForeignKey(
        Party,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("Party"),
    )
    donor = models.ForeignKey(
        Donor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="observers",
        verbose_name=_("donor"),
    )
    starts_on = models.DateField(_("holds the role since"), default=timezone.localdate)
    ends_on = models.DateField(
        _("role ends on"),
        null=True,
        blank=True,
        help_text=_("The first day the person no longer holds the role. Empty while they do."),
    )

    objects = RoleAssignmentQuerySet.as_manager()

    access_policy = AccessPolicy(
        party_path="party",
        view=SECRETARIAT_ROLES,
        add=CASE_MANAGER_ROLES,
        change=CASE_MANAGER_ROLES,
        delete=CASE_MANAGER_ROLES,
    )

    class Meta:
        ordering = ["user__username", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "party"], name="role_assignment_unique"),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(party__isnull=True, donor__isnull=True),
                name="global_role_unique",
            ),
            models.UniqueConstraint(fields=["user", "role", "donor"], name="donor_role_unique"),
        ]

    def __str__(self):
        if self.party_id or self.donor_id:
            return f"{self.user} — {self.get_role_display()} ({self.party or self.donor})"
        return f"{self.user} — {self.get_role_display()}"

    def clean(self):
        if is_party_role(self.role) and not self.party_id:
            raise ValidationError({"party": _("A focal point role is held for a Party: choose one.")})
        if is_global_role(self.role) and self.party_id:
            raise ValidationError({"party": _("Secretariat roles are global: leave the Party empty.")})
        if is_donor_role(self.role) and not self.donor_id:
            raise ValidationError({"donor": _("A donor observer observes for a donor: choose one.")})
        if not is_donor_role(self.role) and self.donor_id:
            raise ValidationError({"donor": _("Only donor observers are held for a donor.")})
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A role cannot end before it starts.")})

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on > today)
