"""Permission-matrix rows for donor statements (issue 16.1). Merged into MATRIX by
tests/security/matrix.py; see its docstring for the rules.

A statement is read as its legal instrument is: the Secretariat, the Party's focal points ("O"),
the donor observer where its donor funds the instrument ("D"); case managers produce statements;
nobody changes or deletes one. The probed statement is a finished one of the target Party's
instrument (funded by ``world.donor`` for the own Party, ``world.other_donor`` for the other).
"""

from tests.budgets import factories as ff

from .matrix import CASE_MANAGER, EVERYONE, Endpoint, r

STATEMENT_READERS = r("A", "A", "O", "O", "D")


def statement(world, target):
    from tests.statements.conftest import kept_statement

    return kept_statement(ff.instrument_for(world.party(target)), world.users["case_manager"])


def instrument(world, target):
    return ff.instrument_for(world.party(target))


STATEMENT_ROWS = {
    "api:statement-list": Endpoint(read=EVERYONE, write=CASE_MANAGER),
    # Read-only (like report versions); tests/statements/test_statements_access.py checks that
    # nobody changes or deletes a statement.
    "api:statement-detail": Endpoint(obj=statement, read=STATEMENT_READERS),
    "api:statement-history": Endpoint(obj=statement, read=STATEMENT_READERS),
    "api:statement-pdf": Endpoint(obj=statement, read=STATEMENT_READERS),
    "api:statement-xlsx": Endpoint(obj=statement, read=STATEMENT_READERS),
    "statements:statement_list": Endpoint(read=EVERYONE),
    "statements:statement_detail": Endpoint(obj=statement, read=STATEMENT_READERS),
    "statements:statement_pdf": Endpoint(obj=statement, read=STATEMENT_READERS),
    "statements:statement_xlsx": Endpoint(obj=statement, read=STATEMENT_READERS),
    "statements:instrument_statements": Endpoint(obj=instrument, read=STATEMENT_READERS),
    "statements:statement_request": Endpoint(obj=instrument, write=CASE_MANAGER),
}
