"""A user's own API tokens."""

urlpatterns = []
