"""What people write for the summary report, and how indicator figures are worded in it.

Narrative is kept as append-only versions: saving a slot writes a new NarrativeText that points at
the version it replaces, and an audit entry with the before/after text; nothing is overwritten.
A version applies from its period (the month it was written for) until a later period's version
of the same slot, so the opening written in March still opens the July report unless July has
its own.
"""

from django.conf import settings
from django.db import models

from shigan.campaigns.models import Campaign
from shigan.core.models import TimeStamped
from shigan.indicators.models import Indicator


class NarrativeSlot(models.TextChoices):
    """Where a narrative text goes in the report. Slots marked repeated take an `order`."""

    TITLE = "title", "标题"
    OPENING = "opening", "开头段"
    ACTIVITIES = "activities", "一、活动开展情况（标题与导语）"
    ORGANISATION = "organisation", "一是 组织领导"
    ATMOSPHERE = "atmosphere", "二是 氛围营造"
    ECONOMY = "economy", "三是 经济发展"
    PEOPLE = "people", "四是 服务群众"
    TASKS = "tasks", "二、清单完成情况（标题与导语）"
    TASK = "task", "清单任务段落（按任务）"
    PLAN = "plan", "三、下一步工作计划（标题与导语）"
    PLAN_ITEM = "plan_item", "下一步工作计划条目"
    PLAN_DRAFT = "plan_draft", "下一步工作计划（据记录生成的草稿，按月修改）"
    SIGNATURE = "signature", "署名"


REPEATED_SLOTS = {NarrativeSlot.TASK, NarrativeSlot.PLAN_ITEM, NarrativeSlot.PLAN_DRAFT}


class NarrativeText(models.Model):
    """One version of one narrative slot of a campaign's report, for a period onward.

    Guarantees (services.narrative_save): versions are only added, never changed; `replaces`
    is the version that was current for the same campaign, slot and order when this one was
    written; a blank title and body mean the slot is empty from `period` on.
    `order` is the plan item's number (1, 2, …), the draft part's (PLAN_DRAFT: 1 节点, 2 滞后事项,
    3 序时进度), or the task's id for TASK; 0 otherwise. A PLAN_DRAFT version replaces the
    generated draft for its own month only: the next month's draft is generated afresh.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.CASCADE, related_name="narrative_texts"
    )
    period = models.DateField("适用月份", help_text="该月第一天；此后各月沿用，直至有新的版本")
    slot = models.CharField("位置", max_length=16, choices=NarrativeSlot.choices)
    order = models.PositiveIntegerField("序号", default=0)
    title = models.CharField("标题", max_length=200, blank=True)
    body = models.TextField("正文", blank=True)
    note = models.CharField("修改说明", max_length=200, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name="替换的版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撰写人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_at = models.DateTimeField("撰写时间", auto_now_add=True)

    class Meta:
        verbose_name = "报告文字"
        verbose_name_plural = "报告文字"
        ordering = ["campaign_id", "slot", "order", "-period", "-id"]
        indexes = [models.Index(fields=["campaign", "slot", "order", "period"])]

    def __str__(self) -> str:
        label = self.get_slot_display()
        if self.slot in REPEATED_SLOTS:
            label = f"{label}{self.order}"
        return f"{label}（{self.period:%Y年%m月}起）"

    @property
    def is_blank(self) -> bool:
        return not self.title.strip() and not self.body.strip()


class TargetWord(models.TextChoices):
    PLAN = "年计划", "年计划"
    TARGET = "目标任务", "目标任务"


class PhraseStyle(models.TextChoices):
    """How the sentence opens: 完成固定资产投资33000万元 / 夏粮实产预计完成7272吨."""

    VERB_FIRST = "verb_first", "完成+名称+数值（完成工业总产值22000万元）"
    NAME_FIRST = "name_first", "名称+数值（夏油实产325吨）"


class Scale(models.TextChoices):
    AS_RECORDED = "", "按计量单位"
    WAN = "万", "以万为单位（3.2万亩）"
    YI = "亿", "以亿为单位（3.3亿元）"


class IndicatorPhrasing(TimeStamped):
    """How one indicator is worded in a campaign's report: its name there, the scale of its
    figures, which comparisons the sentence states, and its group (indicators sharing a group
    are stated in one 分别 sentence). Without any phrasing rows the report states every
    indicator with the defaults of build.indicators.default_phrasing."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.CASCADE, related_name="indicator_phrasings"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="phrasings"
    )
    label = models.CharField("报告中的名称", max_length=100, blank=True, help_text="留空用指标名称")
    sort_order = models.PositiveIntegerField("排序", default=0)
    in_summary = models.BooleanField(
        "列入经济指标句", default=True, help_text="不列入时仍可在正文中用【指标名称】引用"
    )
    style = models.CharField(
        "句式", max_length=16, choices=PhraseStyle.choices, default=PhraseStyle.VERB_FIRST
    )
    scale = models.CharField("数值单位", max_length=2, choices=Scale.choices, blank=True)
    approximate = models.BooleanField("写作约数（400多）", default=False)
    show_share = models.BooleanField("写完成比例（占年计划的%）", default=True)
    target_word = models.CharField(
        "计划称谓", max_length=8, choices=TargetWord.choices, default=TargetWord.PLAN
    )
    show_change = models.BooleanField("写比去年增减量", default=False)
    show_change_pct = models.BooleanField("写同比增减幅度", default=False)
    show_time_gap = models.BooleanField("写与序时进度之差", default=False)
    group = models.CharField(
        "合并句组", max_length=30, blank=True, help_text="同组相邻指标合为一句“分别达到……”"
    )

    class Meta:
        verbose_name = "指标表述"
        verbose_name_plural = "指标表述"
        ordering = ["campaign_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "indicator"], name="uniq_indicator_phrasing"
            )
        ]

    def __str__(self) -> str:
        return self.label or self.indicator.name
