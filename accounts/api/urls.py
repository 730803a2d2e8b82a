from . import views

# Registered on the portal's one router in cap_portal/api/urls.py.
routes = [
    ("invitations", views.InvitationViewSet, "invitation"),
    ("role-assignments", views.RoleAssignmentViewSet, "roleassignment"),
    ("people", views.PersonViewSet, "person"),
]
