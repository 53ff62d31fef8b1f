from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "shigan.reminders"
    label = "reminders"
    verbose_name = "消息与催报"

    def ready(self) -> None:
        from shigan.directives.signals import handdown_event

        from .services.handdowns import on_handdown_event

        # A hand-down arrived at or withdrawn from a district: its coordinators' inbox.
        handdown_event.connect(on_handdown_event, dispatch_uid="shigan_handdown_messages")
