from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "shigan.orgs"
    label = "orgs"
    verbose_name = "组织"
