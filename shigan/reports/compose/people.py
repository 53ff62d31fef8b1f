"""Clauses of the grassroots paragraph (四是 服务群众): visits, reception days, the people's
concerns and their efficiency, satisfaction, disputes, 办实事, practice activities and the time
bank, from the ledger as known on the report's date (grassroots.queries.ledger, the figures the
efficiency page and the lists compute; timebank.queries.services_counted). Each returns runs, or
None when no record backs it. Sources name records by number, date and place — never a
requester's name, phone or ID number, which the report does not print, nor a household visited.
"""

from decimal import Decimal

from shigan.grassroots.models import PlaceKind, Satisfaction, VisitKind
from shigan.reports import wording
from shigan.reports.document import Run
from shigan.tasks.status import TaskStatus

from .context import Ctx, figure
from .links import source

Clause = list[Run] | None


def _concern_source(concern, what: str, value: str):
    return source(concern, f"{concern.get_kind_display()}{concern.number}{what}", value)


def _visit_place(visit) -> str:
    """Where a visit went as the report names it: a home by its kind of place only (its place
    names the household, "清凉村三组 王大爷家"), anywhere else by its place."""
    if visit.place_kind == PlaceKind.HOUSEHOLD:
        return visit.get_place_kind_display()
    return visit.place


def visits(ctx: Ctx) -> Clause:
    """干部深入基层走访12次、下访3次、现场办公2次 — visits dated by the report's date, by kind."""
    runs: list[Run] = []
    for kind in VisitKind:
        of_kind = [v for v in ctx.people.ledger.visits if v.kind == kind]
        if not of_kind:
            continue
        runs.append(f"、{kind.label}" if runs else f"干部深入基层{kind.label}")
        sources = [
            source(v, f"{kind.label}“{_visit_place(v)}”", v.date.isoformat()) for v in of_kind
        ]
        runs.append(figure(wording.tally(len(of_kind), "次"), sources, f"visits.{kind.value}"))
    return runs or None


def reception(ctx: Ctx) -> Clause:
    """开展领导干部信访接待日4次，接待群众23人次 — reception days held by the date."""
    days = ctx.people.ledger.reception_days
    if not days:
        return None
    held = [
        source(d, f"信访接待日（{d.leader.name}，{d.place}）", d.date.isoformat()) for d in days
    ]
    runs: list[Run] = [
        "开展领导干部信访接待日",
        figure(wording.tally(len(days), "次"), held, "reception.days"),
    ]
    visitors = [d for d in days if d.visitors]
    if visitors:
        counted = [
            source(d, f"信访接待日{d.date.isoformat()}接待群众", str(d.visitors)) for d in visitors
        ]
        total = sum(d.visitors for d in visitors)
        runs += ["，接待群众", figure(wording.tally(total, "人次"), counted, "reception.visitors")]
    return runs


def concerns(ctx: Ctx) -> Clause:
    """受理群众诉求45件，已办结40件。已办结的40件中，按时办结32件，按时办结率80.0％ — the
    concerns received by the date and those closed by it; then, in a sentence of its own that
    restates its base, those closed by their due date and their share of the closed
    (efficiency()), so that the rate's base is the closed, not the received."""
    ledger, as_of = ctx.people.ledger, ctx.as_of
    if not ledger.concerns:
        return None
    received = [_concern_source(c, "受理日期", c.received_on.isoformat()) for c in ledger.concerns]
    runs: list[Run] = [
        "受理群众诉求",
        figure(wording.tally(len(received), "件"), received, "concerns.received"),
    ]
    closed = [c for c in ledger.concerns if c.closed_on and c.closed_on <= as_of]
    if not closed:
        return [*runs, "，均在办理中"]

    def closing(c):
        value = f"{c.closed_on.isoformat()}（时限{c.due_on.isoformat()}）"
        return _concern_source(c, "办结日期", value)

    on_time = [c for c in closed if c.closed_on <= c.due_on]
    rate = ctx.percent(Decimal(str(ledger.efficiency.on_time_rate)))
    closed_sources = [closing(c) for c in closed]
    runs += [
        "，已办结",
        figure(wording.tally(len(closed), "件"), closed_sources, "concerns.closed"),
        "。已办结的",
        figure(wording.tally(len(closed), "件"), closed_sources, "concerns.closed_base"),
    ]
    if not on_time:
        return [*runs, "均未在时限内办结"]
    return runs + [
        "中，按时办结",
        figure(
            wording.tally(len(on_time), "件"), [closing(c) for c in on_time], "concerns.on_time"
        ),
        "，按时办结率",
        figure(rate, closed_sources, "concerns.on_time_rate"),
    ]


