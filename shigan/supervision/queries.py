"""Reads for the supervision pages and dashboard cards: a fixed number of queries per page."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from shigan.campaigns.models import Campaign
from shigan.core.cards import Card
from shigan.orgs.models import Unit
from shigan.tasks.models import ChangeKind, ChangeRequest, ProgressReport, Task, TaskState
from shigan.tasks.queries import change_requests_pending_on, known_until, progress_known

from .access import can_read_spot_checks, findings_visible_to, inspections_visible_to
from .models import (
    Exemplar,
    Finding,
    Inspection,
    InspectionKind,
    Notice,
    Polarity,
    SpotCheck,
    Verification,
)
from .status import OPEN_STATUSES, FindingFacts, FindingStatus, finding_status


def findings_annotated(findings: QuerySet, as_of: datetime.date) -> QuerySet:
    """Findings with what the status rules read, as annotations (one query), as known on
    `as_of` (tasks.queries: reports filed and requests pending then; verifications up to it)."""
    reports = (
        ProgressReport.objects.filter(progress_known(as_of), task=OuterRef("task_id"))
        .order_by()
        .values("task_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    pending = ChangeRequest.objects.filter(
        change_requests_pending_on(as_of), task=OuterRef("task_id"), kind=ChangeKind.COMPLETE
    )
    latest = Verification.objects.filter(finding=OuterRef("pk"), date__lte=as_of).order_by(
        "-date", "-id"
    )
    return findings.select_related("inspection", "unit", "task").annotate(
        report_count=Coalesce(Subquery(reports, output_field=IntegerField()), 0),
        completion_requested_at=Subquery(pending.values("requested_at")[:1]),
        last_result=Subquery(latest.values("result")[:1]),
        last_verified_on=Subquery(latest.values("date")[:1]),
    )


@dataclass
class FindingRow:
    """One finding as the pages show it, with its derived status."""

    finding: Finding
    status: FindingStatus
    days_left: int
    reports: int
    last_result: str | None
    last_verified_on: datetime.date | None
    completion_requested_on: datetime.date | None


def _row(finding: Finding, today: datetime.date) -> FindingRow:
    requested = finding.completion_requested_at
    requested_on = timezone.localdate(requested) if requested else None
    task = finding.task
    facts = FindingFacts(
        task_state=task.state,
        due_date=task.due_date,
        closed_on=task.closed_on,
        reports=finding.report_count,
        completion_requested_on=requested_on,
        last_result=finding.last_result,
        last_verified_on=finding.last_verified_on,
    )
    return FindingRow(
        finding=finding,
        status=finding_status(facts, today),
        days_left=(task.due_date - today).days,
        reports=finding.report_count,
        last_result=finding.last_result,
        last_verified_on=finding.last_verified_on,
        completion_requested_on=requested_on,
    )


def finding_rows(
    findings: QuerySet, today: datetime.date, *, statuses: set[str] | None = None
) -> list[FindingRow]:
    """Rows with derived status for `findings` (one query), optionally only some statuses."""
    rows = [_row(f, today) for f in findings_annotated(findings, today)]
    return [r for r in rows if not statuses or r.status in statuses]


def finding_row(pk: int, today: datetime.date) -> FindingRow:
    return finding_rows(Finding.objects.filter(pk=pk), today)[0]


def status_counts(rows: list[FindingRow]) -> dict[FindingStatus, int]:
    counted = Counter(row.status for row in rows)
    return {status: counted[status] for status in FindingStatus}


@dataclass
class InspectionRow:
    inspection: Inspection
    counts: dict[FindingStatus, int]
    total: int


def inspections_listed(inspections: QuerySet) -> QuerySet:
    return inspections.select_related("campaign").prefetch_related("units", "inspectors")


def inspection_rows(
    inspections: list[Inspection], findings: QuerySet, today: datetime.date
) -> list[InspectionRow]:
    """Each inspection with the counts by status of its findings among `findings` (one query)."""
    ids = [i.pk for i in inspections]
    by_inspection: dict[int, list[FindingRow]] = {pk: [] for pk in ids}
    for row in finding_rows(findings.filter(inspection_id__in=ids), today):
        by_inspection[row.finding.inspection_id].append(row)
    return [
        InspectionRow(i, status_counts(by_inspection[i.pk]), len(by_inspection[i.pk]))
        for i in inspections
    ]


def spot_check_population(
    *, campaign: Campaign, unit: Unit | None = None, origin: str = ""
) -> list[int]:
    """Ids, ascending, of the campaign's completed tasks (of one lead unit / origin if given)."""
    tasks = Task.objects.filter(campaign=campaign, state=TaskState.COMPLETED)
    if unit is not None:
        tasks = tasks.filter(lead_unit=unit)
    if origin:
        tasks = tasks.filter(origin=origin)
    return list(tasks.order_by("id").values_list("id", flat=True))


