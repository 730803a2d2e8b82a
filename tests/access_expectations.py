"""The expected access to every model, per action and role: one table, written out by hand.

It is never read from the access policies it checks (``cap_portal/access.py`` and each model's
``access_policy``): a change to a policy must fail a test until this table is changed too.

Two kinds of test read it:
- the CRUD mixins (tests/mixins.py): a test class names its ``model`` and gets
  ``EXPECTED[model._meta.label]`` as its ``access``;
- the permission matrix (tests/security/matrix*.py): the rows of a model's API list, detail and
  history and of its UI list, detail, edit and delete pages are made from the same entry by
  ``matrix.crud_rows()``. Rows for URLs that are not plain CRUD (workflow steps, exports,
  downloads, add pages under a parent, other pages) stay written out in the matrix.

Rules, per signed-in role (anonymous users are always refused):
  ``ALL``   every Party's object;
  ``OWN``   the own Party's object only: another Party's is hidden (404), and a write into
            another Party is refused (400 on the Party field);
  ``NONE``  never: 403, whatever the Party.
The world (tests/conftest.py) gives focal points Togo as their own Party, and makes the donor
observer's donor (EU) fund Togo's records only, so a donor observer's ``OWN`` reads "what its
donor funds".
"""

ALL, OWN, NONE = "all", "own", "none"
SIGNED_IN_ROLES = ["case_manager", "secretariat_viewer", "ma_focal_point", "sa_focal_point", "donor_observer"]
ACTIONS = ("view", "add", "change", "delete")


def by_role(case_manager: str, secretariat_viewer: str, ma: str, sa: str, donor: str) -> dict[str, str]:
    """The rule of each signed-in role, in the order of SIGNED_IN_ROLES."""
    rules = (case_manager, secretariat_viewer, ma, sa, donor)
    return dict(zip(SIGNED_IN_ROLES, rules, strict=True))


EVERYONE = by_role(ALL, ALL, ALL, ALL, ALL)
CASE_MANAGERS = by_role(ALL, NONE, NONE, NONE, NONE)
SECRETARIAT = by_role(ALL, ALL, NONE, NONE, NONE)
# The Secretariat, and the Party's own focal points.
SECRETARIAT_AND_PARTY = by_role(ALL, ALL, OWN, OWN, NONE)
# ... and the donor observer, for what its donor funds.
FUNDED_READERS = by_role(ALL, ALL, OWN, OWN, OWN)
# Who maintains a Party's registry entries and plans: case managers, the Party's MA focal point.
PLANNERS = by_role(ALL, NONE, OWN, NONE, NONE)
# Who reports progress: case managers and both of the Party's focal points.
REPORTERS = by_role(ALL, NONE, OWN, OWN, NONE)


def crud(view: dict, write: dict) -> dict[str, dict[str, str]]:
    """``view`` for reading; ``write`` for adding, changing and deleting."""
    return {"view": view, "add": write, "change": write, "delete": write}


EXPECTED: dict[str, dict[str, dict[str, str]]] = {
    # Parties registry: public to every signed-in user, kept by case managers; a Party's
    # authorities and contacts are also kept by its MA focal point.
    "parties.Party": crud(EVERYONE, CASE_MANAGERS),
    "parties.Donor": crud(EVERYONE, CASE_MANAGERS),
    "parties.Authority": crud(SECRETARIAT_AND_PARTY, PLANNERS),
    "parties.Contact": crud(SECRETARIAT_AND_PARTY, PLANNERS),
    # Compliance: reference data public, a Party's record for the Secretariat and the Party,
    # the desk review (eligibility) for the Secretariat only; case managers write all of it.
    "cases.Meeting": crud(EVERYONE, CASE_MANAGERS),
    "cases.ComplianceMechanism": crud(EVERYONE, CASE_MANAGERS),
    "cases.ComplianceCase": crud(SECRETARIAT_AND_PARTY, CASE_MANAGERS),
    "cases.Recommendation": crud(SECRETARIAT_AND_PARTY, CASE_MANAGERS),
    "cases.ComplianceMeasure": crud(SECRETARIAT_AND_PARTY, CASE_MANAGERS),
    "cases.ProgressRating": crud(SECRETARIAT_AND_PARTY, CASE_MANAGERS),
    "cases.CapCase": crud(SECRETARIAT_AND_PARTY, CASE_MANAGERS),
    "cases.TechnicalMission": crud(SECRETARIAT_AND_PARTY, CASE_MANAGERS),
    "cases.Stakeholder": crud(SECRETARIAT_AND_PARTY, CASE_MANAGERS),
    # Results: recorded by case managers and the Party's own focal points, read by the Secretariat
    # and the Party; accepted by a case manager (a workflow step, rows in the matrix).
    "cases.Result": crud(SECRETARIAT_AND_PARTY, REPORTERS),
    "cases.EligibilityAssessment": crud(SECRETARIAT, CASE_MANAGERS),
    # Workplans: the plan and its content are read by donors funding the CAP case too; events
    # and deliverables of the case are not. The SA focal point reports progress.
    "workplans.Workplan": crud(FUNDED_READERS, PLANNERS),
    "workplans.Activity": crud(FUNDED_READERS, PLANNERS),
    "workplans.Milestone": crud(FUNDED_READERS, PLANNERS),
    "workplans.Indicator": crud(FUNDED_READERS, PLANNERS),
    "workplans.IndicatorValue": crud(FUNDED_READERS, PLANNERS),
    "workplans.CorrectiveAction": crud(FUNDED_READERS, PLANNERS),
    "workplans.Event": crud(SECRETARIAT_AND_PARTY, PLANNERS),
    "workplans.Deliverable": crud(SECRETARIAT_AND_PARTY, PLANNERS),
    "workplans.ProgressUpdate": crud(SECRETARIAT_AND_PARTY, REPORTERS),
    # Budgets: funding sources are the donors' public records; agreements, extensions and
    # installments are the case managers'; budget lines and expenditure also the MA focal point's.
    "budgets.FundingSource": crud(EVERYONE, CASE_MANAGERS),
    "budgets.LegalInstrument": crud(FUNDED_READERS, CASE_MANAGERS),
    "budgets.NoCostExtension": crud(FUNDED_READERS, CASE_MANAGERS),
    "budgets.Installment": crud(FUNDED_READERS, CASE_MANAGERS),
    "budgets.BudgetLine": crud(FUNDED_READERS, PLANNERS),
    "budgets.Expenditure": crud(FUNDED_READERS, PLANNERS),
    # Reports are global (no Party). For a *final* report, which every signed-in user reads;
    # drafts are the Secretariat's (their matrix rows and tests/reports check that).
    "reports.Report": crud(EVERYONE, CASE_MANAGERS),
    # The decisions register is reference data (adopted decisions, public); a report's draft
    # decisions follow their report (the Secretariat's until it is final: tests/decisions checks it).
    "decisions.Decision": crud(EVERYONE, CASE_MANAGERS),
    # People: who holds which role, and the invitations to take one, are the Secretariat's to
    # read and the case managers' to write (tests/accounts checks the People pages too).
    "parties.RoleAssignment": crud(SECRETARIAT, CASE_MANAGERS),
    "accounts.Invitation": crud(SECRETARIAT, CASE_MANAGERS),
}


def expected_access(model) -> dict[str, dict[str, str]]:
    """The table's entry for a model class."""
    label = model._meta.label
    assert label in EXPECTED, f"write the expected access to {label} in tests/access_expectations.py"
    return EXPECTED[label]
