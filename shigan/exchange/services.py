"""Writes of the exchange (see shigan.exchange.__doc__): this installation's id, peers, and
importing a package — verified, checked against the sequence and month already accepted, then
applied all-or-nothing; every package offered is logged (ImportLog) and audited."""

import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction, AuditSource
from shigan.orgs.models import Person, Unit, UnitKind

from . import package
from .mirror_down import apply_handdowns
from .mirror_up import apply_report
from .models import ImportLog, ImportResult, Installation, Peer, PeerSide
from .package import PackageError

UNCHANGED = "已导入，未作改动"


def installation_self() -> Installation:
    """This installation's identity, made on first use."""
    found = Installation.objects.order_by("pk").first()
    return found or Installation.objects.create()


def _home(home_name: str | None) -> Unit:
    roots = Unit.objects.filter(kind=UnitKind.PARTY_GOVERNMENT)
    found = list(roots.filter(name=home_name) if home_name else roots.filter(parent=None)[:2])
    if len(found) != 1:
        raise ValidationError(
            f"找不到本级党委政府单位“{home_name}”。" if home_name
            else "无法确定本级单位：请用 --home 指定本级党委政府单位的名称。"
        )  # fmt: skip
    return found[0]


def _peer_unit(side: str, home: Unit, name: str) -> Unit:
    """The peer's unit here: a district below `home`, or the county above it (made if absent;
    `home` is put below the county)."""
    if side == PeerSide.LOWER:
        unit = Unit.objects.filter(parent=home, name=name).first()
        return unit or Unit.objects.create(name=name, kind=UnitKind.PARTY_GOVERNMENT, parent=home)
    if home.parent_id is not None:
        if home.parent.name != name:
            raise ValidationError(f"本级单位已隶属“{home.parent.name}”，不是“{name}”。")
        return home.parent
    unit = Unit.objects.filter(parent=None, name=name, kind=UnitKind.PARTY_GOVERNMENT).first()
    unit = unit or Unit.objects.create(name=name, kind=UnitKind.PARTY_GOVERNMENT)
    before = snapshot(home)
    home.parent = unit
    home.save(update_fields=["parent", "updated_at"])
    audit_record(actor=None, obj=home, action=AuditAction.UPDATE, before=before,
                 source=AuditSource.IMPORT, note="数据交换：隶属上级")  # fmt: skip
    return unit


@transaction.atomic
def peer_add(
    *, name: str, installation_id: str, side: str, unit_name: str, home_name: str | None = None,
    key: str | None = None,
) -> tuple[Peer, str]:  # fmt: skip
    """Record the other installation of a pair; returns it and the pair's key (new if none is
    given). Raises ValidationError with a Chinese message."""
    peer_id = _uuid(installation_id)
    if peer_id is None:
        raise ValidationError(f"安装标识“{installation_id}”格式不对（应为 UUID）。")
    key = (key or package.new_key()).strip().lower()
    if not package.KEY.match(key):
        raise ValidationError("密钥应为64位十六进制字符（由另一端 peer add 生成）。")
    if peer_id == installation_self().installation_id:
        raise ValidationError("对方安装标识与本安装相同。")
    if (
        Peer.objects.filter(name=name).exists()
        or Peer.objects.filter(installation_id=peer_id).exists()
    ):
        raise ValidationError(f"对方“{name}”或安装标识{peer_id}已登记。")
    if side not in PeerSide.values or not name.strip() or not unit_name.strip():
        raise ValidationError("请填写名称、对方单位，并指定对方层级 upper 或 lower。")
    home = _home(home_name)
    unit = _peer_unit(side, home, unit_name.strip())
    peer = Peer.objects.create(
        name=name.strip(), installation_id=peer_id, side=side, unit=unit, home=home, key=key
    )
    audit_record(actor=None, obj=peer, action=AuditAction.CREATE, source=AuditSource.IMPORT)
    return peer, key


def peer_user(peer: Peer):
    """The account records from `peer` are filed under (inactive, no password)."""
    user, made = get_user_model().objects.get_or_create(
        username=f"exchange-{peer.pk}", defaults={"is_active": False}
    )
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Person.objects.create(name=f"{peer.name[:40]}（数据交换）", unit=peer.unit, user=user)
    return user


@dataclass
class Outcome:
    result: str
    reason: str

    @property
    def message(self) -> str:
        return (
            f"{ImportResult(self.result).label}：{self.reason}"
            if self.reason
            else ImportResult(self.result).label
        )


