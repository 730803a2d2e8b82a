"""People, roles and invitations (case managers)."""

urlpatterns = []
