from django.db import transaction
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.response import Response

from cap_portal.access import Action
from cap_portal.api.viewsets import BaseModelViewSet, WorkflowStepsMixin
from cap_portal.responses import DOCX, PDF, stored_file
from reports import services
from reports.filtersets import (
    ReportFilterSet,
    ReportRenderFilterSet,
    ReportSectionFilterSet,
    ReportVersionFilterSet,
)
from reports.models import Report, ReportRender, ReportSection, ReportVersion
from reports.workflow import FINALISE

from .serializers import (
    RenderRequestSerializer,
    ReportRenderSerializer,
    ReportSectionSerializer,
    ReportSerializer,
    ReportVersionSerializer,
)


# Business rules checked by the services, documented for the API schema: finalising needs a
# rendered version and a report not final yet (400 on "status"); a render from a stored version
# needs a version of this report (400 on "source_version").
@extend_validation_errors(["invalid"], field_name="status", actions=["finalise"], methods=["post"])
@extend_validation_errors(["invalid"], field_name="source_version", actions=["render"], methods=["post"])
class ReportViewSet(WorkflowStepsMixin, BaseModelViewSet):
    """Standing Committee progress reports. Drafts are seen by the Secretariat only; final
    reports by every signed-in user. ``render`` queues a render job (202)."""

    queryset = Report.objects.all()
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    extra_action_access = {"render": Action.CHANGE, "finalise": Action.CHANGE, "recompose": Action.CHANGE}
    workflow_steps = {"finalise": FINALISE}

    def perform_create(self, serializer):
        serializer.instance = services.report_create(
            user=self.request.user, data=dict(serializer.validated_data)
        )

    @transaction.atomic
    def perform_update(self, serializer):
        report = self.lock_and_check_version(serializer.instance)
        serializer.instance = services.report_update(
            report=report, user=self.request.user, data=dict(serializer.validated_data)
        )
        self._object_for_etag = serializer.instance

    def perform_destroy(self, instance):
        reason = instance.deletion_error()
        if reason:
            raise serializers.ValidationError({"non_field_errors": [reason]})
        super().perform_destroy(instance)

    @extend_schema(request=RenderRequestSerializer, responses={202: ReportRenderSerializer})
    @action(detail=True, methods=["post"])
    def render(self, request, pk=None):
        """Queue a render of the report (from the data, or from a stored version's snapshot; a final
        report always from its latest version's). While a render of the report is queued or
        running, answers that job instead of queuing another."""
        report = self.get_object()
        body = RenderRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = services.report_render_request(
            report=report, user=request.user, source_version=body.validated_data.get("source_version")
        )
        job.refresh_from_db()  # where tasks run in-process (the tests) the job has run already
        return Response(
            ReportRenderSerializer(job, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        """Mark the report final (it needs a rendered version): published to every signed-in user."""
        return self.take_step(request, FINALISE)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def recompose(self, request, pk=None):
        """Refresh the default text of every section not edited by hand from the current data."""
        report = self.get_object()
        services.report_sections_sync(report=report, user=request.user)
        return Response(self.get_serializer(report).data)


class ReportSectionViewSet(BaseModelViewSet):
    """The sections of a report; a case manager edits a section's text or resets it to the default."""

    queryset = ReportSection.objects.select_related("party")
    serializer_class = ReportSectionSerializer
    filterset_class = ReportSectionFilterSet
    http_method_names = ["get", "put", "patch", "post", "head", "options"]
    extra_action_access = {"reset": Action.CHANGE}

    def create(self, request, *args, **kwargs):
        raise MethodNotAllowed(request.method)

    @transaction.atomic
    def perform_update(self, serializer):
        serializer.instance = services.section_update(
            section=self.lock_and_check_version(serializer.instance),
            user=self.request.user,
            data=dict(serializer.validated_data),
        )
        self._object_for_etag = serializer.instance

    @extend_schema(request=None, responses=ReportSectionSerializer)
    @action(detail=True, methods=["post"])
    def reset(self, request, pk=None):
        """Drop the edited text: the section takes its default text from the data again."""
        section = services.section_reset(section=self.get_object(), user=request.user)
        return Response(self.get_serializer(section).data)


# Only a failed render can be retried (400 on "state").
@extend_validation_errors(["invalid"], field_name="state", actions=["retry"], methods=["post"])
class ReportRenderViewSet(BaseModelViewSet):
    """Render jobs: state (queued, running, done, failed), percentage and message; a failed job
    can be retried (a new job, 202)."""

    queryset = ReportRender.objects.select_related("requested_by", "version", "version__author")
    serializer_class = ReportRenderSerializer
    filterset_class = ReportRenderFilterSet
    http_method_names = ["get", "post", "head", "options"]
    extra_action_access = {"retry": Action.ADD}

    def create(self, request, *args, **kwargs):
        raise MethodNotAllowed(request.method)

    @extend_schema(request=None, responses={202: ReportRenderSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        job = services.report_render_retry(render=self.get_object(), user=request.user)
        job.refresh_from_db()
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)


class ReportVersionViewSet(BaseModelViewSet):
    """Every rendered version, kept: PDF and DOCX served only through these permission-checked actions."""

    queryset = ReportVersion.objects.select_related("author", "report")
    serializer_class = ReportVersionSerializer
    filterset_class = ReportVersionFilterSet
    http_method_names = ["get", "head", "options"]

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        version = self.get_object()
        return version_file_response(version, "pdf")

    @extend_schema(
        responses={(200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"): bytes}
    )
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        version = self.get_object()
        return version_file_response(version, "docx")


CONTENT_TYPES = {"pdf": PDF, "docx": DOCX}


def version_file_response(version: ReportVersion, kind: str):
    """The version's file as an attachment named after the symbol and version (404 when the
    version has no file of that kind)."""
    name = f"{version.report.symbol} v{version.number}.{kind}".replace("/", "-")
    return stored_file(getattr(version, kind), name, CONTENT_TYPES[kind])
