from django.db import models

from shigan.campaigns.models import Campaign
from shigan.core.models import TimeStamped
from shigan.orgs.models import Person

from .projects import MONEY


class InvestmentTrip(TimeStamped):
    """An investment-attraction trip (外出招商) led by a cadre during a campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="investment_trips"
    )
    date = models.DateField("出发日期")
    destination = models.CharField("目的地", max_length=100)
    leader = models.ForeignKey(
        Person,
        verbose_name="带队领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investment_trips",
    )
    contacts = models.TextField("对接企业及联系人", blank=True)

    class Meta:
        verbose_name = "外出招商"
        verbose_name_plural = "外出招商"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} 赴{self.destination}招商"


class Agreement(TimeStamped):
    """An investment agreement (协议) signed during a campaign; `landed` once the project is
    actually under way (实际落地), with the funds in place so far."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="agreements"
    )
    investor = models.CharField("投资方", max_length=200)
    project_name = models.CharField("项目名称", max_length=200)
    contract_amount = models.DecimalField("合同金额（万元）", default=0, **MONEY)
    signed_on = models.DateField("签约日期")
    landed = models.BooleanField("已落地", default=False)
    landed_on = models.DateField("落地日期", null=True, blank=True)
    funds_in_place = models.DecimalField("到位资金（万元）", default=0, **MONEY)
    trip = models.ForeignKey(
        InvestmentTrip,
        verbose_name="外出招商",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )

    class Meta:
        verbose_name = "招商协议"
        verbose_name_plural = "招商协议"
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.project_name}（{self.investor}）"
