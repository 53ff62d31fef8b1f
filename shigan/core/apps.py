from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shigan.core"
    label = "core"
    verbose_name = "基础"
