from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from budgets.models import LegalInstrument
from cap_portal.api.serializers import BaseModelSerializer
from parties.choices import WorkingLanguage
from statements.models import DonorStatement, StatementState


class DonorStatementSerializer(BaseModelSerializer):
    """A statement: the render's state and, once done, its version number, checksums and files."""

    requested_by = serializers.CharField(source="requested_by.get_username", read_only=True)
    reference = serializers.CharField(source="instrument.reference", read_only=True)
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()
    totals = serializers.SerializerMethodField()

    class Meta:
        model = DonorStatement
        fields = [
            "id",
            "instrument",
            "reference",
            "period_start",
            "period_end",
            "language",
            "state",
            "percent",
            "message",
            "requested_by",
            "number",
            "sha256",
            "page_count",
            "xlsx_sha256",
            "pdf_url",
            "xlsx_url",
            "totals",
            "created",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def _url(self, obj, kind: str) -> str | None:
        if obj.state != StatementState.DONE:
            return None
        url = reverse(f"api:statement-{kind}", kwargs={"pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def get_pdf_url(self, obj) -> str | None:
        return self._url(obj, "pdf")

    def get_xlsx_url(self, obj) -> str | None:
        return self._url(obj, "xlsx")

    def get_totals(self, obj) -> dict | None:
        """The statement's totals (USD, strings of decimals), once done."""
        return (obj.snapshot or {}).get("totals")


class StatementRequestSerializer(serializers.Serializer):
    """A statement to produce: the legal instrument, the period (its start to today by default)
    and the language."""

    instrument = serializers.PrimaryKeyRelatedField(queryset=LegalInstrument.objects.all())
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    language = serializers.ChoiceField(choices=WorkingLanguage.choices, default=WorkingLanguage.ENGLISH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # An instrument the user may not see is "does not exist", as everywhere.
            self.fields["instrument"].queryset = LegalInstrument.objects.restrict(request.user)

    def validate(self, data):
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise serializers.ValidationError({"period_end": _("The period cannot end before it starts.")})
        return data