def spot_checks_listed(spot_checks: QuerySet) -> QuerySet:
    return spot_checks.select_related("campaign", "unit", "created_by__person")


def spot_check_tasks(spot_check: SpotCheck) -> list[Task]:
    """The drawn tasks, in the order drawn (one query)."""
    tasks = Task.objects.filter(pk__in=spot_check.drawn).select_related(
        "lead_unit", "category", "finding"
    )
    found = {task.pk: task for task in tasks}
    return [found[pk] for pk in spot_check.drawn if pk in found]


def notices_listed(notices: QuerySet) -> QuerySet:
    """Notices with their exemplars and the units and people named (four queries)."""
    exemplars = Exemplar.objects.prefetch_related("units", "people")
    return notices.select_related("campaign").prefetch_related(
        Prefetch("exemplars", queryset=exemplars)
    )


def notice_names_unit(notice: Notice, unit_id: int | None) -> bool:
    """Whether one of the notice's (prefetched) exemplars names the unit."""
    return any(u.pk == unit_id for e in notice.exemplars.all() for u in e.units.all())


def findings_card(tally: "FindingTally", url: str) -> Card:
    """The findings card of a dashboard: 未销号 of the tally, each status's count."""
    counts = tally.counts
    return Card(
        key="findings",
        title="督查问题整改",
        value=tally.open,
        unit="个未销号",
        url=url,
        note=f"共{tally.total}个问题，已销号{counts[FindingStatus.CLOSED]}个",
        tone="overdue" if counts[FindingStatus.OVERDUE] else "",
        items=[(s.label, counts[s]) for s in FindingStatus if counts[s]],
    )


def _findings_card(user, campaign: Campaign, as_of: datetime.date, unit: int | None = None) -> Card:
    findings = Finding.objects.filter(unit_id=unit) if unit else Finding.objects.all()
    tally = finding_tally(campaign, as_of, findings_visible_to(user, findings))
    url = f"{reverse('supervision:finding_list')}?campaign={campaign.pk}"
    return findings_card(tally, f"{url}&unit={unit}" if unit else url)


def _inspections_card(user, campaign: Campaign, as_of: datetime.date) -> Card:
    inspections = inspections_visible_to(user, Inspection.objects.all())
    tally = inspection_tally(campaign, as_of, inspections)
    return Card(
        key="inspections",
        title="督查检查",
        value=tally.total,
        unit="次",
        url=f"{reverse('supervision:inspection_list')}?campaign={campaign.pk}",
        items=[(k.label, len(held)) for k, held in tally.by_kind.items() if held],
    )


def _notices_card(campaign: Campaign, as_of: datetime.date) -> Card:
    tally = notice_tally(campaign, as_of, Notice.objects.all())
    return Card(
        key="notices",
        title="通报与典型",
        value=len(tally.notices),
        unit="份通报",
        url=f"{reverse('supervision:notice_list')}?campaign={campaign.pk}",
        items=[(p.label, len(tally.exemplars(p))) for p in Polarity],
    )


def _spot_checks_card(campaign: Campaign, as_of: datetime.date) -> Card:
    checks = SpotCheck.objects.filter(campaign=campaign)
    if (until := known_until(as_of)) is not None:  # drawn by the end of as_of
        checks = checks.filter(created_at__lt=until)
    drawn = list(checks.values_list("drawn", flat=True))
    return Card(
        key="spot_checks",
        title="随机抽查",
        value=len(drawn),
        unit="次",
        url=f"{reverse('supervision:spot_check_list')}?campaign={campaign.pk}",
        items=[("抽中事项", sum(len(d) for d in drawn))],
    )


