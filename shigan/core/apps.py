from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shigan.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from . import chain, clock, middleware, models, text

        text.install()
        clock.install_demo_clock()

        models.AUDIT_SAVED_HOOKS.append(chain.link_entries)
        post_migrate.connect(chain.seal_after_migrate, sender=self, dispatch_uid="shigan_seal")
        user_logged_in.connect(middleware.session_seen_at_login, dispatch_uid="shigan_seen")
