from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "shigan.directives"
    label = "directives"
    verbose_name = "上级文件与交办"
