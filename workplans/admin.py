from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, Deliverable, Event, Workplan, WorkplanStep


class WorkplanStepInline(admin.TabularInline):
    model = WorkplanStep
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "actor", "taken_at", "comment", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Workplan)
class WorkplanAdmin(SimpleHistoryAdmin):
    list_display = ["cap_case", "version", "status", "title", "starts_on", "ends_on"]
    list_filter = ["status"]
    search_fields = ["title", "cap_case__party__name"]
    readonly_fields = ["status", "version", "revises", "revision_reason"]
    inlines = [WorkplanStepInline]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "workplan", "area", "status", "percent_complete"]
    list_filter = ["area", "status", "responsible_entity"]
    search_fields = ["title", "code"]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "cap_case", "start_on", "end_on"]
    list_filter = ["kind"]


@admin.register(Deliverable)
class DeliverableAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "cap_case", "review_status"]
    list_filter = ["kind", "review_status"]
