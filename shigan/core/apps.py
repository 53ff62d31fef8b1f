from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shigan.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from . import chain, models

        models.AUDIT_SAVED_HOOKS.append(chain.link_entries)
