"""What a package carries (see shigan.exchange.__doc__): the report-up body a district sends its
county, the hand-down body a county sends a district, and the signed package around either."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from shigan.directives.models import HandDown, HandDownState
from shigan.indicators.models import Actual, Indicator
from shigan.tasks.models import Milestone, ProgressReport, Task

from . import package
from .models import Peer, PeerSide
from .refs import RefMap
from .services import installation_self


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _task(task: Task, upper: int | None) -> dict:
    return {
        "id": task.pk, "campaign": task.campaign_id, "category": task.category.name,
        "number": task.number, "title": task.title, "target": task.target,
        "lead_unit": task.lead_unit_id, "start": _day(task.start_date), "due": _day(task.due_date),
        "state": task.state, "closed_on": _day(task.closed_on), "upper": upper,
    }  # fmt: skip


def _report(report: ProgressReport) -> dict:
    return {
        "id": report.pk, "task": report.task_id, "unit": report.unit_id,
        "period": _day(report.period), "text": report.text,
        "milestones": [item.get("id") for item in report.milestones_reached],
        "corrects": report.corrects_id, "reason": report.correction_reason,
    }  # fmt: skip


def _actual(actual: Actual) -> dict:
    return {
        "id": actual.pk, "indicator": actual.indicator_id, "year": actual.year,
        "month": actual.month, "value": str(actual.value), "is_estimate": actual.is_estimate,
        "note": actual.note, "corrects": actual.corrects_id, "reason": actual.correction_reason,
    }  # fmt: skip


def _indicator(indicator: Indicator, upper: int | None) -> dict:
    return {
        "id": indicator.pk, "name": indicator.name, "measure_unit": indicator.measure_unit,
        "accumulation": indicator.accumulation, "direction": indicator.direction,
        "aggregation": indicator.aggregation, "unit": indicator.responsible_unit_id,
        "upper": upper,
    }  # fmt: skip


def report_body(peer: Peer, year: int, month: int) -> dict:
    """A district's month for its county: its tasks answering the county's hand-downs (state,
    milestones, every progress report up to the month), its indicators counting into the
    county's (汇入上级指标) with every figure of the year up to the month, and the county's
    hand-downs it returned (退回) with the reason."""
    upper_tasks, upper_indicators = RefMap(peer, "task"), RefMap(peer, "indicator")
    end = datetime.date(year, month, 1)
    tasks = list(
        Task.objects.filter(upper_task_id__in=list(upper_tasks.remote))
        .select_related("campaign", "category", "lead_unit")
        .order_by("pk")
    )
    indicators = list(
        Indicator.objects.filter(upper_id__in=list(upper_indicators.remote)).order_by("pk")
    )
    units = {t.lead_unit for t in tasks} | {i.responsible_unit for i in indicators}
    reports = ProgressReport.objects.filter(task__in=tasks, period__lte=end).order_by("pk")
    actuals = Actual.objects.filter(indicator__in=indicators, year=year, month__lte=month)
    return {
        "district": {"id": peer.home_id, "name": peer.home.name},
        "units": [
            {"id": u.pk, "name": u.name, "kind": u.kind} for u in sorted(units, key=lambda u: u.pk)
        ],
        "campaigns": [
            {
                "id": c.pk,
                "name": c.name,
                "year": c.year,
                "start": _day(c.start_date),
                "end": _day(c.end_date),
            }
            for c in sorted({t.campaign for t in tasks}, key=lambda c: c.pk)
        ],
        "tasks": [_task(t, upper_tasks.remote[t.upper_task_id]) for t in tasks],
        "milestones": [
            {
                "id": m.pk,
                "task": m.task_id,
                "title": m.title,
                "due": _day(m.due_date),
                "done_on": _day(m.done_on),
                "sort": m.sort_order,
            }
            for m in Milestone.objects.filter(task__in=tasks).order_by("pk")
        ],  # fmt: skip
        "reports": [_report(r) for r in reports],
        "indicators": [_indicator(i, upper_indicators.remote[i.upper_id]) for i in indicators],
        "actuals": [_actual(a) for a in actuals.order_by("pk")],
        "returns": [
            {"id": h.pk, "upper": upper_tasks.remote[h.upper_task_id], "reason": h.return_reason}
            for h in HandDown.objects.filter(
                unit=peer.home,
                state=HandDownState.RETURNED,
                upper_task_id__in=list(upper_tasks.remote),
            ).order_by("pk")
        ],  # fmt: skip
    }


def _directive(handdown: HandDown) -> dict | None:
    if handdown.point is None:
        return None
    directive = handdown.point.directive
    return {
        "id": directive.pk, "number": directive.number, "title": directive.title,
        "issuer": directive.issuer_label, "issued_on": _day(directive.issued_on),
        "point": {"id": handdown.point.pk, "text": handdown.point.text,
                  "sort": handdown.point.sort_order},
    }  # fmt: skip


def handdown_body(peer: Peer) -> dict:
    """A county's open hand-downs (待接收 or 已接收) to the district, each with its upper task
    and the directive point it comes from; the county's indicators a district figure may
    count into; and the hand-downs it withdrew (撤回), with the reason."""
    handdowns = (
        HandDown.objects.filter(unit=peer.unit)
        .filter(state__in=[HandDownState.PENDING, HandDownState.ACCEPTED])
        .select_related("upper_task", "point__directive__issuer")
        .order_by("pk")
    )
    return {
        "county": {"id": peer.home_id, "name": peer.home.name},
        "handdowns": [
            {
                "id": h.pk,
                "note": h.note,
                "handed_on": _day(h.handed_on),
                "directive": _directive(h),
                "task": _task_down(h.upper_task),
            }
            for h in handdowns
        ],  # fmt: skip
        "indicators": [
            _indicator(i, None) for i in Indicator.objects.filter(district=peer.home).order_by("pk")
        ],
        "withdrawals": [
            {"id": h.pk, "reason": h.withdraw_reason, "withdrawn_on": _day(h.withdrawn_on)}
            for h in HandDown.objects.filter(
                unit=peer.unit, state=HandDownState.WITHDRAWN
            ).order_by("pk")
        ],  # fmt: skip
    }


def _task_down(task: Task) -> dict:
    return {
        "id": task.pk, "title": task.title, "target": task.target, "start": _day(task.start_date),
        "due": _day(task.due_date), "state": task.state,
    }  # fmt: skip


@transaction.atomic
def export_package(*, peer: Peer, period: str) -> bytes:
    """The next package to `peer` for `period` ("2023-07"), signed; its sequence number is
    taken (peer.out_seq + 1) whether or not the file reaches the peer."""
    year, month = package.parse_period(period)
    peer = Peer.objects.select_for_update().select_related("home", "unit").get(pk=peer.pk)
    upward = peer.side == PeerSide.UPPER
    peer.out_seq += 1
    peer.save(update_fields=["out_seq"])
    data = {
        "format": package.FORMAT, "version": package.VERSION, "id": str(uuid.uuid4()),
        "kind": package.KIND_REPORT if upward else package.KIND_HANDDOWN,
        "from": {"installation": str(installation_self().installation_id), "name": peer.home.name},
        "to": {"installation": str(peer.installation_id), "name": peer.name},
        "period": package.period_text(year, month), "seq": peer.out_seq,
        "created_at": timezone.now().isoformat(),
        "body": report_body(peer, year, month) if upward else handdown_body(peer),
    }  # fmt: skip
    return package.write(data, peer.key)
