from django.apps import AppConfig


class MonthlyConfig(AppConfig):
    name = "shigan.monthly"
    label = "monthly"
    verbose_name = "月度填报"
