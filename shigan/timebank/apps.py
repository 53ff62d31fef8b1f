from django.apps import AppConfig


class TimebankConfig(AppConfig):
    name = "shigan.timebank"
    label = "timebank"
    verbose_name = "时间存折"
