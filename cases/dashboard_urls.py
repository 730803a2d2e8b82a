from django.urls import path

from . import dashboard_views

app_name = "dashboard"
urlpatterns = [
    path("attention/", dashboard_views.AttentionView.as_view(), name="attention"),
    path("notifications/", dashboard_views.NotificationListView.as_view(), name="notification_list"),
    path("cap-cases/<int:pk>/comments/", dashboard_views.CommentCreateView.as_view(), name="comment_add"),
]
