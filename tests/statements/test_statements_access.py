"""Who sees and produces donor statements (issue 16, Access): case managers produce; Secretariat
viewers read; a donor observer reads the statements of what its donor funds (another donor's:
404); focal points read their own Party's (another Party's: 404). The world's donor (EU) funds
the own Party (Togo), the other donor (Switzerland) the other Party (Nigeria)."""

import pytest
from django.urls import reverse

from statements.models import DonorStatement

from .conftest import kept_statement

pytestmark = pytest.mark.django_db

ROLES = ["case_manager", "secretariat_viewer", "ma_focal_point", "sa_focal_point", "donor_observer"]
# What each role may read: every statement, or only its own Party's / its donor's.
READS = {
    "case_manager": "all",
    "secretariat_viewer": "all",
    "ma_focal_point": "own",
    "sa_focal_point": "own",
    "donor_observer": "own",
}


@pytest.fixture
def statements(world, own_instrument, other_instrument):
    manager = world.users["case_manager"]
    return {
        "own": kept_statement(own_instrument, manager),
        "other": kept_statement(other_instrument, manager),
    }


def _status(rule: str, target: str) -> int:
    return 200 if rule == "all" or target == "own" else 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("target", ["own", "other"])
def test_reading_a_statement_and_its_files(role, target, world, statements, client, api_client):
    """The page, the API record and both files answer 200 where the role reads the statement,
    404 elsewhere (never 403: the statement exists only for those who may see it)."""
    statement = statements[target]
    assert statement.state == "done", statement.message
    expected = _status(READS[role], target)
    client.force_login(world.users[role])
    api_client.force_authenticate(world.users[role])
    for url in (statement.get_absolute_url(), statement.get_pdf_url(), statement.get_xlsx_url()):
        assert client.get(url).status_code == expected, url
    for name in ("api:statement-detail", "api:statement-pdf", "api:statement-xlsx"):
        url = reverse(name, kwargs={"pk": statement.pk})
        assert api_client.get(url).status_code == expected, url
    page = client.get(reverse("statements:instrument_statements", kwargs={"pk": statement.instrument_id}))
    assert page.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_list_holds_what_the_role_reads(role, world, statements, api_client, client):
    api_client.force_authenticate(world.users[role])
    listed = {row["id"] for row in api_client.get(reverse("api:statement-list")).json()["results"]}
    expected = {statements["own"].pk} if READS[role] == "own" else {s.pk for s in statements.values()}
    assert listed == expected
    client.force_login(world.users[role])
    page = client.get(reverse("statements:statement_list")).content.decode()
    for target, statement in statements.items():
        assert (f'id="statement-{statement.pk}"' in page) == (statement.pk in expected), target


@pytest.mark.parametrize("role", ROLES[1:])
def test_only_case_managers_produce_statements(role, world, own_instrument, api_client, client):
    """Every other role: 403 on the API and on the form, and nothing is written."""
    api_client.force_authenticate(world.users[role])
    response = api_client.post(
        reverse("api:statement-list"), {"instrument": own_instrument.pk}, format="json"
    )
    assert response.status_code == 403
    client.force_login(world.users[role])
    response = client.post(reverse("statements:statement_request", kwargs={"pk": own_instrument.pk}), {})
    assert response.status_code == 403
    page = client.get(reverse("statements:instrument_statements", kwargs={"pk": own_instrument.pk}))
    assert b'id="statement-form"' not in page.content
    assert not DonorStatement.objects.exists()


def test_anonymous_users_are_sent_to_sign_in(statements, client, api_client):
    statement = statements["own"]
    assert api_client.get(reverse("api:statement-detail", kwargs={"pk": statement.pk})).status_code == 401
    response = client.get(statement.get_pdf_url())
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_a_statement_cannot_be_changed_or_deleted(role, world, statements, api_client):
    """A statement is what was sent to the donor: kept as it is, whoever asks (no role may ever
    change or delete one: 403)."""
    api_client.force_authenticate(world.users[role])
    url = reverse("api:statement-detail", kwargs={"pk": statements["own"].pk})
    assert api_client.patch(url, {"language": "fr"}, format="json").status_code == 403
    assert api_client.delete(url).status_code == 403
    assert DonorStatement.objects.get(pk=statements["own"].pk).language == "en"
