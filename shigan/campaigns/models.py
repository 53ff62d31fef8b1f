from django.core.exceptions import ValidationError
from django.db import models

from shigan.core.models import TimeStamped
from shigan.orgs.models import LeadingGroup, Unit


class Campaign(TimeStamped):
    """A year-long campaign (活动), e.g. 2023 作风建设“实干年”, with its plan and phases."""

    year = models.PositiveIntegerField("年度")
    name = models.CharField("活动名称", max_length=100)
    slogan = models.CharField("口号", max_length=200, blank=True)
    organiser = models.ForeignKey(
        Unit, verbose_name="主办单位", on_delete=models.PROTECT, related_name="campaigns"
    )
    leading_group = models.ForeignKey(
        LeadingGroup,
        verbose_name="领导小组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
    )
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    # A mirror of another installation's campaign (shigan.exchange): read here, never this
    # installation's current campaign (campaigns.queries.campaign_current).
    mirror = models.BooleanField("数据交换镜像", default=False, editable=False)

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        ordering = ["-year", "-start_date", "-id"]  # as campaigns.queries.campaign_current

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"

    @property
    def with_organiser(self) -> str:
        """Its name with the level that organises it, for a list mixing levels:
        2023年实干年（高新区）. Reads organiser__district (select it with the campaign)."""
        level = self.organiser.district or self.organiser
        return f"{self}（{level.label}）"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "结束日期不能早于开始日期。"})


class PlanSectionKind(models.TextChoices):
    GUIDING_IDEA = "guiding_idea", "指导思想"
    KEY_POINTS = "key_points", "落实重点"
    GOALS = "goals", "目标任务"
    MEASURES = "measures", "主要措施"
    ORGANISATION = "organisation", "组织保障"


class PlanSection(TimeStamped):
    """One section of the campaign's plan (实施方案)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.CASCADE, related_name="plan_sections"
    )
    kind = models.CharField("章节", max_length=16, choices=PlanSectionKind.choices)
    body = models.TextField("内容")

    class Meta:
        verbose_name = "实施方案章节"
        verbose_name_plural = "实施方案章节"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="uniq_plan_section")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Phase(models.Model):
    """A phase of the campaign (动员部署, 组织实施, 总结提升 …)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.CASCADE, related_name="phases"
    )
    name = models.CharField("阶段", max_length=50)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "活动阶段"
        verbose_name_plural = "活动阶段"
        ordering = ["sort_order", "start_date"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "结束日期不能早于开始日期。"})
