from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shigan.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import chain, middleware, models

        models.AUDIT_SAVED_HOOKS.append(chain.link_entries)
        user_logged_in.connect(middleware.session_seen_at_login, dispatch_uid="shigan_seen")
