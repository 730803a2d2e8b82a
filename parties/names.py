"""How a Party's name reads in the active language: the CITES (UN) short name in English, French
or Spanish, and its "of" form, which grammar needs around it ("Workplan of the Philippines",
"Plan de travail du Togo", "Plan de trabajo del Reino Unido").

The one rule of a Party's name in a sentence: ``Party.__str__``, the page titles and the
reports' ``named()`` read it.
"""

import re

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Func, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language

# The UN writes "the" before these English names inside a sentence: names built on one of
# these words ("the Republic of Korea", "the United Kingdom of…", "the Solomon Islands") unless
# they are inverted with a parenthesis ("Iran (Islamic Republic of)"), and a few single names.
_THE_WORDS = frozenset(
    {"Emirates", "Federation", "Islands", "Kingdom", "Republic", "State", "States", "Union"}
)
_THE_NAMES = frozenset(
    {"Bahamas", "Comoros", "Congo", "Gambia", "Maldives", "Netherlands", "Niger", "Philippines", "Sudan"}
)

# The languages the Parties are named in, and the ICU collation each sorts by.
NAME_LANGUAGES = {"en": "en-x-icu", "fr": "fr-x-icu", "es": "es-x-icu"}

# "of" + the French or Spanish article, by article.
_FRENCH_OF = {"": "de ", "le": "du ", "la": "de la ", "l'": "de l'", "les": "des "}
_SPANISH_OF = {"": "de ", "el": "del ", "la": "de la ", "los": "de los ", "las": "de las "}
# "de" elides before a vowel: "d'Israël", "d'Oman", "d'El Salvador".
_FRENCH_ELISION = re.compile(r"^[AEIOUYÂÀÉÈÊÎÏÔŒÛaeiouyâàéèêîïôœû]")


def active_language(language: str | None = None) -> str:
    """``language`` or the active one, as its two-letter code ("fr" for "fr-ch")."""
    return (language or get_language() or "en")[:2].lower()


def english_takes_the(name: str) -> bool:
    """Whether the UN writes "the" before this English name inside a sentence: "the
    Philippines", "the United States of America", "the Niger"; not "Togo", nor "Iran (Islamic
    Republic of)", nor a name that already starts with "the"."""
    name = str(name)
    if name.startswith("the ") or "(" in name:
        return False
    return name in _THE_NAMES or not _THE_WORDS.isdisjoint(name.replace(",", " ").split())


def localized_name(party, language: str | None = None) -> str:
    """The Party's CITES name in ``language`` (the active one by default), its English name
    when it has none in that language."""
    language = active_language(language)
    if language == "fr" and party.name_fr:
        return party.name_fr
    if language == "es" and party.name_es:
        return party.name_es
    return party.name


class InLanguageOrder(Func):
    """A name compared as the language sorts it: PostgreSQL's ICU collation of the language
    ("Égypte" among the E's in French, not after "Zimbabwe" as the database's C collation puts
    it; "Côte d'Ivoire" before "Cuba"). SQLite (the embedded default) has no such collation and
    compares code points.

    Django's ``Collate`` with that exception; not a subclass of it, because an index on a
    ``Collate`` expression takes it for its own column collation and accepts no subclass."""

    template = "%(expressions)s COLLATE %(collation)s"
    allowed_default = False

    def __init__(self, expression, collation: str):
        if collation not in NAME_LANGUAGES.values():
            raise ValueError(f"Not a collation of the Parties' names: {collation!r}.")
        self.collation = collation
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra_context):
        extra_context.setdefault("collation", connection.ops.quote_name(self.collation))
        return super().as_sql(compiler, connection, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])


def localized_sort_name(path: str = "", language: str | None = None) -> InLanguageOrder:
    """A Party's name in ``language`` (the active one by default) as the language compares it:
    :func:`localized_name` in SQL (the English name where the language's is blank) in the
    language's collation. ``path`` leads to the Party from another model (``"party"``,
    ``"cap_case__party"``). The Party model indexes it for each language (``Party.Meta.indexes``),
    so that a list ordered by it reads its first page without sorting every row."""
    language = active_language(language)
    language = language if language in NAME_LANGUAGES else "en"
    prefix = f"{path}__" if path else ""
    name = F(f"{prefix}name")
    if language != "en":
        name = Coalesce(NullIf(F(f"{prefix}name_{language}"), Value("")), name)
    return InLanguageOrder(name, NAME_LANGUAGES[language])


def localized_name_order(path: str = "", language: str | None = None, descending: bool = False):
    """The expression to order Parties (``path`` leads to the Party from another model, e.g.
    ``"party"`` or ``"cap_case__party"``) by their name in ``language``: :func:`localized_sort_name`."""
    name = localized_sort_name(path, language)
    return name.desc() if descending else name.asc()


def _party_path(model, path: str) -> bool:
    """Whether the relation ``path`` ("party", "cap_case__party"…) leads from ``model`` to a Party."""
    from parties.models import Party

    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if not (field.many_to_one or field.one_to_one):
            return False
        model = field.related_model
    return model is Party


def in_readers_order(queryset, language: str | None = None):
    """``queryset`` with the Party names its ordering sorts by (its own ``order_by`` or its
    model's ``Meta.ordering``: ``party__name``, ``cap_case__party__name``…) compared as
    :func:`localized_name_order` compares them, in ``language`` (the active one by default): the
    rows of a list a reader sees follow their Party in the reader's order, as the Party list
    does. The model's ordering is left to the API, whose cursors are keyed on it."""
    query = queryset.query
    ordering = query.order_by or (queryset.model._meta.ordering if query.default_ordering else ())
    replaced, changed = [], False
    for item in ordering:
        if isinstance(item, str):
            path = item.removeprefix("-")
            if path.endswith("__name") and _party_path(queryset.model, path.removesuffix("__name")):
                descending = item.startswith("-")
                replaced.append(localized_name_order(path.removesuffix("__name"), language, descending))
                changed = True
                continue
        replaced.append(item)
    return queryset.order_by(*replaced) if changed else queryset


def of_name(party, language: str | None = None) -> str:
    """The Party's name as it follows "of" in ``language`` (the active one by default).

    English leaves "of" to the sentence and adds "the" where the UN does ("the Philippines",
    "Togo"): "Workplan of %(of_party)s". French and Spanish carry the preposition fused with the
    article ("du Togo", "de la Guinée", "de l'Angola", "des Philippines", "de Madagascar",
    "d'Israël"; "del Togo", "del Reino Unido", "de los Estados Unidos de América", "de
    Filipinas"), so their translation is "Plan de travail %(of_party)s".
    """
    language = active_language(language)
    name = localized_name(party, language)
    if language == "fr":
        if not party.article_fr and _FRENCH_ELISION.match(name):
            return f"d'{name}"
        return _FRENCH_OF[party.article_fr] + name
    if language == "es":
        return _SPANISH_OF[party.article_es] + name
    return f"the {name}" if english_takes_the(name) else name
