"""Permission-matrix rows for the cases, workplans (with funding) and reports apps.
Merged into MATRIX by tests/security/matrix.py; see its docstring for the rules."""

APP_ROWS: dict = {}
