"""Permission-matrix rows for the dashboard slice (issue 7). Merged into MATRIX by
tests/security/matrix.py; see its docstring for the rules.

- the attention list is open to every signed-in user: each item comes from a restricted
  queryset, so a donor observer sees what their donor funds and a focal point their Party's;
- the notification log is the Secretariat's and the Parties' focal points' (their Party's
  notifications); donor observers receive no reminders (403);
- posting a comment: case managers on any CAP case, focal points on their own Party's (404 on
  another's); the Secretariat viewer reads only, donor observers see no CAP case (403);
- each person's inbox, settings and their notifications in the API are their own: another
  person's notification answers 404 to everyone; comments in the API follow the page's rules.
"""

from tests.workplans.factories import cap_case_for

from .matrix import EVERYONE, SECRETARIAT_AND_PARTY, Endpoint, r

NOBODY_ELSE = r("H", "H", "H", "H", "H")


def cap_case(world, target):
    return cap_case_for(world.party(target))


def someone_elses_notification(world, target):
    """A notification of a person who holds no role, about the target Party."""
    from django.utils import timezone

    from parties.services import user_create
    from portfolio.models import Notification, NotificationKind

    person = user_create(username=f"told-{target}-{Notification.objects.count()}", password="unused-Pa55word")
    return Notification.objects.create(
        recipient=person,
        party=world.party(target),
        kind=NotificationKind.WORKPLAN_RETURNED,
        subject="Workplan returned",
        body="Returned.",
        sent_at=timezone.now(),
        key=f"probe-{person.pk}",
    )


def shared_comment(world, target):
    from portfolio.models.comments import comment_post

    return comment_post(
        target=cap_case(world, target), body="Probe", visibility="shared", user=world.users["case_manager"]
    )


DASHBOARD_ROWS = {
    "portfolio:attention": Endpoint(read=EVERYONE),
    "portfolio:notification_list": Endpoint(read=SECRETARIAT_AND_PARTY),
    "portfolio:comment_add": Endpoint(
        obj=cap_case,
        kwargs=lambda obj: {"pk": obj.pk},
        read=None,
        write=r("A", "N", "O", "O", "N"),
        write_data={"body": "Matrix probe", "visibility": "shared"},
    ),
    "notifications:inbox": Endpoint(read=EVERYONE),
    "notifications:read_all": Endpoint(read=None, write=EVERYONE),
    "notifications:read": Endpoint(obj=someone_elses_notification, read=None, write=NOBODY_ELSE),
    "notifications:preferences": Endpoint(read=EVERYONE, write=EVERYONE),
    "api:notification-list": Endpoint(read=EVERYONE),
    "api:notification-detail": Endpoint(obj=someone_elses_notification, read=NOBODY_ELSE),
    "api:notification-read": Endpoint(obj=someone_elses_notification, read=None, write=NOBODY_ELSE),
    "api:notification-read-all": Endpoint(read=None, write=EVERYONE),
    # Posting with no body answers 400 to who may post; 403 to the viewer and donor observers.
    "api:comment-list": Endpoint(read=SECRETARIAT_AND_PARTY, write=r("A", "N", "A", "A", "N")),
    "api:comment-detail": Endpoint(obj=shared_comment, read=SECRETARIAT_AND_PARTY),
    "api:comment-history": Endpoint(obj=shared_comment, read=SECRETARIAT_AND_PARTY),
}
