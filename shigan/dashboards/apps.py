from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "shigan.dashboards"
    label = "dashboards"
    verbose_name = "挂图作战"
