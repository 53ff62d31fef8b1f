from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from shigan.campaigns.models import Campaign
from shigan.core.models import TimeStamped
from shigan.orgs.models import Person, Unit
from shigan.tasks.models import Task, TaskOrigin

from .draw import draw


class InspectionKind(models.TextChoices):
    SPECIAL = "special", "专项督查"
    ROUTINE = "routine", "日常督查"
    UNANNOUNCED = "unannounced", "暗访"


class Inspection(TimeStamped):
    """An inspection (督查) of some units on one day by some inspectors; its findings follow."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="inspections"
    )
    topic = models.CharField("督查主题", max_length=200)
    kind = models.CharField("督查方式", max_length=16, choices=InspectionKind.choices)
    date = models.DateField("督查日期")
    inspectors = models.ManyToManyField(Person, verbose_name="督查人员", related_name="inspections")
    units = models.ManyToManyField(Unit, verbose_name="被督查单位", related_name="inspections")
    summary = models.TextField("督查情况", blank=True)

    class Meta:
        verbose_name = "督查"
        verbose_name_plural = "督查"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["campaign", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:inspection_detail", args=[self.pk])


class Severity(models.TextChoices):
    GENERAL = "general", "一般"
    SERIOUS = "serious", "较重"
    GRAVE = "grave", "严重"


class Finding(TimeStamped):
    """A problem (问题) an inspection found in one unit, with what must be rectified by when.

    Its rectification is the one-to-one `task` (origin 督查整改事项, lead unit = the unit): progress
    reports, deadline changes and closure (办结销号) run through the task machinery. The finding's
    status is derived in status.py, never stored.
    """

    inspection = models.ForeignKey(
        Inspection, verbose_name="督查", on_delete=models.PROTECT, related_name="findings"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="findings"
    )
    problem = models.TextField("问题描述")
    severity = models.CharField(
        "严重程度", max_length=16, choices=Severity.choices, default=Severity.GENERAL
    )
    requirement = models.TextField("整改要求")
    deadline = models.DateField("整改时限")
    task = models.OneToOneField(
        Task, verbose_name="整改事项", on_delete=models.PROTECT, related_name="finding"
    )

    class Meta:
        verbose_name = "督查问题"
        verbose_name_plural = "督查问题"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.unit.label}：{self.short_problem}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:finding_detail", args=[self.pk])

    @property
    def short_problem(self) -> str:
        first_line = self.problem.strip().splitlines()[0] if self.problem.strip() else ""
        return first_line if len(first_line) <= 60 else first_line[:59] + "…"


class VerificationResult(models.TextChoices):
    PASSED = "passed", "通过"
    FAILED = "failed", "未通过"


class Verification(models.Model):
    """An inspector's check (核查) of a finding's rectification: passed or not, with a note."""

    finding = models.ForeignKey(
        Finding, verbose_name="督查问题", on_delete=models.PROTECT, related_name="verifications"
    )
    verified_by = models.ForeignKey(
        Person, verbose_name="核查人", on_delete=models.PROTECT, related_name="verifications"
    )
    date = models.DateField("核查日期")
    result = models.CharField("核查结果", max_length=16, choices=VerificationResult.choices)
    note = models.TextField("核查意见", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改核查"
        verbose_name_plural = "整改核查"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(result="failed") | ~Q(note=""), name="failed_verification_has_note"
            )
        ]

    def __str__(self) -> str:
        return f"{self.finding} {self.date:%Y-%m-%d}核查{self.get_result_display()}"


class SpotCheck(models.Model):
    """A random draw (抽查) of a share of the items marked done, for on-site verification.

    The record keeps the seed and the population (task ids, ascending), so anyone can redraw:
    random.Random(seed).sample(population, ceil(share × N / 100)) gives `drawn` again.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="spot_checks"
    )
    share = models.PositiveSmallIntegerField(
        "抽查比例（%）", validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    seed = models.CharField("随机种子", max_length=64)
    unit = models.ForeignKey(
        Unit,
        verbose_name="限定单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spot_checks",
    )
    origin = models.CharField("限定来源", max_length=16, choices=TaskOrigin.choices, blank=True)
    population = models.JSONField("抽取范围（任务编号）", default=list)
    drawn = models.JSONField("抽中事项（任务编号）", default=list)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抽取人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("抽取时间", auto_now_add=True)

    class Meta:
        verbose_name = "随机抽查"
        verbose_name_plural = "随机抽查"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share__gte=1, share__lte=100), name="spot_check_share_1_100"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.campaign.year}年抽查（{self.share}%，{len(self.drawn)}/{len(self.population)}）"
        )

    def get_absolute_url(self) -> str:
        return reverse("supervision:spot_check_detail", args=[self.pk])

    def redraw(self) -> list[int]:
        """The draw recomputed from the recorded seed and population."""
        return draw(self.population, self.share, self.seed)

    def reproduces(self) -> bool:
        return self.redraw() == list(self.drawn)


class NoticeKind(models.TextChoices):
    PRAISE = "praise", "表扬"
    CRITICISM = "criticism", "批评"
    BRIEFING = "briefing", "情况通报"


class Notice(TimeStamped):
    """A notice (通报) with its document number (文号, unique) and date, naming exemplar cases."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="notices"
    )
    doc_number = models.CharField("文号", max_length=60, unique=True)
    date = models.DateField("印发日期")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", blank=True)
    kind = models.CharField("通报类别", max_length=16, choices=NoticeKind.choices)

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_number}）"

    def get_absolute_url(self) -> str:
        return reverse("supervision:notice_detail", args=[self.pk])


class Polarity(models.TextChoices):
    POSITIVE = "positive", "先进典型"
    NEGATIVE = "negative", "反面典型"


class Exemplar(models.Model):
    """An exemplar case (典型) a notice names: positive or negative, with its units and people."""

    notice = models.ForeignKey(
        Notice, verbose_name="通报", on_delete=models.CASCADE, related_name="exemplars"
    )
    polarity = models.CharField("典型类别", max_length=16, choices=Polarity.choices)
    title = models.CharField("典型名称", max_length=200)
    description = models.TextField("事迹/问题", blank=True)
    units = models.ManyToManyField(
        Unit, verbose_name="涉及单位", blank=True, related_name="exemplars"
    )
    people = models.ManyToManyField(
        Person, verbose_name="涉及人员", blank=True, related_name="exemplars"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "典型"
        verbose_name_plural = "典型"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.get_polarity_display()}：{self.title}"
