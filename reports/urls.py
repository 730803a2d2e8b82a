from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("add/", views.ReportEditView.as_view(), name="report_add"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/edit/", views.ReportEditView.as_view(), name="report_edit"),
    path("<int:pk>/delete/", views.ReportDeleteView.as_view(), name="report_delete"),
    path("<int:pk>/preview/", views.ReportPreviewView.as_view(), name="report_preview"),
    path("<int:pk>/render/", views.ReportRenderView.as_view(), name="report_render"),
    path("<int:pk>/finalise/", views.ReportFinaliseView.as_view(), name="report_finalise"),
    path("<int:pk>/compare/", views.VersionCompareView.as_view(), name="version_compare"),
    path("<int:pk>/recompose/", views.ReportRecomposeView.as_view(), name="report_recompose"),
    path("<int:pk>/sections/<int:section>/edit/", views.SectionEditView.as_view(), name="section_edit"),
    path("<int:pk>/sections/<int:section>/reset/", views.SectionResetView.as_view(), name="section_reset"),
    path("renders/<int:pk>/retry/", views.RenderRetryView.as_view(), name="render_retry"),
    path("versions/<int:pk>/", views.VersionPreviewView.as_view(), name="version_preview"),
    path("versions/<int:pk>/pdf/", views.VersionFileView.as_view(kind="pdf"), name="version_pdf"),
    path("versions/<int:pk>/docx/", views.VersionFileView.as_view(kind="docx"), name="version_docx"),
]
