from django.conf import settings
from django.db import models
from django.urls import reverse

from shigan.core.models import TimeStamped


class UnitKind(models.TextChoices):
    PARTY_GOVERNMENT = "party_gov", "党委政府"
    OFFICE = "office", "办公室"
    BUREAU = "bureau", "部门"
    TOWNSHIP = "township", "乡镇街道"
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"
    ENTERPRISE = "enterprise", "企业"
    TASK_FORCE = "task_force", "专班"


class Unit(TimeStamped):
    """A unit of the organisation (单位); units form a tree.

    Its district (`district`) is the nearest 党委政府 unit at or above it (else the tree's root):
    the level whose coordinator reads it, within which unit names and codes are unique (two
    districts of one database may both have a 水务站). `save()` keeps it, for the unit and, when
    the unit moves or changes kind, for the units below it."""

    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    code = models.CharField(
        "单位编码",
        max_length=32,
        blank=True,
        help_text="组织架构表中的稳定编码：再次导入时按编码更新，不按名称",
    )
    kind = models.CharField("类型", max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    district = models.ForeignKey(
        "self",
        verbose_name="所属区县",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.DO_NOTHING,
        related_name="district_units",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="uniq_unit_name_in_district"),
            models.UniqueConstraint(
                fields=["district", "code"],
                condition=~models.Q(code=""),
                name="uniq_unit_code_in_district",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def _district_above(self) -> int | None:
        """The district this unit belongs to when it is not a district itself."""
        if self.kind == UnitKind.PARTY_GOVERNMENT or self.parent_id is None:
            return self.pk
        parent = self._state.fields_cache.get("parent")
        if parent is not None and parent.pk == self.parent_id and parent.district_id:
            return parent.district_id
        return Unit.objects.filter(pk=self.parent_id).values_list("district_id", flat=True).first()

    def save(self, *args, **kwargs):
        before = self.district_id
        self.district_id = self._district_above()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "district"}
        super().save(*args, **kwargs)
        if self.district_id is None:  # new district (or root): it is its own
            self.district_id = self.pk
            Unit.objects.filter(pk=self.pk).update(district_id=self.pk)
        if before is not None and before != self.district_id:
            relink_districts([self.pk])


def district_of_unit(unit_id: int | None) -> int | None:
    """The district of the unit `unit_id` (one query), None for none."""
    if unit_id is None:
        return None
    return Unit.objects.filter(pk=unit_id).values_list("district_id", flat=True).first()


def relink_districts(root_ids) -> None:
    """Recompute `district` below the given units, level by level (after a move or a change of
    kind): per level one read and one update per district its units move to."""
    level = list(Unit.objects.filter(parent_id__in=root_ids).select_related("parent"))
    while level:
        moved: dict[int, list[int]] = {}
        for unit in level:
            district = (
                unit.pk if unit.kind == UnitKind.PARTY_GOVERNMENT else unit.parent.district_id
            )
            if unit.district_id != district:
                moved.setdefault(district, []).append(unit.pk)
        for district, unit_ids in moved.items():
            Unit.objects.filter(pk__in=unit_ids).update(district_id=district)
        level = list(
            Unit.objects.filter(parent_id__in=[u.pk for u in level]).select_related("parent")
        )


class Role(models.TextChoices):
    """What an account may do in Shigan; scoped in orgs/scope.py, enforced by each app's access.py."""

    COORDINATOR = "coordinator", "专班（统筹）"
    LEADER = "leader", "领导"
    REPORTER = "reporter", "单位填报员"
    INSPECTOR = "inspector", "督查"


class Person(TimeStamped):
    """A person of the organisation, with a post in a unit and, optionally, an account and role."""

    name = models.CharField("姓名", max_length=50)
    unit = models.ForeignKey(
        Unit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="people"
    )
    post = models.CharField("职务", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    code = models.CharField(
        "人员编码",
        max_length=32,
        blank=True,
        help_text="组织架构表中的稳定编码：再次导入时按编码更新，不按姓名",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    role = models.CharField("系统角色", max_length=16, choices=Role.choices, blank=True)
    must_change_password = models.BooleanField(
        "须修改密码",
        default=False,
        help_text="初始密码或重置后的密码：登录后须先修改密码才能使用其他页面",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）" if self.post else self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:orgs_person_change", args=[self.pk])


class LeadingGroup(TimeStamped):
    """A leading group (领导小组), e.g. the campaign's 实干年活动领导小组."""

    name = models.CharField("名称", max_length=100)

    class Meta:
        verbose_name = "领导小组"
        verbose_name_plural = "领导小组"

    def __str__(self) -> str:
        return self.name


class GroupRole(models.TextChoices):
    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "成员"


class LeadingGroupMember(models.Model):
    """A person's seat in a leading group."""

    group = models.ForeignKey(
        LeadingGroup, verbose_name="领导小组", on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT)
    role = models.CharField("职务", max_length=8, choices=GroupRole.choices)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "领导小组成员"
        verbose_name_plural = "领导小组成员"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="uniq_group_member")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person.name}"


class Oversight(models.Model):
    """A leader oversees a unit (分管); the unit's work rolls up to the leader's view."""

    leader = models.ForeignKey(
        Person, verbose_name="分管领导", on_delete=models.CASCADE, related_name="oversights"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="分管单位", on_delete=models.CASCADE, related_name="oversights"
    )

    class Meta:
        verbose_name = "分管关系"
        verbose_name_plural = "分管关系"
        constraints = [models.UniqueConstraint(fields=["leader", "unit"], name="uniq_oversight")]

    def __str__(self) -> str:
        return f"{self.leader.name} 分管 {self.unit.name}"


class WorkdayOverride(TimeStamped):
    """A district's own departure from the national working-day calendar (shigan.core.workdays):
    a local holiday on a weekday, or a working day on a weekend or public holiday, with its
    reason. At most one per district and date; removing one keeps the row inactive
    (`active=False`), so the date's 历史记录 stays whole and adding it again continues it."""

    district = models.ForeignKey(
        Unit,
        verbose_name="区县",
        on_delete=models.CASCADE,
        related_name="workday_overrides",
    )
    date = models.DateField("日期")
    is_workday = models.BooleanField("是否上班", help_text="上班：工作日；不上班：休息日")
    reason = models.CharField("原因", max_length=200)
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["district", "date"], name="uniq_workday_override")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '休息'}"


class LoginFailure(models.Model):
    """One refused sign-in (a wrong password, or a name without an account), kept for the login
    throttle (orgs.throttle): counted by the name typed and by the address it came from. In the
    database, so every server process counts the same failures. A successful sign-in, or a
    coordinator's 解锁, removes the account's rows."""

    username = models.CharField("用户名", max_length=150, db_index=True)
    address = models.CharField("来源地址", max_length=45, db_index=True)
    at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"

    def __str__(self) -> str:
        return f"{self.username} {self.address} {self.at:%Y-%m-%d %H:%M:%S}"
