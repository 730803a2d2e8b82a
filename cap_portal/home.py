from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from cap_portal.access import Action, get_user_roles
from parties.models import Party


class HomeView(LoginRequiredMixin, TemplateView):
    """The landing page: the user's roles and the Parties they work on."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = get_user_roles(self.request.user)
        own_ids = set().union(*roles.party_roles.values()) if roles.party_roles else set()
        context["own_parties"] = Party.objects.restrict(self.request.user, Action.VIEW).filter(pk__in=own_ids)
        context["party_count"] = Party.objects.count()
        return context
