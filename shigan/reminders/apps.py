from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "shigan.reminders"
    label = "reminders"
    verbose_name = "消息与催报"
