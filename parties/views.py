from django.shortcuts import get_object_or_404
from django.urls import reverse

from cap_portal.access import Action, party_ids_held
from cap_portal.history import history_entries
from cap_portal.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from cases.selectors import party_compliance_picture, party_programme

from .filtersets import PartyFilterSet
from .forms import AuthorityForm, ContactForm, PartyForm
from .models import Authority, Contact, Party


class PartyListView(ObjectListView):
    queryset = Party.objects.all()
    filterset_class = PartyFilterSet
    template_name = "parties/party_list.html"
    # The French and Spanish names come last: exports read by column keep their places.
    export_fields = (
        "code",
        "name",
        "region",
        "language",
        "is_ldc",
        "is_lldc",
        "is_sids",
        "name_fr",
        "name_es",
    )

    def get_queryset(self):
        # In the reader's language: a French reader finds "Allemagne" under A.
        return super().get_queryset().order_by_localized_name()


class PartyDetailView(ObjectDetailView):
    queryset = Party.objects.all()
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "parties/party_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        party = self.object
        context["authorities"] = Authority.objects.restrict(user, Action.VIEW).filter(party=party)
        context["contacts"] = (
            Contact.objects.restrict(user, Action.VIEW).filter(party=party).select_related("authority")
        )
        context["can_see_authorities"] = Authority.access_policy.permits(
            user, Action.VIEW, Authority(party=party)
        )
        context["can_edit_party"] = Party.access_policy.permits(user, Action.CHANGE, party)
        context["can_edit_authorities"] = Authority.access_policy.permits(
            user, Action.CHANGE, Authority(party=party)
        )
        context["is_own_party"] = party.pk in party_ids_held(user)
        context["history_entries"] = history_entries(party, limit=20)
        context["compliance"] = party_compliance_picture(party=party, user=user)
        context["programme"] = party_programme(party=party, user=user)
        return context


class PartyEditView(ObjectEditView):
    queryset = Party.objects.all()
    form_class = PartyForm
    slug_field = "code"
    slug_url_kwarg = "code"


class PartyScopedEditView(ObjectEditView):
    """Create a record for the Party named in the URL, or edit one by its id."""

    def get_party(self):
        return get_object_or_404(
            Party.objects.restrict(self.request.user, Action.VIEW), code=self.kwargs["code"]
        )

    def get_initial_object_values(self):
        return {"party": self.get_party()}

    @property
    def is_create(self):
        return self.pk_url_kwarg not in self.kwargs

    def get_queryset(self):
        return super().get_queryset().filter(party__code=self.kwargs["code"])

    def get_cancel_url(self):
        return reverse("parties:party_detail", kwargs={"code": self.kwargs["code"]})


class AuthorityEditView(PartyScopedEditView):
    queryset = Authority.objects.select_related("party")
    form_class = AuthorityForm


class ContactEditView(PartyScopedEditView):
    queryset = Contact.objects.select_related("party")
    form_class = ContactForm


class PartyScopedDeleteView(ObjectDeleteView):
    def get_queryset(self):
        return super().get_queryset().filter(party__code=self.kwargs["code"])

    def get_success_url(self):
        return reverse("parties:party_detail", kwargs={"code": self.kwargs["code"]})


class AuthorityDeleteView(PartyScopedDeleteView):
    queryset = Authority.objects.select_related("party")


class ContactDeleteView(PartyScopedDeleteView):
    queryset = Contact.objects.select_related("party")
