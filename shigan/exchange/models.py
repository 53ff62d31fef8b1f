"""Exchange between separate installations (see shigan.exchange.__doc__ for the rules): this
installation's id, its peers (the other installation of a pair, with the pair's HMAC key), the
mapping of the peer's records to local ones, and the log of every package imported."""

import uuid

from django.db import models

from shigan.orgs.models import Unit


def new_id() -> str:
    return str(uuid.uuid4())


class Installation(models.Model):
    """This installation's identity: one row, made on first use (`installation_self`)."""

    installation_id = models.CharField("安装标识", max_length=36, default=new_id, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "本安装"
        verbose_name_plural = "本安装"

    def __str__(self) -> str:
        return str(self.installation_id)


class PeerSide(models.TextChoices):
    """The peer's level relative to this installation."""

    UPPER = "upper", "上级（本安装上报、接收交办）"
    LOWER = "lower", "下级（本安装交办、接收上报）"


class Peer(models.Model):
    """The other installation of a pair. `unit` is the peer's unit in this database (at a county,
    the district's 党委政府 unit below the county; at a district, the county's unit above it);
    `home` is this installation's own level (党委政府 unit). `key` is the pair's HMAC-SHA256
    key (hex). `out_seq`: the last sequence number exported to it; `in_seq`, `in_period`: the
    last package accepted from it."""

    name = models.CharField("名称", max_length=60, unique=True)
    installation_id = models.CharField("对方安装标识", max_length=36, unique=True)
    side = models.CharField("对方层级", max_length=8, choices=PeerSide.choices)
    unit = models.ForeignKey(
        Unit, verbose_name="对方单位", on_delete=models.PROTECT, related_name="+"
    )
    home = models.ForeignKey(
        Unit, verbose_name="本级单位", on_delete=models.PROTECT, related_name="+"
    )
    # Not editable: the audit trail's snapshot leaves it out (the key never reaches the trail).
    key = models.CharField("密钥", max_length=128, editable=False)
    out_seq = models.PositiveIntegerField("已导出序号", default=0)
    in_seq = models.PositiveIntegerField("已接收序号", default=0)
    in_period = models.CharField("已接收月份", max_length=7, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "交换对方"
        verbose_name_plural = "交换对方"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExternalRef(models.Model):
    """A peer's record (its type and its pk there) and the local record mirroring it."""

    peer = models.ForeignKey(
        Peer, verbose_name="对方", on_delete=models.PROTECT, related_name="refs"
    )
    kind = models.CharField("记录类型", max_length=32)
    remote_id = models.PositiveBigIntegerField("对方记录号")
    local_id = models.PositiveBigIntegerField("本地记录号")

    class Meta:
        verbose_name = "对方记录映射"
        verbose_name_plural = "对方记录映射"
        constraints = [
            models.UniqueConstraint(fields=["peer", "kind", "remote_id"], name="uniq_external_ref")
        ]

    def __str__(self) -> str:
        return f"{self.peer} {self.kind}#{self.remote_id} → {self.local_id}"


class ImportResult(models.TextChoices):
    ACCEPTED = "accepted", "已接收"
    UNCHANGED = "unchanged", "已导入，未作改动"
    REFUSED = "refused", "已拒收"


class ImportLog(models.Model):
    """Every package offered to `shigan exchange import`, whatever came of it."""

    package_id = models.CharField("包标识", max_length=64, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    peer = models.ForeignKey(
        Peer, verbose_name="对方", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类型", max_length=16, blank=True)
    period = models.CharField("月份", max_length=7, blank=True)
    seq = models.PositiveIntegerField("序号", null=True, blank=True)
    result = models.CharField("结果", max_length=16, choices=ImportResult.choices)
    reason = models.TextField("说明", blank=True)
    at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "交换包导入记录"
        verbose_name_plural = "交换包导入记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.package_id or self.sha256[:12]} {self.get_result_display()}"
