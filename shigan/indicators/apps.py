from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "shigan.indicators"
    label = "indicators"
    verbose_name = "指标"

    def ready(self) -> None:
        from . import import_jobs  # noqa: F401 — registers the background import's runner