def supervision_cards(
    user,
    campaign: Campaign,
    as_of: datetime.date,
    *,
    unit: int | None = None,
    with_findings: bool = True,
) -> list[Card]:
    """The supervision cards of a dashboard as of a date, scoped to what the user may read
    (a fixed number of queries); with `unit`, the findings card counts that unit's findings;
    without `with_findings`, no findings card (an upper level's cockpit counts its own)."""
    cards = [_findings_card(user, campaign, as_of, unit)] if with_findings else []
    cards += [_inspections_card(user, campaign, as_of), _notices_card(campaign, as_of)]
    if can_read_spot_checks(user):
        cards.append(_spot_checks_card(campaign, as_of))
    return cards


# Figures the cockpit, the supervision pages and the report state, each computed here once. The
# scope is the caller's argument: what a user reads (supervision.access, narrowed by the
# cockpit's unit filter), or every record for the district's report.


def findings_found(campaign: Campaign, as_of: datetime.date, findings: QuerySet) -> QuerySet:
    """Findings among `findings` of the campaign's inspections held by `as_of` (a finding exists
    from its inspection's date)."""
    return findings.filter(inspection__campaign=campaign, inspection__date__lte=as_of)


def findings_found_in_year(year: int, as_of: datetime.date, findings: QuerySet) -> QuerySet:
    """Findings among `findings` of the inspections of `year`'s campaigns held by `as_of`: an
    upper level's, over its own and its lower levels' campaigns (下级对比, the cockpit)."""
    return findings.filter(inspection__campaign__year=year, inspection__date__lte=as_of)


@dataclass
class FindingTally:
    """Findings with their status on a date, counted by status."""

    rows: list[FindingRow]
    counts: dict[FindingStatus, int]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def open(self) -> int:
        """Not yet closed (未销号) nor cancelled."""
        return sum(self.counts[s] for s in OPEN_STATUSES)


def finding_tally(campaign: Campaign, as_of: datetime.date, findings: QuerySet) -> FindingTally:
    """The campaign's findings among `findings` found by `as_of`, with their status then (one
    query)."""
    rows = finding_rows(findings_found(campaign, as_of, findings), as_of)
    return FindingTally(rows, status_counts(rows))


def finding_tally_in_year(year: int, as_of: datetime.date, findings: QuerySet) -> FindingTally:
    """The findings among `findings` of `year`'s campaigns found by `as_of`, with their status
    then (one query)."""
    rows = finding_rows(findings_found_in_year(year, as_of, findings), as_of)
    return FindingTally(rows, status_counts(rows))


@dataclass
class InspectionTally:
    """Inspections held by a date, oldest first, by kind (every kind listed)."""

    by_kind: dict[InspectionKind, list[Inspection]]

    @property
    def total(self) -> int:
        return sum(len(held) for held in self.by_kind.values())


def inspection_tally(
    campaign: Campaign, as_of: datetime.date, inspections: QuerySet
) -> InspectionTally:
    """The campaign's inspections among `inspections` held by `as_of`, by kind (one query)."""
    by_kind: dict[InspectionKind, list[Inspection]] = {kind: [] for kind in InspectionKind}
    held = inspections.filter(campaign=campaign, date__lte=as_of).order_by("date", "id")
    for inspection in held:
        by_kind[InspectionKind(inspection.kind)].append(inspection)
    return InspectionTally(by_kind)


@dataclass
class NoticeTally:
    """Notices issued by a date, oldest first, with their exemplars (典型) in order."""

    notices: list[Notice]

    def exemplars(self, polarity: str) -> list[tuple[Notice, Exemplar]]:
        """(notice, exemplar) of one polarity (先进典型 or 反面典型), in notice order."""
        return [(n, e) for n in self.notices for e in n.exemplars.all() if e.polarity == polarity]


def notice_tally(campaign: Campaign, as_of: datetime.date, notices: QuerySet) -> NoticeTally:
    """The campaign's notices among `notices` issued by `as_of` (two queries)."""
    exemplars = Prefetch("exemplars", queryset=Exemplar.objects.order_by("sort_order", "id"))
    issued = notices.filter(campaign=campaign, date__lte=as_of).order_by("date", "id")
    return NoticeTally(list(issued.prefetch_related(exemplars)))
