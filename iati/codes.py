"""The few IATI 2.03 codes the export uses (IATI codelists, https://iatistandard.org/en/iati-standard/203/codelists/).
Why each is chosen is in docs/iati.md."""

from cases.choices import CapStage

VERSION = "2.03"

# ActivityStatus: a CAP case's stage as of the file's date.
PIPELINE, IMPLEMENTATION, FINALISATION, CLOSED, CANCELLED = "1", "2", "3", "4", "5"
ACTIVITY_STATUS = {
    CapStage.CANDIDATE: PIPELINE,
    CapStage.LONG_LIST: PIPELINE,
    CapStage.SHORT_LIST: PIPELINE,
    CapStage.SELECTED: PIPELINE,
    CapStage.IN_IMPLEMENTATION: IMPLEMENTATION,
    CapStage.CLOSING: FINALISATION,
    CapStage.CLOSED: CLOSED,
    CapStage.NOT_SELECTED: CANCELLED,
}

# ActivityDateType.
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"

# OrganisationRole.
FUNDING, EXTENDING, IMPLEMENTING = "1", "3", "4"

# The ISO code CITES gives the European Union, a Party that is a regional organisation.
EUROPEAN_UNION = "EU"

# OrganisationType.
GOVERNMENT = "10"
MULTILATERAL = "40"

# TransactionType (no disbursement, 3: why in docs/iati.md).
INCOMING_FUNDS, OUTGOING_COMMITMENT, EXPENDITURE = "1", "2", "4"

# BudgetType and BudgetStatus.
BUDGET_ORIGINAL, BUDGET_REVISED = "1", "2"
BUDGET_INDICATIVE, BUDGET_COMMITTED = "1", "2"

# DescriptionType: general.
DESCRIPTION_GENERAL = "1"

# ResultType: output (what the workplan's activities deliver).
RESULT_OUTPUT = "1"

# IndicatorMeasure.
MEASURE_UNIT, MEASURE_PERCENTAGE = "1", "2"

# The XML namespace of xml:lang.
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
