from django.apps import AppConfig


class SampledataConfig(AppConfig):
    """Data that is not the Secretariat's: the SC78 sample portfolio (each app's ``sample.load``,
    run in order by :mod:`sampledata.loaders`), the demo users of the embedded default and the
    synthetic portfolio of the benchmarks (:mod:`sampledata.generator`). No models."""

    name = "sampledata"
