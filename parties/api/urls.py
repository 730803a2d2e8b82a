from . import views

# Registered on the portal's one router in cap_portal/api/urls.py.
routes = [
    ("parties", views.PartyViewSet, "party"),
    ("authorities", views.AuthorityViewSet, "authority"),
    ("contacts", views.ContactViewSet, "contact"),
    ("donors", views.DonorViewSet, "donor"),
]
