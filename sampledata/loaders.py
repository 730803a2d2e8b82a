"""The sample portfolio: each app contributes a loader, run in this order."""

from django.utils.module_loading import import_string

# Each entry is a function that loads one app's sample data (idempotent).
SAMPLE_LOADERS = [
    "parties.sample.load",
    "cases.sample.load",
    "workplans.sample.load",
    "budgets.sample.load",
    "cases.sample_results.load",
    "reports.sample.load",
    "decisions.sample.load",  # after reports: the SC78 report's draft decisions
]


def load_sample_portfolio() -> None:
    from parties.services import parties_load

    parties_load()
    for dotted in SAMPLE_LOADERS:
        import_string(dotted)()
