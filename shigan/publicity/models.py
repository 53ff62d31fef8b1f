import unicodedata
from urllib.parse import urlsplit, urlunsplit

from django.db import models
from django.db.models import Q

from shigan.campaigns.models import Campaign
from shigan.core.models import TimeStamped
from shigan.tasks.models import Task


def text_key(text: str) -> str:
    """The text as duplicates are compared: NFKC (full-width → half-width), case-folded, with
    every kind of space removed."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def link_key(link: str) -> str:
    """The link as duplicates are compared: scheme and host lower-case, no fragment, no trailing
    slash; empty when there is no link."""
    link = link.strip()
    if not link:
        return ""
    parts = urlsplit(link)
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


class MediaLevel(models.TextChoices):
    CENTRAL = "central", "中央"
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县"
    DISTRICT = "district", "区"


class MediaReport(TimeStamped):
    """A media report (宣传报道) on the campaign: outlet, level, date, link, and the task or
    activity it covers.

    Guarantees: no two reports share a link, nor a title and outlet compared by text_key (the
    keys are derived in clean() and save(); unique constraints back them).
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="media_reports"
    )
    title = models.CharField("标题", max_length=200)
    outlet = models.CharField("媒体", max_length=100)
    level = models.CharField("媒体级别", max_length=16, choices=MediaLevel.choices)
    date = models.DateField("发表日期")
    link = models.URLField("链接", max_length=500, blank=True)
    task = models.ForeignKey(
        Task,
        verbose_name="相关任务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="media_reports",
    )
    activity = models.CharField("相关活动", max_length=200, blank=True)
    title_key = models.CharField("标题（比对用）", max_length=600, editable=False)
    outlet_key = models.CharField("媒体（比对用）", max_length=300, editable=False)
    link_key = models.CharField("链接（比对用）", max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = "宣传报道"
        verbose_name_plural = "宣传报道"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["campaign", "date"])]
        constraints = [
            # A duplicate is one within the campaign (its district's): a provincial paper's
            # article on two districts is recorded by each.
            models.UniqueConstraint(
                fields=["campaign", "outlet_key", "title_key"],
                name="uniq_media_report_title_outlet",
            ),
            models.UniqueConstraint(
                fields=["campaign", "link_key"],
                condition=~Q(link_key=""),
                name="uniq_media_report_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outlet}：{self.title}"

    def set_keys(self) -> None:
        self.title_key = text_key(self.title)
        self.outlet_key = text_key(self.outlet)
        self.link_key = link_key(self.link)

    def clean(self) -> None:
        self.set_keys()

    def save(self, *args, **kwargs):
        self.set_keys()
        super().save(*args, **kwargs)
