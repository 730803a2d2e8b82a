"""Querysets of the parties app: ``restrict()`` (from the base) and the reader's order of Parties."""

from cap_portal.access import RestrictedQuerySet

from .names import localized_name_order


class PartyQuerySet(RestrictedQuerySet):
    def order_by_localized_name(self, language: str | None = None):
        """Parties by their name in ``language`` (the active one by default), as the reader of
        that language sorts them: "Allemagne, Côte d'Ivoire, Égypte, Guinée, Togo" in French.
        Called when the list is built (in a view or a filter's queryset callable), not at
        import, so each request gets its own language."""
        return self.order_by(localized_name_order(language=language), "code")
