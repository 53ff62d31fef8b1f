from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shigan.api"
    label = "api"
    verbose_name = "接口"
