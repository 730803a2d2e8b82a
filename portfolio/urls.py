from django.urls import path

from . import views

app_name = "portfolio"
urlpatterns = [
    path("attention/", views.AttentionView.as_view(), name="attention"),
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path("cap-cases/<int:pk>/comments/", views.CommentCreateView.as_view(), name="comment_add"),
]
