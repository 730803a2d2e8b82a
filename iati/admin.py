from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PublicationExclusion


@admin.register(PublicationExclusion)
class PublicationExclusionAdmin(SimpleHistoryAdmin):
    list_display = ["content_type", "object_id", "reason", "excluded_by", "created"]
    list_filter = ["content_type"]
    readonly_fields = ["excluded_by", "created"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.excluded_by = request.user
        super().save_model(request, obj, form, change)
