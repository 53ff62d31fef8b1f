from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "shigan.reports"
    label = "reports"
    verbose_name = "总结报告"
