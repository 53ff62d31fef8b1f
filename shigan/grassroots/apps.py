from django.apps import AppConfig


class GrassrootsConfig(AppConfig):
    name = "shigan.grassroots"
    label = "grassroots"
    verbose_name = "基层工作"
