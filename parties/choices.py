from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """The six CITES regions."""

    AFRICA = "africa", _("Africa")
    ASIA = "asia", _("Asia")
    CENTRAL_SOUTH_AMERICA_CARIBBEAN = (
        "central_south_america_caribbean",
        _("Central and South America and the Caribbean"),
    )
    EUROPE = "europe", _("Europe")
    NORTH_AMERICA = "north_america", _("North America")
    OCEANIA = "oceania", _("Oceania")


class WorkingLanguage(models.TextChoices):
    """CITES's three working languages."""

    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")


class AuthorityKind(models.TextChoices):
    MANAGEMENT = "management", _("Management Authority")
    SCIENTIFIC = "scientific", _("Scientific Authority")
    ENFORCEMENT = "enforcement", _("Enforcement focal point")


def country_code_choices():
    """ISO 3166-1 alpha-2 codes accepted for a Party (django-countries, plus the EU override)."""
    from django_countries import countries

    return [(country.code, country.name) for country in countries]


class FrenchArticle(models.TextChoices):
    """The article a Party's French name takes ("le Togo", "la Guinée", "l'Angola", "les
    Philippines", "Madagascar"): "du Togo", "de la Guinée", "de l'Angola", "des Philippines",
    "de Madagascar"."""

    NONE = "", _("none")
    LE = "le", "le"
    LA = "la", "la"
    L = "l'", "l'"
    LES = "les", "les"


class SpanishArticle(models.TextChoices):
    """The article a Party's Spanish name takes ("el Reino Unido", "los Estados Unidos de
    América", "Filipinas"): "del Reino Unido", "de los Estados Unidos de América", "de Filipinas"."""

    NONE = "", _("none")
    EL = "el", "el"
    LA = "la", "la"
    LOS = "los", "los"
    LAS = "las", "las"
