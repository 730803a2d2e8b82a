from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Decision


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "meeting", "directed_to", "status", "agenda_item", "report", "order"]
    list_filter = ["status", "directed_to", "meeting"]
    search_fields = ["number", "text", "items", "agenda_item"]
