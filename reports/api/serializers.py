from django.urls import reverse
from rest_framework import serializers

from cap_portal.api.serializers import BaseModelSerializer
from parties.api.serializers import PartyRelatedField
from reports.models import Report, ReportRender, ReportSection, ReportVersion


class ReportSerializer(BaseModelSerializer):
    parties = PartyRelatedField(many=True, required=False)

    class Meta:
        model = Report
        fields = [
            "id",
            "symbol",
            "title",
            "meeting_name",
            "meeting_place",
            "meeting_start",
            "meeting_end",
            "agenda_headings",
            "language",
            "as_of",
            "parties",
            "status",
            "created",
            "updated",
        ]
        read_only_fields = ["status"]


class ReportSectionSerializer(BaseModelSerializer):
    party = serializers.SerializerMethodField(help_text="The Party's ISO code, for a Party section.")

    class Meta:
        model = ReportSection
        fields = [
            "id",
            "report",
            "kind",
            "party",
            "order",
            "title",
            "narrative",
            "narrative_fr",
            "narrative_es",
            "is_carried",
            "carried_from",
            "body",
            "is_edited",
            "updated",
        ]
        read_only_fields = ["report", "kind", "order", "is_carried", "carried_from", "is_edited"]

    def get_party(self, obj) -> str | None:
        return str(obj.party.code) if obj.party_id else None


def _file_urls(version: ReportVersion | None, request) -> dict | None:
    if version is None:
        return None
    urls = {
        "id": version.pk,
        "number": version.number,
        "pdf": reverse("api:report-version-pdf", kwargs={"pk": version.pk}),
        "docx": reverse("api:report-version-docx", kwargs={"pk": version.pk}),
    }
    if request is not None:
        urls["pdf"], urls["docx"] = (
            request.build_absolute_uri(urls["pdf"]),
            request.build_absolute_uri(urls["docx"]),
        )
    return urls


class ReportVersionSerializer(BaseModelSerializer):
    author = serializers.CharField(source="author.get_username", read_only=True)
    pdf_url = serializers.SerializerMethodField()
    docx_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportVersion
        fields = [
            "id",
            "report",
            "number",
            "render",
            "author",
            "rendered_at",
            "as_of",
            "language",
            "sha256",
            "page_count",
            "pdf_url",
            "docx_url",
        ]

    def get_pdf_url(self, obj) -> str:
        return _file_urls(obj, self.context.get("request"))["pdf"]

    def get_docx_url(self, obj) -> str:
        return _file_urls(obj, self.context.get("request"))["docx"]


class ReportRenderSerializer(BaseModelSerializer):
    requested_by = serializers.CharField(source="requested_by.get_username", read_only=True)
    version = serializers.SerializerMethodField()

    class Meta:
        model = ReportRender
        fields = [
            "id",
            "report",
            "state",
            "percent",
            "message",
            "requested_by",
            "source_version",
            "retry_of",
            "version",
            "created",
            "started_at",
            "finished_at",
            "heartbeat_at",
        ]
        read_only_fields = fields

    def get_version(self, obj) -> dict | None:
        """The version the job produced: its files, and what the versions list shows of it (the
        report page adds the row when the job is done, without a reload)."""
        version = getattr(obj, "version", None) if obj.state == "done" else None
        urls = _file_urls(version, self.context.get("request"))
        if urls is None:
            return None
        author = version.author
        return {
            **urls,
            "rendered_at": serializers.DateTimeField().to_representation(version.rendered_at),
            "as_of": version.as_of.isoformat(),
            "page_count": version.page_count,
            "sha256": version.sha256,
            "author": author.get_full_name() or author.get_username(),
        }


class RenderRequestSerializer(serializers.Serializer):
    """Optional: render a stored version's snapshot again instead of composing from the data."""

    source_version = serializers.PrimaryKeyRelatedField(
        queryset=ReportVersion.objects.all(), required=False, allow_null=True
    )
