from cap_portal.api.serializers import BaseModelSerializer

from ..models import Decision


class DecisionSerializer(BaseModelSerializer):
    class Meta:
        model = Decision
        fields = [
            "id",
            "number",
            "meeting",
            "directed_to",
            "text",
            "items",
            "status",
            "agenda_item",
            "report",
            "order",
            "created",
            "updated",
        ]
