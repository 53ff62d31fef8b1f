from django.conf import settings
from django.db import models
from django.db.models import Q

from shigan.core.corrections import (
    Correctable,
    corrects_field,
    reason_constraint,
    reason_field,
)
from shigan.core.models import TimeStamped
from shigan.orgs.models import Unit, district_of_unit

VALUE_DIGITS = 14
VALUE_PLACES = 4


class MeasureUnit(models.TextChoices):
    WAN_YUAN = "wan_yuan", "万元"
    YI_YUAN = "yi_yuan", "亿元"
    TON = "ton", "吨"
    HEAD = "head", "头"
    ZHI = "zhi", "只"
    MU = "mu", "亩"
    GE = "ge", "个"
    CI = "ci", "次"
    PERCENT = "percent", "%"
    PERSON = "person", "人"
    KILOMETRE = "km", "公里"


class IndicatorCategory(models.TextChoices):
    ECONOMY = "economy", "经济"
    AGRICULTURE = "agriculture", "农业"
    LIVELIHOOD = "livelihood", "民生"
    ECOLOGY = "ecology", "生态"
    OTHER = "other", "其他"


class Accumulation(models.TextChoices):
    """How monthly figures relate: a running total since January, or a level at the month's end."""

    CUMULATIVE = "cumulative", "年初以来累计"
    POINT = "point", "时点值"


class Direction(models.TextChoices):
    HIGHER_BETTER = "higher", "越高越好"
    LOWER_BETTER = "lower", "越低越好"


class Aggregation(models.TextChoices):
    """How an upper level adds up its districts' figures of the same indicator (汇总方式): a sum
    (固定资产投资: the county's is its districts' added), a rate recomputed from the summed
    figures of the two indicators it divides (开工率 = 开工项目数 ÷ 计划开工项目数), or not
    at all (a ranking, an index, a level's own rate without parts): never summed."""

    SUM = "sum", "可加（下级相加）"
    RATE = "rate", "比率（由分子、分母重算）"
    NONE = "none", "不可加（不汇总）"


class Indicator(TimeStamped):
    """An indicator (指标) the district tracks monthly against an annual target.

    For a CUMULATIVE indicator each month's figure is the total since January (1-M月累计);
    for a POINT indicator it is the level at the end of the month.
    """

    name = models.CharField("指标名称", max_length=100)
    measure_unit = models.CharField("计量单位", max_length=16, choices=MeasureUnit.choices)
    category = models.CharField(
        "类别", max_length=16, choices=IndicatorCategory.choices, default=IndicatorCategory.OTHER
    )
    accumulation = models.CharField(
        "统计方式", max_length=16, choices=Accumulation.choices, default=Accumulation.CUMULATIVE
    )
    direction = models.CharField(
        "考核方向", max_length=8, choices=Direction.choices, default=Direction.HIGHER_BETTER
    )
    responsible_unit = models.ForeignKey(
        Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="indicators"
    )
    source = models.CharField("统计来源", max_length=200, blank=True)
    district = models.ForeignKey(
        Unit,
        verbose_name="所属区县",
        null=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="district_indicators",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    # Levels (issue 17): the upper level's indicator this district's figures count into, and how
    # the upper level adds them up (indicators.rollup holds the rules).
    upper = models.ForeignKey(
        "self",
        verbose_name="汇入上级指标",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lower",
    )
    aggregation = models.CharField(
        "汇总方式", max_length=8, choices=Aggregation.choices, default=Aggregation.SUM
    )
    rate_numerator = models.ForeignKey(
        "self",
        verbose_name="比率的分子指标",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rate_denominator = models.ForeignKey(
        "self",
        verbose_name="比率的分母指标",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="uniq_indicator_name_in_district"
            )
        ]

    def save(self, *args, **kwargs):
        """The district is the responsible unit's: indicator names are unique within it. A
        figure in % is never a sum of its districts' figures (Aggregation.SUM becomes NONE)."""
        self.district_id = district_of_unit(self.responsible_unit_id)
        if self.measure_unit == MeasureUnit.PERCENT and self.aggregation == Aggregation.SUM:
            self.aggregation = Aggregation.NONE
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "district", "aggregation"}
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name

    @property
    def is_cumulative(self) -> bool:
        return self.accumulation == Accumulation.CUMULATIVE

    @property
    def lower_is_better(self) -> bool:
        return self.direction == Direction.LOWER_BETTER


class IndicatorYear(TimeStamped):
    """An indicator's annual target (年计划/目标任务) for one year; the target may be absent."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveIntegerField("年度")
    annual_target = models.DecimalField(
        "年度目标", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )

    class Meta:
        verbose_name = "年度目标"
        verbose_name_plural = "年度目标"
        ordering = ["-year", "indicator__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="uniq_indicator_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}年目标"


MONTH_RANGE = Q(month__gte=1) & Q(month__lte=12)


class SamePeriodValue(TimeStamped):
    """Last year's figure (同期) to compare month `month` of `year` with: the value of
    `year - 1`, month `month`, in the indicator's own accumulation."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="same_period_values"
    )
    year = models.PositiveIntegerField("年度", help_text="本年年度；数值为上一年同月的数")
    month = models.PositiveSmallIntegerField("月份")
    value = models.DecimalField("上年同期数", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)

    class Meta:
        verbose_name = "上年同期数"
        verbose_name_plural = "上年同期数"
        ordering = ["indicator__sort_order", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "month"], name="uniq_same_period_value"
            ),
            models.CheckConstraint(condition=MONTH_RANGE, name="same_period_month_range"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}年{self.month}月同期"


class Actual(Correctable):
    """A reported figure (完成值) of an indicator for a month. Append-only (core.corrections):
    the month's current value is its latest entry; a later entry is a correction pointing at the
    one it replaces, with a reason, and the earlier entry is kept as it was.

    `submitted_by` is empty only for figures imported by an operator from the command line.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="actuals"
    )
    year = models.PositiveIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    value = models.DecimalField("完成值", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    is_estimate = models.BooleanField("预计数", default=False)
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
        verbose_name = "完成值"
        verbose_name_plural = "完成值"
        ordering = ["-id"]
        indexes = [models.Index(fields=["indicator", "year", "month"])]
        constraints = [
            reason_constraint("actual_correction_has_reason"),
            models.CheckConstraint(condition=MONTH_RANGE, name="actual_month_range"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}年{self.month}月完成值"
