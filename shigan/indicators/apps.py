from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "shigan.indicators"
    label = "indicators"
    verbose_name = "指标"
