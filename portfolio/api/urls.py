from . import views

# Registered on the portal's one router in cap_portal/api/urls.py.
routes = [
    ("comments", views.CommentViewSet, "comment"),
    ("notifications", views.NotificationViewSet, "notification"),
]
