from django.apps import AppConfig


class GrassrootsConfig(AppConfig):
    name = "shigan.grassroots"
    label = "grassroots"
    verbose_name = "基层工作"

    def ready(self) -> None:
        from . import import_jobs  # noqa: F401 — registers the background import's runner
