from . import views

# Registered on the portal's one router in cap_portal/api/urls.py.
routes = [
    ("reports", views.ReportViewSet, "report"),
    ("report-sections", views.ReportSectionViewSet, "report-section"),
    ("report-renders", views.ReportRenderViewSet, "report-render"),
    ("report-versions", views.ReportVersionViewSet, "report-version"),
]
