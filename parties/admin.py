from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Authority, Contact, Donor, Party, RoleAssignment


class AuthorityInline(admin.TabularInline):
    model = Authority
    extra = 0


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "name_fr",
        "name_es",
        "region",
        "is_ldc",
        "is_lldc",
        "is_sids",
        "language",
    ]
    list_filter = ["region", "is_ldc", "is_lldc", "is_sids", "language"]
    search_fields = ["name", "name_fr", "name_es", "code"]
    inlines = [AuthorityInline]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "party", "authority", "email", "is_focal_point"]
    list_filter = ["is_focal_point", "party__region"]
    search_fields = ["name", "email", "party__name"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "party", "donor"]
    list_filter = ["role"]
    search_fields = ["user__username", "party__name"]
    autocomplete_fields = ["party"]


@admin.register(Donor)
class DonorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "party"]
    search_fields = ["name", "short_name"]
