from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "shigan.tasks"
    label = "tasks"
    verbose_name = "任务"