def _header(found: package.Unverified) -> tuple[Peer, str, str, int]:
    data = found.data
    sender, receiver = data.get("from"), data.get("to")
    if not isinstance(sender, dict) or not isinstance(receiver, dict):
        raise PackageError("不是有效的交换包：缺少发送方或接收方。")
    peer = Peer.objects.filter(installation_id=_uuid(sender.get("installation"))).first()
    if peer is None:
        raise PackageError(
            f"未知的安装“{package.shown(sender.get('name'), 60)}”（{package.shown(sender.get('installation'))}）："
            "请先用 shigan exchange peer add 登记对方及双方约定的密钥。"
        )
    if _uuid(receiver.get("installation")) != installation_self().installation_id:
        raise PackageError(
            f"该包是发给另一安装（{package.shown(receiver.get('name'), 60)}）的，不是本安装。"
        )
    kind = data.get("kind")
    expected = package.KIND_REPORT if peer.side == PeerSide.LOWER else package.KIND_HANDDOWN
    if kind != expected:
        raise PackageError(
            f"“{peer.name}”只能发来{package.KIND_LABELS[expected]}，本包类型为{package.shown(kind, 20)}。"
        )
    seq = data.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise PackageError("不是有效的交换包：序号应为正整数。")
    package.parse_period(data.get("period"))
    return peer, kind, data["period"], seq


def _uuid(value) -> str | None:
    """The installation id `value` in its canonical text, None if it is not one."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def _order_problem(peer: Peer, found: package.Unverified, period: str, seq: int) -> str | None:
    accepted = ImportLog.objects.filter(peer=peer, result=ImportResult.ACCEPTED)
    if accepted.filter(sha256=found.sha256).exists():
        return UNCHANGED
    if seq <= peer.in_seq:
        return f"重放或过期的包：序号{seq}不大于已接收的序号{peer.in_seq}，未导入。"
    if peer.in_period and period > package.next_period(peer.in_period):
        missing = package.period_label(package.next_period(peer.in_period))
        return (
            f"月份不连续：已接收到{package.period_label(peer.in_period)}，"
            f"缺少{missing}的包，请先导入{missing}的包。"
        )
    return None


@transaction.atomic
def _apply(peer: Peer, found: package.Unverified, period: str, seq: int) -> list[str]:
    """Apply the package; what was left out of it, for the operator's summary."""
    peer = Peer.objects.select_for_update().select_related("unit", "home").get(pk=peer.pk)
    body = found.data.get("body")
    if not isinstance(body, dict):
        raise PackageError("交换包内容不完整：缺少正文。")
    note = f"数据交换：{peer.name} {package.period_label(period)} 序号{seq}"
    notices = []
    if peer.side == PeerSide.LOWER:
        notices = apply_report(peer, body, user=peer_user(peer), note=note)
    else:
        apply_handdowns(peer, body, user=peer_user(peer), note=note)
    peer.in_seq = seq
    peer.in_period = max(peer.in_period, period)
    peer.save(update_fields=["in_seq", "in_period"])
    return notices


def import_package(raw: bytes) -> Outcome:
    """Import a package file's bytes: accepted, unchanged (already imported) or refused with the
    reason; logged and audited whatever the result. Nothing of a refused package is written."""
    log = ImportLog(sha256=package.hashlib.sha256(raw).hexdigest())
    try:
        found = package.read(raw)
        log.package_id = str(found.data.get("id", ""))[:64]
        peer, log.kind, log.period, log.seq = _header(found)
        log.peer = peer
        found.verify(peer.key)
        problem = _order_problem(peer, found, log.period, log.seq)
        if problem == UNCHANGED:
            return _logged(log, ImportResult.UNCHANGED, "")
        if problem:
            return _logged(log, ImportResult.REFUSED, problem)
        notices = _apply(peer, found, log.period, log.seq)
    except PackageError as exc:
        return _logged(log, ImportResult.REFUSED, str(exc))
    except ValidationError as exc:
        return _logged(log, ImportResult.REFUSED, "；".join(exc.messages))
    # accepted: the reason says what the package held that was left out, if anything
    return _logged(log, ImportResult.ACCEPTED, "；".join(notices) + ("。" if notices else ""))


@transaction.atomic
def _logged(log: ImportLog, result: str, reason: str) -> Outcome:
    log.result, log.reason = result, reason
    log.save()
    audit_record(actor=None, obj=log, action=AuditAction.CREATE, source=AuditSource.IMPORT,
                 note=reason[:500])  # fmt: skip
    return Outcome(result, reason)
