from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "shigan.supervision"
    label = "supervision"
    verbose_name = "督查"
