import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from shigan.core.corrections import (
    Correctable,
    corrects_field,
    reason_constraint,
    reason_field,
)
from shigan.core.models import TimeStamped
from shigan.orgs.models import Unit, district_of_unit

from .indicators import MONTH_RANGE

MONEY = {"max_digits": 14, "decimal_places": 2}


class KeyEnterprise(TimeStamped):
    """A key enterprise (重点企业) the district follows, with its monthly figures."""

    name = models.CharField("企业名称", max_length=100)
    industry = models.CharField("所属行业", max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name="联系单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_enterprises",
    )
    notes = models.TextField("备注", blank=True)
    district = models.ForeignKey(
        Unit,
        verbose_name="所属区县",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="district_enterprises",
        help_text="有联系单位时取联系单位所属区县",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "重点企业"
        verbose_name_plural = "重点企业"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="uniq_enterprise_name_in_district"
            )
        ]

    def save(self, *args, **kwargs):
        """Enterprise names are unique within a district: its contact unit's, else the one
        given."""
        if self.unit_id is not None:
            self.district_id = district_of_unit(self.unit_id)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "district"}
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name


class EnterpriseFigure(TimeStamped):
    """A key enterprise's output value and tax, totals from January to `month` of `year`."""

    enterprise = models.ForeignKey(
        KeyEnterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="figures"
    )
    year = models.PositiveIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    output_value = models.DecimalField("产值（万元）", null=True, blank=True, **MONEY)
    tax = models.DecimalField("税收（万元）", null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = "企业月度数据"
        verbose_name_plural = "企业月度数据"
        ordering = ["enterprise__sort_order", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "month"], name="uniq_enterprise_figure"
            ),
            models.CheckConstraint(condition=MONTH_RANGE, name="enterprise_figure_month_range"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年1-{self.month}月"


class KeyProject(TimeStamped):
    """A key project (重点项目) of a year: investment figures, start and completion dates.

    Its nodes (节点) are the milestones of `task` when set; they are not copied here.
    Guarantees (clean): an actual date is not before the matching planned start; completion is
    not before start.
    """

    year = models.PositiveIntegerField("年度")
    name = models.CharField("项目名称", max_length=200)
    enterprise = models.ForeignKey(
        KeyEnterprise,
        verbose_name="建设企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    responsible_unit = models.ForeignKey(
        Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="key_projects"
    )
    contracted_investment = models.DecimalField("合同投资（万元）", default=0, **MONEY)
    planned_investment_this_year = models.DecimalField("本年计划投资（万元）", default=0, **MONEY)
    completed_investment_this_year = models.DecimalField("本年完成投资（万元）", default=0, **MONEY)
    funds_in_place = models.DecimalField("到位资金（万元）", default=0, **MONEY)
    planned_start = models.DateField("计划开工日期", null=True, blank=True)
    actual_start = models.DateField("实际开工日期", null=True, blank=True)
    planned_completion = models.DateField("计划竣工投产日期", null=True, blank=True)
    actual_completion = models.DateField("实际竣工投产日期", null=True, blank=True)
    task = models.ForeignKey(
        "tasks.Task",
        verbose_name="节点任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_projects",
        help_text="项目节点取该任务的节点",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "重点项目"
        verbose_name_plural = "重点项目"
        ordering = ["-year", "sort_order", "id"]
        indexes = [models.Index(fields=["year", "responsible_unit"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if _before(self.planned_completion, self.planned_start):
            errors["planned_completion"] = "计划竣工投产日期早于计划开工日期。"
        if _before(self.actual_completion, self.actual_start):
            errors["actual_completion"] = "实际竣工投产日期早于实际开工日期。"
        if self.actual_completion and not self.actual_start:
            errors["actual_start"] = "已竣工投产的项目须填写实际开工日期。"
        if errors:
            raise ValidationError(errors)

    def started_by(self, day: datetime.date) -> bool:
        return self.actual_start is not None and self.actual_start <= day

    def completed_by(self, day: datetime.date) -> bool:
        return self.actual_completion is not None and self.actual_completion <= day


class ProjectFigure(Correctable):
    """A key project's figures as its unit filed them for a month of the project's year, in the
    monthly report: investment completed this year (1-M月累计), funds in place so far (累计),
    the actual start and completion dates known then. Append-only (core.corrections), keyed by
    project and month: a refiled month is a correction of its current entry, with a reason.

    The project's own fields (completed investment, funds in place, actual start and
    completion) are the current entry of its latest filed month, set by the same write
    (indicators.services.projects); every page and report reads them there.
    """

    project = models.ForeignKey(
        KeyProject, verbose_name="重点项目", on_delete=models.PROTECT, related_name="figures"
    )
    month = models.PositiveSmallIntegerField("月份")
    completed_investment = models.DecimalField("本年累计完成投资（万元）", **MONEY)
    funds_in_place = models.DecimalField("累计到位资金（万元）", **MONEY)
    started_on = models.DateField("实际开工日期", null=True, blank=True)
    completed_on = models.DateField("实际竣工投产日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="填报单位", on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("填报时间", auto_now_add=True)
    corrects = corrects_field("更正的填报")
    correction_reason = reason_field()

    class Meta:
        verbose_name = "项目月度数据"
        verbose_name_plural = "项目月度数据"
        ordering = ["-id"]
        indexes = [models.Index(fields=["project", "month"])]
        constraints = [
            reason_constraint("project_figure_correction_has_reason"),
            models.CheckConstraint(condition=MONTH_RANGE, name="project_figure_month_range"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.project.year}年{self.month}月数据"


def _before(later: datetime.date | None, earlier: datetime.date | None) -> bool:
    return bool(later and earlier and later < earlier)
