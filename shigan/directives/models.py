"""Directives (上级文件) an upper level issues, and the tasks it hands down (交办) to its
subordinate districts; a receiving district answers a hand-down with its own task(s), linked to
the upper task (tasks.Task.upper_task)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from shigan.core.files import StoredFile
from shigan.core.models import TimeStamped
from shigan.orgs.models import Unit
from shigan.tasks.models import Task

# 文号: 发文机关代字 + 〔年份〕 + 序号 + 号, e.g. 县委办发〔2023〕12号. Lenient: the year's brackets
# may be typed as [], （）, ()  or 【】 (normalised to 〔〕), spaces are dropped.
NUMBER_PATTERN = re.compile(r"^(?P<prefix>\S{1,30}?)〔(?P<year>\d{4})〕(?P<seq>\d{1,5})号$")
BRACKETS = str.maketrans({"[": "〔", "]": "〕", "（": "〔", "）": "〕", "(": "〔", ")": "〕",
                          "【": "〔", "】": "〕", "［": "〔", "］": "〕"})  # fmt: skip


# A directive holds at most POINTS_MAX_COUNT points of at most POINT_MAX_CHARS characters each (a
# point is one requirement of the document, not its text: the text goes in as an attachment).
POINTS_MAX_COUNT = 50
POINT_MAX_CHARS = 500
DIRECTIVE_TITLE_MAX_CHARS = 200
ISSUER_NAME_MAX_CHARS = 60


def points_errors(points: list[str]) -> list[str]:
    """What is wrong with a directive's points (already stripped, blank lines dropped): their
    count and each one's length, naming the limit and the count."""
    errors = []
    if len(points) > POINTS_MAX_COUNT:
        errors.append(
            f"“要求事项”最多{POINTS_MAX_COUNT}条，现有{len(points)}条；"
            "请合并或只录入需要交办的事项（全文可作为附件上传）。"
        )
    for order, point in enumerate(points, start=1):
        if len(point) > POINT_MAX_CHARS:
            errors.append(
                f"“要求事项”第{order}条最多{POINT_MAX_CHARS}字，现有{len(point)}字，请精简。"
            )
        if len(errors) > 5:
            errors.append("……其余各条请一并检查。")
            break
    return errors


def normalise_number(raw: str) -> str:
    """The 文号 as stored: brackets of the year made 〔〕, spaces removed."""
    return "".join(raw.split()).translate(BRACKETS)


def number_error(raw: str) -> str | None:
    """A clear Chinese message when `raw` is not a 文号 of the 〔年份〕 form, else None."""
    number = normalise_number(raw)
    if not number:
        return "请填写文号，如“县委办发〔2023〕12号”。"
    if NUMBER_PATTERN.match(number) is None:
        return (
            f"文号“{raw}”格式不对：应为 发文机关代字〔年份〕序号号，"
            "如“县委办发〔2023〕12号”（年份用六角括号〔〕，也可输入[]或()）。"
        )
    return None


class Directive(TimeStamped):
    """A document (文件) of an upper level: its issuing unit, 文号, title, date, attachments and
    the points it requires (要求事项). The 文号 is unique per issuing unit."""

    issuer = models.ForeignKey(
        Unit, verbose_name="发文单位", on_delete=models.PROTECT, related_name="directives"
    )
    # An upper level's document whose issuing organ is not a unit of this database (a district
    # records its county's 县委办公室 document): the organ as written on the document, the issuer
    # then being the recording level's 党委政府 unit (who reads and hands it down).
    issuer_name = models.CharField("上级发文机关", max_length=ISSUER_NAME_MAX_CHARS, blank=True)
    number = models.CharField("文号", max_length=60)
    title = models.CharField("文件标题", max_length=200)
    issued_on = models.DateField("发文日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "上级文件"
        verbose_name_plural = "上级文件"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="uniq_directive_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("directives:directive_detail", args=[self.pk])

    @property
    def issuer_label(self) -> str:
        """Who issued it: the upper organ as written, or the issuing unit of this database."""
        return self.issuer_name or self.issuer.label

    def clean(self) -> None:
        if problem := number_error(self.number or ""):
            raise ValidationError({"number": problem})


class DirectivePoint(models.Model):
    """One point a directive requires (要求事项), in the document's order."""

    directive = models.ForeignKey(
        Directive, verbose_name="文件", on_delete=models.PROTECT, related_name="points"
    )
    text = models.TextField("要求事项")
    sort_order = models.PositiveIntegerField("序号", default=0)

    class Meta:
        verbose_name = "要求事项"
        verbose_name_plural = "要求事项"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.sort_order}. {self.text[:40]}"


class DirectiveFile(StoredFile):
    """An attachment of a directive (the document itself, its annexes), in directives/<id>/."""

    directive = models.ForeignKey(
        Directive, verbose_name="文件", on_delete=models.PROTECT, related_name="files"
    )

    class Meta(StoredFile.Meta):
        verbose_name = "文件附件"
        verbose_name_plural = "文件附件"

    def folder(self) -> str:
        return f"directives/{self.directive_id}"


class HandDownState(models.TextChoices):
    PENDING = "pending", "待接收"
    ACCEPTED = "accepted", "已接收"
    RETURNED = "returned", "已退回"
    WITHDRAWN = "withdrawn", "已撤回"


# The states in which a hand-down is open (owed by its district); a returned or withdrawn one
# is closed and the task may be handed to that district again.
OPEN_STATES = (HandDownState.PENDING, HandDownState.ACCEPTED)


class HandDown(TimeStamped):
    """An upper task handed down (交办) to one subordinate district, from a directive point or
    not. The district's coordinator accepts it (his task(s) then carry `upper_task`) or returns
    it with a reason; while it waits, the upper level may withdraw it (撤回), with a reason. At
    most one hand-down of a task to a district is open (待接收 or 已接收); a returned or
    withdrawn one may be handed down again."""

    upper_task = models.ForeignKey(
        Task, verbose_name="上级任务", on_delete=models.PROTECT, related_name="handdowns"
    )
    point = models.ForeignKey(
        DirectivePoint,
        verbose_name="要求事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handdowns",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="承接区县", on_delete=models.PROTECT, related_name="handdowns"
    )
    note = models.TextField("交办要求", blank=True)
    state = models.CharField(
        "状态", max_length=16, choices=HandDownState.choices, default=HandDownState.PENDING
    )
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="交办人", on_delete=models.PROTECT, related_name="+"
    )
    handed_on = models.DateField("交办日期")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_on = models.DateField("接收/退回日期", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdraw_reason = models.TextField("撤回理由", blank=True)

    class Meta:
        verbose_name = "交办"
        verbose_name_plural = "交办"
        ordering = ["handed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["upper_task", "unit"],
                condition=Q(state__in=["pending", "accepted"]),
                name="one_open_handdown_per_unit",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""),
                name="handdown_return_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state="withdrawn") | ~Q(withdraw_reason=""),
                name="handdown_withdraw_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.upper_task} 交办 {self.unit}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def closed_reason(self) -> str:
        """The district's reason for returning it, or the upper level's for withdrawing it."""
        return self.withdraw_reason if self.state == HandDownState.WITHDRAWN else self.return_reason

    @property
    def closed_on(self):
        """When it was answered (接收/退回) or withdrawn."""
        return self.withdrawn_on if self.state == HandDownState.WITHDRAWN else self.answered_on
