from django.apps import AppConfig


class TimebankConfig(AppConfig):
    name = "shigan.timebank"
    label = "timebank"
    verbose_name = "时间存折"

    def ready(self) -> None:
        from . import import_jobs  # noqa: F401 — registers the background import's runner
