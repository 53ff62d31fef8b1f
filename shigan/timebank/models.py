"""The time bank (时间存折): volunteers' hours of service, kept as double-entry postings.

Every posting is a Transaction of Entries whose amounts sum to zero: a confirmed service credits
the volunteer's account and debits the district's issuance account (时间银行发行), a redemption
debits the volunteer and credits the district's redemption account (时间银行兑换). An account's
balance is the sum of its entries. Nothing is deleted or changed: a wrong posting is undone by a
reversing transaction (冲正) with a reason.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from shigan.grassroots.models import PracticeActivity
from shigan.orgs.models import Person, Unit

HOURS_STEP = Decimal("0.5")
MAX_SERVICE_HOURS = Decimal("24")
MAX_REDEMPTION_HOURS = Decimal("1000")


class AccountKind(models.TextChoices):
    VOLUNTEER = "volunteer", "志愿者"
    ISSUANCE = "issuance", "时间银行发行"
    REDEMPTION = "redemption", "时间银行兑换"


class VolunteerKind(models.TextChoices):
    RESIDENT = "resident", "居民"
    CADRE = "cadre", "干部"


class Account(models.Model):
    """One account of a district's time bank: a volunteer's (a resident of a village or
    community, or a cadre, whose account links to his Person), or one of the district's two
    books (issuance, redemption), one each per district."""

    district = models.ForeignKey(
        Unit, verbose_name="所属区县", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("账户类型", max_length=16, choices=AccountKind.choices)
    volunteer_kind = models.CharField(
        "志愿者类别", max_length=16, choices=VolunteerKind.choices, blank=True
    )
    person = models.ForeignKey(
        Person,
        verbose_name="干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="timebank_accounts",
    )
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name="所在村（社区）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="timebank_accounts",
    )
    opened_on = models.DateField("开户日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="开户人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "时间存折账户"
        verbose_name_plural = "时间存折账户"
        ordering = ["unit__sort_order", "unit_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "kind"],
                condition=~models.Q(kind="volunteer"),
                name="timebank_one_book_per_district",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(person__isnull=False),
                name="timebank_one_account_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="volunteer", unit__isnull=False)
                | (~models.Q(kind="volunteer") & models.Q(unit__isnull=True)),
                name="timebank_volunteer_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("timebank:account_detail", args=[self.pk])

    @property
    def is_volunteer(self) -> bool:
        return self.kind == AccountKind.VOLUNTEER


class TransactionKind(models.TextChoices):
    SERVICE = "service", "服务"
    REDEMPTION = "redemption", "兑换"
    REVERSAL = "reversal", "冲正"


class Transaction(models.Model):
    """One balanced posting (its entries sum to zero). A reversal (冲正) names the transaction it
    undoes, which is reversed at most once."""

    district = models.ForeignKey(
        Unit, verbose_name="所属区县", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类型", max_length=16, choices=TransactionKind.choices)
    date = models.DateField("日期")
    memo = models.CharField("摘要", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记账人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("记账时间", auto_now_add=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name="冲正的记账",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )

    class Meta:
        verbose_name = "记账"
        verbose_name_plural = "记账"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date} {self.memo}"


class Entry(models.Model):
    """One line of a transaction: `amount` hours added to (positive) or taken from (negative)
    the account."""

    transaction = models.ForeignKey(
        Transaction, verbose_name="记账", on_delete=models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(
        Account, verbose_name="账户", on_delete=models.PROTECT, related_name="entries"
    )
    amount = models.DecimalField("时长（小时）", max_digits=10, decimal_places=1)

    class Meta:
        verbose_name = "分录"
        verbose_name_plural = "分录"
        ordering = ["transaction_id", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="timebank_entry_not_zero")
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount:+}"


class ServiceState(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认"
    RETURNED = "returned", "已退回"
    REVERSED = "reversed", "已冲正"


class ServiceRecord(models.Model):
    """A volunteer's service as entered; it counts (is posted) only once a second person — not
    the one who entered it — confirms it, or it is returned with a reason."""

    account = models.ForeignKey(
        Account, verbose_name="志愿者", on_delete=models.PROTECT, related_name="services"
    )
    date = models.DateField("服务日期")
    hours = models.DecimalField("服务时长（小时）", max_digits=4, decimal_places=1)
    activity = models.ForeignKey(
        PracticeActivity,
        verbose_name="实践活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="timebank_services",
    )
    beneficiary = models.CharField("服务对象", max_length=100)
    content = models.TextField("服务内容")
    state = models.CharField(
        "状态", max_length=16, choices=ServiceState.choices, default=ServiceState.PENDING
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=300, blank=True)
    transaction = models.OneToOneField(
        Transaction,
        verbose_name="记账",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service",
    )

    class Meta:
        verbose_name = "服务记录"
        verbose_name_plural = "服务记录"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.account} {self.date} {self.hours}小时"


class Redemption(models.Model):
    """Hours a volunteer exchanged (兑换) for goods or a service, never more than his balance."""

    account = models.ForeignKey(
        Account, verbose_name="志愿者", on_delete=models.PROTECT, related_name="redemptions"
    )
    date = models.DateField("兑换日期")
    hours = models.DecimalField("兑换时长（小时）", max_digits=6, decimal_places=1)
    item = models.CharField("兑换内容", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    transaction = models.OneToOneField(
        Transaction, verbose_name="记账", on_delete=models.PROTECT, related_name="redemption"
    )

    class Meta:
        verbose_name = "兑换记录"
        verbose_name_plural = "兑换记录"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.account} {self.date} {self.item}"


def hours_text(hours) -> str:
    """Hours as people write them: 1, 1.5, 24 (never 1.0 or 2.4E+1)."""
    return f"{Decimal(hours).normalize():f}"


# Hours may be typed with their unit ("1.5小时", "2h"): the number is read without it.
HOUR_UNITS = ("小时", "h")


def hours_example(maximum: Decimal = MAX_SERVICE_HOURS) -> str:
    """The 如… of a refused number of hours (core.params.parse_number's `example`)."""
    return f"1.5（以小时为单位，最多{hours_text(maximum)}小时）"


def hours_problem(value, *, maximum: Decimal = MAX_SERVICE_HOURS) -> str:
    """Why `value` is not a valid number of hours ("" when it is): a positive multiple of half
    an hour, at most `maximum` (24 for one service record)."""
    if value is None:
        return "请填写时长"
    hours = Decimal(value)
    if hours <= 0:
        return "应大于0"
    if hours % HOURS_STEP:
        return f"必须是0.5小时的整数倍（如0.5、1、1.5……最多{hours_text(maximum)}小时）"
    if hours > maximum:
        return f"超过上限（一次最多{hours_text(maximum)}小时）"
    return ""
