from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "shigan.meetings"
    label = "meetings"
    verbose_name = "会议"
