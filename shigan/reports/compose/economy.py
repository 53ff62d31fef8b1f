"""Clauses of the economic work: key enterprises, key projects' rates, investment attraction."""

import re
from decimal import Decimal

from shigan.indicators.queries import InvestmentRecords
from shigan.reports import wording
from shigan.reports.document import Run

from .context import Ctx, figure
from .links import source

Clause = list[Run] | None

COMPANY_SUFFIX = re.compile(r"(股份)?有限(责任)?公司$|集团$")


def short_enterprise_name(name: str, known: dict[str, str]) -> str:
    """零傲科技有限公司 → 零傲 when a unit of that name has the short name; else the name
    without its company-form suffix."""
    return known.get(name) or COMPANY_SUFFIX.sub("", name) or name


def key_enterprises(ctx: Ctx) -> Clause:
    """零傲、佳仑、宏羽、楚汉源 — the key enterprises, by short name."""
    enterprises = ctx.economy.enterprises
    if not enterprises:
        return None
    names = [short_enterprise_name(e.name, ctx.economy.short_names) for e in enterprises]
    sources = [source(e, "重点企业", e.name) for e in enterprises]
    return [figure(wording.names_list(names), sources, "key_enterprises")]


def _project_source(project, field: str):
    value = getattr(project, field)
    label = project._meta.get_field(field).verbose_name
    text = value.isoformat() if hasattr(value, "isoformat") else wording.number(value or 0)
    return source(project, f"重点项目“{project.name}”{label}", text if value is not None else "—")


RATE_FIELDS = {
    "contract_fulfilment": ("completed_investment_this_year", "planned_investment_this_year"),
    "funds_in_place": ("funds_in_place", "contracted_investment"),
    "start": ("actual_start", "planned_start"),
    "completion": ("actual_completion", "planned_completion"),
}


def project_rates(ctx: Ctx) -> Clause:
    """全区12个重点项目履约率45.0％、资金到位率…、开工率…、竣工投产率… (rates with a base)."""
    projects = ctx.economy.projects
    if not projects:
        return None
    count = figure(
        wording.tally(len(projects), "个"),
        [source(p, "重点项目", p.name) for p in projects],
        "projects.count",
    )
    runs: list[Run] = ["全区", count, "重点项目"]
    first = True
    for rate in ctx.economy.rates:
        if rate.pct is None:
            continue
        fields = RATE_FIELDS[rate.definition.key]
        sources = [_project_source(p, f) for p in projects for f in fields]
        runs += [
            "" if first else "、",
            rate.name,
            figure(ctx.percent(rate.pct), sources, f"projects.{rate.definition.key}"),
        ]
        first = False
    return runs


def _amount(lead: str, total: Decimal, items: list, field: str, key: str) -> list[Run]:
    """ "，合同资金31500万元" — `total`, the tally of `field` over `items` (its sources);
    nothing when it is 0 (no agreement records an amount, so none can be stated)."""
    if not total:
        return []
    what = items[0]._meta.get_field(field).verbose_name.split("（")[0]
    sources = [
        source(a, f"招商协议“{a.project_name}”{what}", wording.number(getattr(a, field)))
        for a in items
        if getattr(a, field)
    ]
    return [f"，{lead}", figure(wording.scaled(total, "万元"), sources, key)]


def _count(lead: str, count: int, items: list, label, key: str) -> list[Run]:
    sources = [
        source(a, label, f"{a.project_name}（{a.signed_on.isoformat()}签约）") for a in items
    ]
    return [lead, figure(wording.tally(count, "个"), sources, key)]


def _agreement_parts(records: InvestmentRecords) -> list[Run]:
    """共签订协议项目4个，合同资金X万元，实际落地项目3个，合同资金Y万元，到位资金Z万元 —
    amounts are stated only when some agreement records one."""
    agreements, landed, tally = records.agreements, records.landed, records.tallies
    runs = _count(
        "共签订协议项目", tally.agreements, agreements, "招商协议", "investment.agreements"
    )
    runs += _amount(
        "合同资金", tally.contract_amount, agreements, "contract_amount", "investment.contract"
    )
    if landed:
        runs += _count(
            "，实际落地项目", tally.landed, landed, "已落地招商项目", "investment.landed"
        )
        runs += _amount(
            "合同资金",
            tally.landed_contract_amount,
            landed,
            "contract_amount",
            "investment.landed_contract",
        )
    runs += _amount(
        "到位资金", tally.funds_in_place, agreements, "funds_in_place", "investment.funds"
    )
    return runs


def investment(ctx: Ctx) -> Clause:
    """年初以来共外出招商4次，共签订协议项目4个，… — trips and agreements up to the date, as
    indicators.queries.investment_tallies counts them (the cockpit's and the investment page's)."""
    records = ctx.economy.investment
    trips, tally = records.trips, records.tallies
    if not tally.trips and not tally.agreements:
        return None
    runs: list[Run] = ["年初以来"]
    if trips:
        trip_sources = [
            source(t, "外出招商", f"{t.date.isoformat()} {t.destination}") for t in trips
        ]
        runs += [
            "共外出招商",
            figure(wording.tally(tally.trips, "次"), trip_sources, "investment.trips"),
        ]
    if tally.agreements:
        runs += ["，" if trips else "", *_agreement_parts(records)]
    return runs


BLOCKS = {
    "重点企业": key_enterprises,
    "重点项目": project_rates,
    "招商引资": investment,
}
