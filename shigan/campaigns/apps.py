from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "shigan.campaigns"
    label = "campaigns"
    verbose_name = "活动"
