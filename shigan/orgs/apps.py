from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "shigan.orgs"
    label = "orgs"
    verbose_name = "组织"

    def ready(self) -> None:
        from shigan.core.chain import register_district_resolver

        from . import import_jobs  # noqa: F401 — registers the background import's runner
        from .chain_districts import districts_of_users

        register_district_resolver(districts_of_users)
