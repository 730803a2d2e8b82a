"""Permission-matrix rows for the dashboard slice (issue 7). Merged into MATRIX by
tests/security/matrix.py; see its docstring for the rules.

- the attention list is open to every signed-in user: each item comes from a restricted
  queryset, so a donor observer sees what their donor funds and a focal point their Party's;
- the notification log is the Secretariat's and the Parties' focal points' (their Party's
  notifications); donor observers receive no reminders (403);
- posting a comment: case managers on any CAP case, focal points on their own Party's (404 on
  another's); the Secretariat viewer reads only, donor observers see no CAP case (403).
"""

from tests.workplans.factories import cap_case_for

from .matrix import EVERYONE, SECRETARIAT_AND_PARTY, Endpoint, r


def cap_case(world, target):
    return cap_case_for(world.party(target))


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
}
