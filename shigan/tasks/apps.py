from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "shigan.tasks"
    label = "tasks"
    verbose_name = "任务"

    def ready(self) -> None:
        from . import import_jobs  # noqa: F401 — registers the background import's runner
