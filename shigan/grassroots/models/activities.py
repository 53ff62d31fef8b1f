"""Practice activities (实践活动) and their events."""

from django.conf import settings
from django.db import models

from shigan.campaigns.models import Campaign
from shigan.core.models import TimeStamped
from shigan.orgs.models import Unit

from .visits import Visit


class PracticeActivity(models.Model):
    """One of the campaign's named practice activities, e.g. 红色屋场, 美好环境与幸福生活共同缔造."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.CASCADE, related_name="practice_activities"
    )
    name = models.CharField("实践活动", max_length=100)
    description = models.TextField("说明", blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "实践活动"
        verbose_name_plural = "实践活动"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="practice_activity_unique")
        ]

    def __str__(self) -> str:
        return self.name


class PracticeEvent(TimeStamped):
    """One event of a practice activity: when, where, organised by whom, how many took part and
    how many benefited (counted by activity, unit and month — never a ranking of people)."""

    activity = models.ForeignKey(
        PracticeActivity, verbose_name="实践活动", on_delete=models.PROTECT, related_name="events"
    )
    date = models.DateField("日期")
    place = models.CharField("地点", max_length=100)
    organiser = models.ForeignKey(
        Unit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="practice_events"
    )
    participants = models.PositiveIntegerField("参与人数")
    beneficiaries = models.PositiveIntegerField("受益群众（人次）", default=0)
    summary = models.TextField("活动内容")
    visit = models.ForeignKey(
        Visit,
        verbose_name="关联走访",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_events",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "实践活动开展情况"
        verbose_name_plural = "实践活动开展情况"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.activity}"
