from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from shigan.campaigns.models import Campaign
from shigan.core.corrections import (
    Correctable,
    corrects_field,
    reason_constraint,
    reason_field,
)
from shigan.core.files import StoredFile, stored_file_path
from shigan.core.models import TimeStamped
from shigan.orgs.models import Person, Unit


class TaskCategory(models.Model):
    """A heading of the campaign's task list (路网体系, 招商引资, 流域生态 …)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.CASCADE, related_name="task_categories"
    )
    name = models.CharField("类别", max_length=50)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "任务类别"
        verbose_name_plural = "任务类别"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="uniq_task_category")
        ]

    def __str__(self) -> str:
        return self.name


class TaskOrigin(models.TextChoices):
    """Where a tracked item came from; all origins share milestones, reports and approvals."""

    LIST = "list", "清单任务"
    DECISION = "decision", "会议议定事项"
    FINDING = "finding", "督查整改事项"
    PROMISE = "promise", "办实事事项"


class TaskState(models.TextChoices):
    """The lifecycle a coordinator controls; the colour status is computed in status.py."""

    ACTIVE = "active", "推进中"
    COMPLETED = "completed", "已办结"
    CANCELLED = "cancelled", "已取消"


class Task(TimeStamped):
    """A tracked item (任务) with a lead unit, a responsible leader, dates and milestones.

    Guarantees (clean): due date not before start date; the lead unit is not also a supporting unit.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="tasks"
    )
    category = models.ForeignKey(
        TaskCategory, verbose_name="类别", on_delete=models.PROTECT, related_name="tasks"
    )
    number = models.PositiveIntegerField("序号", default=0)
    title = models.CharField("任务名称", max_length=200)
    target = models.TextField("目标任务", blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="led_tasks"
    )
    supporting_units = models.ManyToManyField(
        Unit, verbose_name="配合单位", blank=True, related_name="supported_tasks"
    )
    leader = models.ForeignKey(
        Person,
        verbose_name="责任领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    start_date = models.DateField("开始日期")
    due_date = models.DateField("完成时限")
    origin = models.CharField(
        "来源", max_length=16, choices=TaskOrigin.choices, default=TaskOrigin.LIST
    )
    state = models.CharField(
        "办理状态", max_length=16, choices=TaskState.choices, default=TaskState.ACTIVE
    )
    closed_on = models.DateField("办结/取消日期", null=True, blank=True)
    # A task carried over from last year's campaign (结转, shigan.rollover): its origin, kept
    # unchanged, and why it carries on.
    carried_from = models.ForeignKey(
        "self",
        verbose_name="结转自",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_into",
    )
    carry_reason = models.TextField("结转理由", blank=True)
    # A task a district answers a hand-down (交办, shigan.directives) with: the upper level's task
    # it carries out there. The upper task's status rolls up from these (tasks.rollup).
    upper_task = models.ForeignKey(
        "self",
        verbose_name="上级任务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_tasks",
    )

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["category__sort_order", "number", "id"]
        indexes = [
            models.Index(fields=["campaign", "lead_unit"]),
            models.Index(fields=["campaign", "leader"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tasks:task_detail", args=[self.pk])

    def clean(self) -> None:
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise ValidationError(
                {"due_date": f"完成时限{self.due_date}早于开始日期{self.start_date}。"}
            )


class Milestone(TimeStamped):
    """A dated milestone (节点) of a task; `done_on` is set from the progress report that reached it."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField("节点", max_length=200)
    due_date = models.DateField("计划完成日期")
    done_on = models.DateField("实际完成日期", null=True, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "节点"
        verbose_name_plural = "节点"
        ordering = ["due_date", "sort_order", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        task = self.task if self.task_id else None
        if task and self.due_date and not (task.start_date <= self.due_date <= task.due_date):
            raise ValidationError(
                {
                    "due_date": f"节点日期{self.due_date}不在任务起止日期"
                    f"（{task.start_date}至{task.due_date}）之内。"
                }
            )


class ProgressReport(Correctable):
    """A dated progress report (进展) on a task. Append-only (core.corrections): a correction is
    a new report pointing at the one it corrects, with a reason; the earlier report is kept as it
    was. The key is (task, period)."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.PROTECT, related_name="progress_reports"
    )
    unit = models.ForeignKey(Unit, verbose_name="填报单位", on_delete=models.PROTECT)
    period = models.DateField("所属月份", help_text="该月第一天")
    text = models.TextField("进展情况")
    milestones_reached = models.JSONField("本次完成节点", default=list, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("填报时间", auto_now_add=True)
    corrects = corrects_field("更正的报告")
    correction_reason = reason_field()

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["task", "-submitted_at"]),
            # "Has the task a report of this month" (the map's and cockpit's 本月填报, the
            # monthly report): one probe per task instead of reading each of its reports.
            models.Index(fields=["task", "period"]),
        ]
        constraints = [reason_constraint("correction_has_reason")]

    def __str__(self) -> str:
        return f"{self.task} {self.period:%Y年%m月}进展"


class PeriodOpening(models.Model):
    """A past month a coordinator opened for one unit's monthly report (补报), beyond the months
    open by default (this month and the previous one). Kept as recorded, with who opened it and
    why; one per unit and month."""

    unit = models.ForeignKey(
        Unit, verbose_name="填报单位", on_delete=models.PROTECT, related_name="period_openings"
    )
    period = models.DateField("开放月份", help_text="该月第一天")
    reason = models.TextField("开放原因")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="开放人", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("开放时间", auto_now_add=True)

    class Meta:
        verbose_name = "补报月份开放"
        verbose_name_plural = "补报月份开放"
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="uniq_period_opening")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period.year}年{self.period.month}月补报"


class ChangeKind(models.TextChoices):
    EXTEND = "extend", "调整时限"
    CANCEL = "cancel", "取消任务"
    COMPLETE = "complete", "办结销号"


class ChangeState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    RETURNED = "returned", "已退回"


class ChangeRequest(models.Model):
    """A request to adjust a due date, cancel or complete a task; a coordinator approves or returns it.
    At most one request per task is pending at a time."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.PROTECT, related_name="change_requests"
    )
    kind = models.CharField("申请事项", max_length=16, choices=ChangeKind.choices)
    reason = models.TextField("理由")
    proposed_due_date = models.DateField("申请调整后的时限", null=True, blank=True)
    state = models.CharField(
        "审批状态", max_length=16, choices=ChangeState.choices, default=ChangeState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "变更申请"
        verbose_name_plural = "变更申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(state="pending"),
                name="one_pending_change_per_task",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.get_kind_display()}申请"


# The name migration 0001 gives the upload path; the path is core.files' rule.
evidence_path = stored_file_path


class Evidence(StoredFile):
    """An evidence file (佐证材料) attached to a progress report or a change request, stored in
    evidence/<task id>/."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.PROTECT, related_name="evidence"
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name="进展报告",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    change_request = models.ForeignKey(
        ChangeRequest,
        verbose_name="变更申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )

    class Meta(StoredFile.Meta):
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def folder(self) -> str:
        return f"evidence/{self.task_id}"