def satisfaction(ctx: Ctx) -> Clause:
    """回访诉求办理情况40件，群众满意和基本满意40件，满意率100.0％ — the concerns with a 回访
    by the date, those satisfied or basically satisfied, their share."""
    ledger = ctx.people.ledger
    answered = ledger.answered
    if not answered:
        return None

    def answer(c):
        return _concern_source(c, "回访满意度", Satisfaction(c.satisfaction_then).label)

    satisfied = ledger.satisfied
    rate = ctx.percent(Decimal(str(ledger.efficiency.satisfaction_rate)))
    return [
        "回访诉求办理情况",
        figure(wording.tally(len(answered), "件"), [answer(c) for c in answered], "concerns.asked"),
        "，群众满意和基本满意",
        figure(
            wording.tally(len(satisfied), "件"),
            [answer(c) for c in satisfied],
            "concerns.satisfied",
        ),
        "，满意率",
        figure(rate, [answer(c) for c in answered], "concerns.satisfaction_rate"),
    ]


def disputes(ctx: Ctx) -> Clause:
    """排查矛盾纠纷4件，已化解4件 — disputes received by the date and those closed by it (the
    narrative gives the clause a sentence of its own: they are not among the concerns closed)."""
    found = ctx.people.ledger.disputes
    if not found:
        return None
    received = [_concern_source(c, "受理日期", c.received_on.isoformat()) for c in found]
    runs: list[Run] = [
        "排查矛盾纠纷",
        figure(wording.tally(len(found), "件"), received, "disputes.received"),
    ]
    resolved = [c for c in found if c.closed_on and c.closed_on <= ctx.as_of]
    if not resolved:
        return [*runs, "，正在化解中"]
    closing = [_concern_source(c, "办结日期", c.closed_on.isoformat()) for c in resolved]
    return runs + [
        "，已化解",
        figure(wording.tally(len(resolved), "件"), closing, "disputes.resolved"),
    ]


def promises(ctx: Ctx) -> Clause:
    """确定为群众办实事项目8件，已办结5件 — the 办实事 items and those done by the date."""
    rows = ctx.people.ledger.promises.rows
    if not rows:
        return None

    def item(row):
        return source(row.task, f"办实事“{row.task.title}”", row.status.label)

    runs: list[Run] = [
        "确定为群众办实事项目",
        figure(wording.tally(len(rows), "件"), [item(r) for r in rows], "promises.total"),
    ]
    done = [r for r in rows if r.status == TaskStatus.DONE]
    if done:
        runs += [
            "，已办结",
            figure(wording.tally(len(done), "件"), [item(r) for r in done], "promises.done"),
        ]
    return runs


def practice(ctx: Ctx) -> Clause:
    """开展“红色屋场”“共同缔造”等实践活动15场次，参与群众320人次，受益群众800人次."""
    events = ctx.people.ledger.events
    if not events:
        return None
    activities = sorted({e.activity for e in events}, key=lambda a: (a.sort_order, a.pk))
    names = "".join(f"“{a.name}”" for a in activities)
    held = [
        source(e, f"实践活动“{e.activity.name}”（{e.place}）", e.date.isoformat()) for e in events
    ]
    runs: list[Run] = [
        f"开展{names}等实践活动",
        figure(wording.tally(len(events), "场次"), held, "practice.events"),
    ]
    for field, words, key in [
        ("participants", "，参与群众", "practice.participants"),
        ("beneficiaries", "，受益群众", "practice.beneficiaries"),
    ]:
        counted = [e for e in events if getattr(e, field)]
        if counted:
            total = sum(getattr(e, field) for e in counted)
            sources = [
                source(e, f"实践活动{e.date.isoformat()}{words[1:]}人次", str(getattr(e, field)))
                for e in counted
            ]
            runs += [words, figure(wording.tally(total, "人次"), sources, key)]
    return runs


def time_bank(ctx: Ctx) -> Clause:
    """12名志愿者通过“时间存折”记录志愿服务92小时 — confirmed service hours by the date."""
    services = ctx.people.services
    if not services:
        return None
    sources = [
        source(s, f"时间存折服务记录（{s.date.isoformat()}）", f"{s.hours}小时") for s in services
    ]
    hours = sum((s.hours for s in services), Decimal("0"))
    volunteers = {s.account_id for s in services}
    return [
        figure(wording.tally(len(volunteers), "名"), sources, "timebank.volunteers"),
        "志愿者通过“时间存折”记录志愿服务",
        figure(f"{wording.number(hours)}小时", sources, "timebank.hours"),
    ]


BLOCKS = {
    "走访": visits,
    "信访接待": reception,
    "群众诉求": concerns,
    "群众满意率": satisfaction,
    "矛盾纠纷": disputes,
    "办实事": promises,
    "实践活动": practice,
    "时间存折": time_bank,
}
