"""Permission-matrix rows for the IATI publication (iati/). Merged into MATRIX by
tests/security/matrix.py; see its docstring for the rules.

The file's URL is probed for the whole portfolio (no query string): the Secretariat's only. Its
other scopes (a donor's share, one CAP case) are probed role by role in tests/iati/test_iati_access.py.
"""

from .matrix import CASE_MANAGER, EVERYONE, SECRETARIAT, Endpoint


def funded_portfolio(world, target):
    """A funded CAP case of the target Party, so that the portfolio has an activity (the probe's
    URL takes no object)."""
    from tests.iati.factories import funded_case

    return funded_case(world.party(target))["cap_case"]


def exclusion(world, target):
    """The target Party's CAP case kept out of publication."""
    from iati.services import publication_exclude

    cap_case = funded_portfolio(world, target)
    return publication_exclude(
        user=world.users["case_manager"], kind="capcase", object_id=cap_case.pk, reason="Probe."
    )


IATI_ROWS = {
    "iati:publication": Endpoint(read=EVERYONE),
    "iati:activities": Endpoint(obj=funded_portfolio, kwargs=lambda obj: {}, read=SECRETARIAT),
    "api:iati-activities-list": Endpoint(obj=funded_portfolio, kwargs=lambda obj: {}, read=SECRETARIAT),
    "iati:exclusion_add": Endpoint(read=CASE_MANAGER, write=CASE_MANAGER),
    "iati:exclusion_delete": Endpoint(obj=exclusion, read=CASE_MANAGER, write=CASE_MANAGER),
}
