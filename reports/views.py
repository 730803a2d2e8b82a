"""Report pages: list, detail (sections, render with a progress bar, versions), edit, preview and
downloads. Access comes from the models' policies through the base views (404 outside what the
user may see, 403 for a role that may never take the action)."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from django.views.generic.detail import SingleObjectMixin
from django.views.generic.list import MultipleObjectMixin

from cap_portal.access import Action
from cap_portal.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    RestrictedViewMixin,
    TransitionView,
    message_validation_error,
)

from . import selectors, services
from .api.serializers import ReportRenderSerializer
from .api.views import version_file_response
from .choices import RenderState
from .compare import ADDED, CHANGED, REMOVED, compare_snapshots
from .documents import render_html
from .filtersets import ReportFilterSet
from .forms import ReportForm, ReportSectionForm
from .models import Report, ReportRender, ReportSection, ReportVersion
from .snapshot import build_snapshot
from .workflow import FINALISE


class ReportListView(ObjectListView):
    queryset = Report.objects.all()
    filterset_class = ReportFilterSet
    template_name = "reports/report_list.html"
    export_fields = ("symbol", "meeting_name", "meeting_start", "language", "as_of", "status")


class ReportDetailView(ObjectDetailView):
    queryset = Report.objects.prefetch_related("parties")
    template_name = "reports/report_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        can_change = Report.access_policy.permits(user, Action.CHANGE, report)
        renders = (
            ReportRender.objects.restrict(user, Action.VIEW)
            .filter(report=report)
            .select_related("requested_by", "version")
        )
        context.update(
            {
                "sections": report.sections.select_related("party").order_by("order", "pk"),
                "versions": ReportVersion.objects.restrict(user, Action.VIEW)
                .filter(report=report)
                .select_related("author"),
                "latest_render": renders.first(),
                "can_change": can_change,
                "can_finalise": can_change and services.can_finalise(report)[0],
                "finalise_reason": services.can_finalise(report)[1],
                "can_delete": Report.access_policy.permits(user, Action.DELETE, report)
                and not report.deletion_error(),
                # What the report leaves out until the Secretariat accepts it (issue 19).
                "pending": selectors.pending_material([p.pk for p in report.parties.all()], report.as_of)
                if can_change
                else None,
            }
        )
        return context


class ReportEditView(ObjectEditView):
    queryset = Report.objects.all()
    form_class = ReportForm

    def create(self, data):
        return services.report_create(user=self.request.user, data=data)

    def update(self, data):
        return services.report_update(report=self.object, user=self.request.user, data=data)

    def get_cancel_url(self):
        return reverse("reports:report_list") if self.is_create else self.object.get_absolute_url()


class ReportDeleteView(ObjectDeleteView):
    queryset = Report.objects.all()

    def form_valid(self, form):
        reason = self.object.deletion_error()
        if reason:
            messages.error(self.request, reason)
            return HttpResponseRedirect(self.object.get_absolute_url())
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("reports:report_list")


class SectionEditView(ObjectEditView):
    queryset = ReportSection.objects.select_related("report", "party")
    form_class = ReportSectionForm
    pk_url_kwarg = "section"
    template_name = "reports/section_edit.html"

    @property
    def is_create(self):
        return False  # sections are made by composing the report, never by hand

    def get_queryset(self):
        return super().get_queryset().filter(report_id=self.kwargs["pk"])

    def update(self, data):
        return services.section_update(section=self.object, user=self.request.user, data=data)

    def get_context_data(self, **kwargs):
        """Beside a Party's section: what changed since the previous report, the progress
        narratives accepted since then (to insert), and what still waits for review."""
        context = super().get_context_data(**kwargs)
        section = self.object
        report = section.report
        previous = selectors.previous_report(report)
        context["previous_report"] = previous
        if section.party_id:
            since = previous.as_of if previous else None
            context.update(
                {
                    "since": since,
                    "changes": selectors.changes_since(section.party, report.as_of, since),
                    "accepted_updates": selectors.accepted_progress_updates(
                        section.party_id, report.as_of, since
                    ),
                    "pending": selectors.pending_material([section.party_id], report.as_of),
                }
            )
        return context

    def get_success_url(self):
        return self.object.report.get_absolute_url() + f"#section-{self.object.pk}"

    def get_cancel_url(self):
        return self.object.report.get_absolute_url()


class PostActionView(RestrictedViewMixin, SingleObjectMixin, View):
    """A button on a report page: POST only, restricted like an edit."""

    http_method_names = ["post"]
    access_action = Action.CHANGE

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            self.act()
        except DjangoValidationError as error:
            message_validation_error(request, error)
        return HttpResponseRedirect(self.get_success_url())

    def act(self):
        raise NotImplementedError("each report action declares act()")

    def get_success_url(self):
        return self.object.get_absolute_url()


class ReportRenderView(PostActionView):
    """Queue a render; the worker does the work. The page's script asks for JSON and gets the job
    (202, or the job already queued or running for this report); a plain form post is sent back
    to the report's render box."""

    queryset = Report.objects.all()

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        wants_json = "application/json" in request.headers.get("Accept", "")
        try:
            job = self.act()
        except DjangoValidationError as error:
            if wants_json:
                return JsonResponse(validation_error_body(error), status=400)
            message_validation_error(request, error)
            return HttpResponseRedirect(self.get_success_url())
        if wants_json:
            return JsonResponse(ReportRenderSerializer(job, context={"request": request}).data, status=202)
        if job.state == RenderState.FAILED:
            messages.error(request, job.message)
        else:
            messages.info(request, job.message)
        return HttpResponseRedirect(self.get_success_url())

    def act(self):
        source = None
        if self.request.POST.get("source_version"):
            source = get_object_or_404(
                ReportVersion.objects.filter(report=self.object), pk=self.request.POST["source_version"]
            )
        job = services.report_render_request(
            report=self.object, user=self.request.user, source_version=source
        )
        job.refresh_from_db()  # where tasks run in-process (the tests) the job has run already
        return job

    def get_success_url(self):
        return self.object.get_absolute_url() + "#render"


