from django.apps import AppConfig


class RolloverConfig(AppConfig):
    name = "shigan.rollover"
    label = "rollover"
    verbose_name = "年度结转"
