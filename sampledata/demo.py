"""Demo users, one per role, for the embedded default and the browser tests."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cap_portal.access import Role
from parties.models import Donor, Party
from parties.services import role_assign, user_create

DEMO_PASSWORD = "cap-demo-2025"

# username, first, last, role, Party code (Party roles) or donor short name (donor observers)
DEMO_USERS = [
    ("casemanager", "Clara", "Moreau", Role.CASE_MANAGER, None),
    ("viewer", "Samuel", "Keller", Role.SECRETARIAT_VIEWER, None),
    ("ma.togo", "Komlan", "Agbeko", Role.MA_FOCAL_POINT, "TG"),
    ("sa.togo", "Afi", "Mensah", Role.SA_FOCAL_POINT, "TG"),
    ("donor.eu", "Eva", "Lindqvist", Role.DONOR_OBSERVER, "EU"),
]


def load_demo_users() -> list[tuple[str, str, str]]:
    """Create (or reset) the demo users; returns (username, password, role label) rows.
    Refused unless ``settings.DEMO_DATA_ALLOWED`` (the embedded default and the tests)."""
    if not settings.DEMO_DATA_ALLOWED:
        raise ImproperlyConfigured("Demo users (published password) are refused by these settings.")
    rows = []
    for username, first, last, role, code in DEMO_USERS:
        user = user_create(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.example.org",
        )
        if role == Role.DONOR_OBSERVER:
            role_assign(user=user, role=role, donor=Donor.objects.get(short_name=code))
        else:
            role_assign(user=user, role=role, party=Party.objects.get(code=code) if code else None)
        label = str(Role(role).label) + (f" ({code})" if code else "")
        rows.append((username, DEMO_PASSWORD, label))
    return rows
