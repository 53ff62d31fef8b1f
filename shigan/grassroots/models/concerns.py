"""The people's concerns (诉求) and disputes (矛盾纠纷), their categories with time limits, the
steps each goes through, and reception days (信访接待日)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from shigan.campaigns.models import Campaign
from shigan.core.models import TimeStamped
from shigan.orgs.models import Person, Unit

from .visits import Visit


class ConcernCategory(models.Model):
    """A district's kind of concern with its time limit in working days (0: 马上就办, the same
    day), counted on the district's working-day calendar from the day it was received."""

    district = models.ForeignKey(
        Unit, verbose_name="区县", on_delete=models.CASCADE, related_name="concern_categories"
    )
    name = models.CharField("类别", max_length=50)
    time_limit_workdays = models.PositiveSmallIntegerField("办理时限（工作日，0 为当日）")
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "诉求类别"
        verbose_name_plural = "诉求类别"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="concern_category_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ReceptionDay(TimeStamped):
    """A day on the reception rota (信访接待日): the leader receiving, where; whether it was held
    (a past day not held is 未开展); the concerns received there link to it."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="reception_days"
    )
    date = models.DateField("接待日期")
    leader = models.ForeignKey(
        Person, verbose_name="接待领导", on_delete=models.PROTECT, related_name="reception_days"
    )
    place = models.CharField("接待地点", max_length=100)
    held = models.BooleanField("已开展", default=False)
    visitors = models.PositiveIntegerField("接待群众（人次）", default=0)
    note = models.TextField("情况说明", blank=True)

    class Meta:
        verbose_name = "信访接待日"
        verbose_name_plural = "信访接待日"
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "date", "leader"], name="reception_day_once_per_leader"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.leader.name}接待"


class ConcernKind(models.TextChoices):
    REQUEST = "request", "群众诉求"
    DISPUTE = "dispute", "矛盾纠纷"


class ConcernSource(models.TextChoices):
    VISIT = "visit", "走访"
    RECEPTION = "reception", "信访接待日"
    HOTLINE = "hotline", "热线"
    LETTER = "letter", "来信"
    ONLINE = "online", "网上"
    ENTERPRISE = "enterprise", "企业反映"


class ConcernStep(models.TextChoices):
    """The steps in their only order (rules in grassroots/steps.py)."""

    ACCEPTED = "accepted", "受理"
    ASSIGNED = "assigned", "转办"
    HANDLING = "handling", "办理"
    ANSWERED = "answered", "答复"
    FOLLOWED_UP = "followed_up", "回访"
    CLOSED = "closed", "办结"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Concern(TimeStamped):
    """A concern raised by a person (诉求) or a dispute between parties (矛盾纠纷), from a visit, a
    reception day, the hotline …; assigned to a unit, due `due_on` (its category's time limit in
    working days from `received_on`), at `step` (ConcernAction records each step, who and when).
    An unsatisfied 回访 reopens it (back to 办理, `reopened` counted)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="concerns"
    )
    number = models.CharField("编号", max_length=32)
    kind = models.CharField(
        "类型", max_length=16, choices=ConcernKind.choices, default=ConcernKind.REQUEST
    )
    source = models.CharField("来源", max_length=16, choices=ConcernSource.choices)
    category = models.ForeignKey(
        ConcernCategory, verbose_name="类别", on_delete=models.PROTECT, related_name="concerns"
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name="走访",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    reception_day = models.ForeignKey(
        ReceptionDay,
        verbose_name="接待日",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    requester_name = models.CharField("诉求人", max_length=50)
    requester_phone = models.CharField("联系电话", max_length=30, blank=True)
    requester_id_number = models.CharField("身份证号", max_length=18, blank=True)
    content = models.TextField("诉求内容")
    parties = models.TextField("纠纷当事人", blank=True)
    received_on = models.DateField("受理日期")
    due_on = models.DateField("办理时限")
    assigned_unit = models.ForeignKey(
        Unit,
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    step = models.CharField(
        "当前环节", max_length=16, choices=ConcernStep.choices, default=ConcernStep.ACCEPTED
    )
    closed_on = models.DateField("办结日期", null=True, blank=True)
    satisfaction = models.CharField(
        "满意度", max_length=16, choices=Satisfaction.choices, blank=True
    )
    reopened = models.PositiveSmallIntegerField("重新办理次数", default=0)
    outcome = models.TextField("处理结果", blank=True)
    # The ticket's number in the system it came from (12345 热线, 一网通办 …): the same ticket
    # sent twice is the same concern (grassroots.services.concerns.concern_receive).
    external_ref = models.CharField("外部工单号", max_length=64, blank=True)

    class Meta:
        verbose_name = "诉求"
        verbose_name_plural = "诉求"
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["campaign", "step"]),
            models.Index(fields=["campaign", "assigned_unit"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="concern_number_unique"),
            models.UniqueConstraint(
                fields=["campaign", "source", "external_ref"],
                condition=~Q(external_ref=""),
                name="concern_external_ref_once",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("received_on")), name="concern_due_after_received"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.content[:20]}"

    def get_absolute_url(self) -> str:
        return reverse("grassroots:concern_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.step == ConcernStep.CLOSED


class ConcernAction(models.Model):
    """One step taken on a concern (append-only): which, by whom, when, what was said; at 回访
    the satisfaction asked."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="actions")
    step = models.CharField("环节", max_length=16, choices=ConcernStep.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办理人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    on = models.DateField("日期")
    note = models.TextField("办理情况")
    to_unit = models.ForeignKey(
        Unit,
        verbose_name="转办至",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    satisfaction = models.CharField(
        "满意度", max_length=16, choices=Satisfaction.choices, blank=True
    )

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.concern.number} {self.get_step_display()}"
