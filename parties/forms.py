from cap_portal.forms import BaseModelForm

from .models import Authority, Contact, Party


class PartyForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = Party
        fields = [
            "code",
            "name",
            "name_fr",
            "article_fr",
            "name_es",
            "article_es",
            "region",
            "is_ldc",
            "is_lldc",
            "is_sids",
            "language",
        ]


class AuthorityForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = Authority
        fields = ["kind", "name", "address", "email", "phone", "website"]


class ContactForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = Contact
        fields = ["authority", "name", "position", "email", "phone", "is_focal_point"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the authorities of the contact's own Party.
        party_id = self.instance.party_id
        self.fields["authority"].queryset = self.fields["authority"].queryset.filter(party_id=party_id)
