from django.db import models
from django.db.models import Q
from django.urls import reverse

from shigan.campaigns.models import Campaign
from shigan.core.files import StoredFile, stored_file_path
from shigan.core.models import TimeStamped
from shigan.orgs.models import Person, Unit
from shigan.tasks.models import Task


class Cadence(models.TextChoices):
    """How often a meeting series must meet; checked by cadence.py."""

    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    NONE = "none", "不定期"


class MeetingSeries(TimeStamped):
    """A recurring meeting (领导小组季度工作会议, 专班月度碰头会) with the cadence it must keep
    between its active dates; an open end runs to the campaign's end."""

    name = models.CharField("名称", max_length=100)
    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="meeting_series"
    )
    cadence = models.CharField("召开频次", max_length=16, choices=Cadence.choices)
    organiser = models.ForeignKey(
        Unit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="meeting_series"
    )
    chair = models.ForeignKey(
        Person,
        verbose_name="主持人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_series",
    )
    active_from = models.DateField("起始日期")
    active_to = models.DateField("截止日期", null=True, blank=True, help_text="留空则至活动结束")
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "会议系列"
        verbose_name_plural = "会议系列"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="uniq_meeting_series_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ends_on(self):
        """The last day the cadence applies."""
        return self.active_to or self.campaign.end_date


class MeetingKind(models.TextChoices):
    MOBILISATION = "mobilisation", "动员会"
    LEADING_GROUP = "leading_group", "领导小组会议"
    TASK_FORCE = "task_force", "专班碰头会"
    SPECIAL = "special", "专题会议"
    OTHER = "other", "其他"


class Meeting(TimeStamped):
    """A meeting held on a date, in a series or ad hoc (the 动员会). Guarantees (services.py):
    its date lies within the campaign (and its series' active dates); a series meets at most once
    a day; it has a chair."""

    series = models.ForeignKey(
        MeetingSeries,
        verbose_name="会议系列",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField("会议类型", max_length=16, choices=MeetingKind.choices)
    title = models.CharField("会议名称", max_length=200)
    date = models.DateField("会议日期")
    chair = models.ForeignKey(
        Person, verbose_name="主持人", on_delete=models.PROTECT, related_name="chaired_meetings"
    )
    attendees = models.ManyToManyField(
        Person, verbose_name="参会人员", blank=True, related_name="meetings_attended"
    )
    agenda = models.TextField("会议议程", blank=True)
    minutes = models.TextField("会议纪要", blank=True)

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["campaign", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "date"],
                condition=Q(series__isnull=False),
                name="uniq_series_meeting_date",
                violation_error_message="同一会议系列在同一天只能有一次会议。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])


# The name migration 0001 gives the upload path; the path is core.files' rule.
meeting_file_path = stored_file_path


class MeetingFile(StoredFile):
    """A file of a meeting (notice, minutes, slides, photos), stored in meetings/<meeting id>/;
    accepted as evidence files are (core.files)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.PROTECT, related_name="files"
    )

    class Meta(StoredFile.Meta):
        verbose_name = "会议材料"
        verbose_name_plural = "会议材料"

    def folder(self) -> str:
        return f"meetings/{self.meeting_id}"


class Decision(TimeStamped):
    """A decision (议定事项) of a meeting. It is a tracked item: title, lead unit, leader,
    deadline, progress, approval and status all live on its Task (origin DECISION), whose start
    date is the meeting's date. Numbered 1, 2, … within its meeting."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.PROTECT, related_name="decisions"
    )
    number = models.PositiveIntegerField("序号")
    task = models.OneToOneField(
        Task, verbose_name="任务", on_delete=models.PROTECT, related_name="decision"
    )

    class Meta:
        verbose_name = "议定事项"
        verbose_name_plural = "议定事项"
        ordering = ["meeting__date", "meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="uniq_decision_number")
        ]

    def __str__(self) -> str:
        return f"{self.meeting.title} 议定事项{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:decision_detail", args=[self.pk])


class StudyKind(models.TextChoices):
    CENTRAL_GROUP = "central_group", "中心组学习"
    COLLECTIVE = "collective", "集中学习"
    SPECIAL = "special", "专题学习"


class StudySession(TimeStamped):
    """A study session (学习): the party committee's central group, cadres' collective study, or
    a special topic. Its date lies within the campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="study_sessions"
    )
    topic = models.CharField("学习主题", max_length=200)
    date = models.DateField("学习日期")
    kind = models.CharField("学习形式", max_length=16, choices=StudyKind.choices)
    attendees = models.ManyToManyField(
        Person, verbose_name="参加人员", blank=True, related_name="study_sessions"
    )
    notes = models.TextField("学习内容及体会", blank=True)

    class Meta:
        verbose_name = "学习"
        verbose_name_plural = "学习"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"