def validation_error_body(error: DjangoValidationError) -> dict:
    """A service's refusal in the API's error format, for the page's script."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    errors = [
        {"code": "invalid", "detail": str(message), "attr": None if field == NON_FIELD_ERRORS else field}
        for field, messages_ in by_field.items()
        for message in messages_
    ]
    return {"type": "validation_error", "errors": errors}


class RenderRetryView(PostActionView):
    queryset = ReportRender.objects.select_related("report")
    access_action = Action.ADD

    def act(self):
        services.report_render_retry(render=self.object, user=self.request.user)

    def get_success_url(self):
        return self.object.report.get_absolute_url() + "#render"


class ReportFinaliseView(TransitionView):
    """Finalise (publish) the report: the generic transition view, on reports."""

    queryset = Report.objects.all()
    access_action = Action.CHANGE
    action = FINALISE
    success_message = _("%(object)s is final.")


class ReportRecomposeView(PostActionView):
    queryset = Report.objects.all()

    def act(self):
        services.report_sections_sync(report=self.object, user=self.request.user)
        messages.success(
            self.request, _("The sections not edited by hand were composed again from the data.")
        )


class SectionResetView(PostActionView):
    queryset = ReportSection.objects.select_related("report")
    pk_url_kwarg = "section"

    def get_queryset(self):
        return super().get_queryset().filter(report_id=self.kwargs["pk"])

    def act(self):
        services.section_reset(section=self.object, user=self.request.user)
        messages.success(self.request, _("The section takes its text from the data again."))

    def get_success_url(self):
        return self.object.report.get_absolute_url() + f"#section-{self.object.pk}"


class ReportPreviewView(ObjectDetailView):
    """The report as the PDF will show it, from the same template. A draft is composed from the
    data now; a final report shows its latest version, as published."""

    queryset = Report.objects.all()

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        if report.is_final:
            version = report.versions.order_by("-number").first()
            if version is None:
                raise Http404
            snapshot = version.snapshot
            label = _("version %(number)s") % {"number": version.number}
        else:
            snapshot = build_snapshot(report)
            label = _("draft composed from the data now")
        html = render_html(
            snapshot, preview=True, extra={"preview_label": label, "back_url": report.get_absolute_url()}
        )
        return HttpResponse(html)


class VersionPreviewView(ObjectDetailView):
    """A kept version shown in the browser from its stored snapshot."""

    queryset = ReportVersion.objects.select_related("report")

    def get(self, request, *args, **kwargs):
        version = self.get_object()
        label = _("version %(number)s") % {"number": version.number}
        html = render_html(
            version.snapshot,
            preview=True,
            extra={"preview_label": label, "back_url": version.report.get_absolute_url()},
        )
        return HttpResponse(html)


class VersionFileView(ObjectDetailView):
    """Download a version's PDF or DOCX: files are never served from MEDIA_ROOT directly."""

    queryset = ReportVersion.objects.select_related("report")
    kind = "pdf"

    def get(self, request, *args, **kwargs):
        return version_file_response(self.get_object(), self.kind)


class VersionCompareView(RestrictedViewMixin, MultipleObjectMixin, TemplateView):
    """Two versions of a report compared paragraph by paragraph from their stored snapshots
    (``?v=<id>&v=<id>``, picked in the versions list); seen by whoever may see both versions."""

    queryset = ReportVersion.objects.select_related("report", "author")
    template_name = "reports/version_compare.html"

    def get(self, request, *args, **kwargs):
        picked = request.GET.getlist("v")
        if len(set(picked)) != 2 or not all(value.isdigit() for value in picked):
            report = get_object_or_404(Report.objects.restrict(request.user, Action.VIEW), pk=kwargs["pk"])
            messages.error(request, _("Pick two versions to compare."))
            return HttpResponseRedirect(report.get_absolute_url() + "#versions")
        versions = list(self.get_queryset().filter(report_id=kwargs["pk"], pk__in=picked).order_by("number"))
        if len(versions) != 2:
            raise Http404
        self.old, self.new = versions
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        differences = compare_snapshots(self.old.snapshot, self.new.snapshot)
        counts = {kind: sum(1 for d in differences if d.kind == kind) for kind in (ADDED, REMOVED, CHANGED)}
        return {
            **kwargs,
            "view": self,
            "report": self.old.report,
            "old": self.old,
            "new": self.new,
            "differences": differences,
            "counts": counts,
        }
