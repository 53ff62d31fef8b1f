"""Visits (走访 / 下访 / 现场办公), their photos, and pairings (结对帮扶 / 联系基层)."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from shigan.campaigns.models import Campaign
from shigan.core.files import StoredFile
from shigan.core.models import TimeStamped
from shigan.orgs.models import Person, Unit


class PlaceKind(models.TextChoices):
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"
    ENTERPRISE = "enterprise", "企业"
    HOUSEHOLD = "household", "农户/居民户"
    OTHER = "other", "其他"


class VisitKind(models.TextChoices):
    VISIT = "visit", "走访"
    DOWN_VISIT = "down_visit", "下访"
    ON_SITE = "on_site", "现场办公"


class PairingTargetKind(models.TextChoices):
    HOUSEHOLD = "household", "农户/居民户"
    VILLAGE = "village", "村/社区"
    ENTERPRISE = "enterprise", "企业"


class Pairing(TimeStamped):
    """A cadre paired with a household, a village or an enterprise (结对帮扶 / 联系基层): the visits
    made under it (Visit.pairing) and the help given (their `what_done`)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="pairings"
    )
    cadre = models.ForeignKey(
        Person, verbose_name="结对干部", on_delete=models.PROTECT, related_name="pairings"
    )
    target_kind = models.CharField("结对对象类型", max_length=16, choices=PairingTargetKind.choices)
    target_name = models.CharField("结对对象", max_length=100)
    place_unit = models.ForeignKey(
        Unit,
        verbose_name="所在村（社区）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    started_on = models.DateField("结对日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    note = models.TextField("帮扶内容", blank=True)

    class Meta:
        verbose_name = "结对帮扶"
        verbose_name_plural = "结对帮扶"
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"{self.cadre.name} ↔ {self.target_name}"


class Visit(TimeStamped):
    """A visit by one or more cadres (走访 / 下访 / 现场办公): where, whom they met, what was done.
    The concerns raised are entered with it (Concern.visit) and its photos (VisitPhoto) serve
    the concern, the practice event and the report: entered once."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.PROTECT, related_name="visits"
    )
    kind = models.CharField(
        "类型", max_length=16, choices=VisitKind.choices, default=VisitKind.VISIT
    )
    date = models.DateField("日期")
    cadres = models.ManyToManyField(Person, verbose_name="走访干部", related_name="visits")
    unit = models.ForeignKey(
        Unit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="visits"
    )
    place_kind = models.CharField("地点类型", max_length=16, choices=PlaceKind.choices)
    place = models.CharField("地点", max_length=100)
    place_unit = models.ForeignKey(
        Unit,
        verbose_name="所在村（社区）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits_at",
    )
    people_met = models.TextField("走访对象", blank=True)
    what_done = models.TextField("工作内容")
    pairing = models.ForeignKey(
        Pairing,
        verbose_name="结对帮扶",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "走访"
        verbose_name_plural = "走访"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["campaign", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("grassroots:visit_detail", args=[self.pk])


class VisitPhoto(StoredFile):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")

    class Meta(StoredFile.Meta):
        verbose_name = "走访照片"
        verbose_name_plural = "走访照片"

    def folder(self) -> str:
        return f"visits/{self.visit_id}"
