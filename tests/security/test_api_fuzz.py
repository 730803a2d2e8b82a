"""API fuzzing with schemathesis against the portal's own OpenAPI schema, for each role.

For every operation in /api/schema/, schemathesis generates requests (schema-valid and not) and
checks every response: no server error, status code documented, body and content type as the
schema says, valid input accepted. The sample portfolio is loaded so that ids and codes hit real
rows. One test per role runs every operation inside one database transaction (rolled back after).
"""

import uuid

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import ignored_auth, positive_data_acceptance

from accounts.tokens import token_create
from cap_portal.wsgi import application

FUZZ_ROLES = ["case_manager", "secretariat_viewer", "ma_focal_point", "sa_focal_point", "donor_observer"]
MAX_EXAMPLES = 10

EXCLUDED_CHECKS = [
    # Every request carries this role's valid token on purpose; refusing anonymous and foreign
    # requests is the permission matrix's job (test_permission_matrix.py).
    ignored_auth,
    # "Schema-valid data must be accepted" cannot hold for business rules OpenAPI cannot state:
    # unique names, references to rows that exist, end after start, workflow states. Those
    # answer 400 with the field named, which the schema documents.
    positive_data_acceptance,
]


def load_schema():
    """The same document /api/schema/ serves, generated in-process."""
    return schemathesis.openapi.from_dict(
        SchemaGenerator(api_version="1").get_schema(request=None, public=True)
    )


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly fires request_started/finished, whose handler would close
    the test's database connection mid-transaction (Django's test client disconnects it too)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("role", FUZZ_ROLES)
def test_api_conforms_to_its_schema(role, world, keep_test_connection):
    """No 5xx and no response that breaks the schema, whatever the input, for this role."""
    call_command("load_sample_data", verbosity=0)
    user = world.users[role]
    failures, cases = [], 0

    for result in load_schema().get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,  # the same requests every run: CI results are reproducible
            phases=[Phase.explicit, Phase.generate],  # no shrinking: report the first failure fast
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            nonlocal cases
            cases += 1
            # A token of its own for each request: the fuzzer may well revoke the token it is
            # using (POST /api/v1/tokens/{id}/revoke/ is a valid request), which must not turn
            # every later request into a 401.
            _token, secret = token_create(user=user, name=f"fuzz {uuid.uuid4().hex}")
            response = case.call(app=application, headers={"Authorization": f"Token {secret}"})
            case.validate_response(response, excluded_checks=EXCLUDED_CHECKS)

        try:
            check()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # schemathesis raises exception groups; collect them all
            failures.append((operation.label, f"{operation.label}: {error!r}"[:3000]))

    print(f"fuzz[{role}]: {cases} cases, {len(failures)} failures")
    assert cases > 0
    assert not failures, "\n\n".join(message for _, message in failures)
