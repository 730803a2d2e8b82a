from . import views

# Registered on the portal's one router in cap_portal/api/urls.py.
routes = [
    ("workplans", views.WorkplanViewSet, "workplan"),
    ("activities", views.ActivityViewSet, "activity"),
    ("milestones", views.MilestoneViewSet, "milestone"),
    ("indicators", views.IndicatorViewSet, "indicator"),
    ("indicator-values", views.IndicatorValueViewSet, "indicatorvalue"),
    ("progress-updates", views.ProgressUpdateViewSet, "progressupdate"),
    ("events", views.EventViewSet, "event"),
    ("deliverables", views.DeliverableViewSet, "deliverable"),
    ("corrective-actions", views.CorrectiveActionViewSet, "correctiveaction"),
]
