"""Clauses of the economic work: key enterprises, key projects' rates, investment attraction."""

import re
from decimal import Decimal

from shigan.indicators.queries import InvestmentRecords, ProjectRate
from shigan.reports import wording
from shigan.reports.document import Figure, Run

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
# How each rate states its base and its part, as the documents do ("计划新开工项目40个，已开工26个，
# 开工率65%"): (the base's words, the part's words), and for a count rate its verb.
RATE_WORDS = {
    "contract_fulfilment": ("本年计划投资", "已履约投资"),
    "funds_in_place": ("合同投资", "到位资金"),
    "start": ("应开工项目", "已开工"),
    "completion": ("应竣工投产项目", "已竣工投产"),
}
RATE_VERBS = {"start": "开工", "completion": "竣工投产"}


def _rate_figures(rate: ProjectRate, projects: list) -> tuple[Figure, Figure]:
    """The rate's base and part as printed, each with the projects' fields they tally."""
    key = rate.definition.key
    part_field, base_field = RATE_FIELDS[key]
    measure = "个" if rate.definition.counted else "万元"
    part, base = (
        figure(
            wording.scaled(value, measure),
            [_project_source(p, field) for p in projects],
            f"projects.{key}.{name}",
        )
        for value, field, name in (
            (rate.numerator, part_field, "part"),
            (rate.denominator, base_field, "base"),
        )
    )
    return part, base


def _small_base_rate(rate: ProjectRate, part: Figure, base: Figure) -> list[Run]:
    """应竣工投产的1个项目已竣工投产 / 应开工的3个项目均已开工 / …尚未开工 / 应开工项目3个，
    已开工2个 — a count rate over fewer than calc.SMALL_BASE projects, without a percentage."""
    verb = RATE_VERBS[rate.definition.key]
    done, due = rate.numerator, rate.denominator
    if done == due:
        return [f"应{verb}的", base, "项目" + ("已" if due == 1 else "均已") + verb]
    if not done:
        return [f"应{verb}的", base, f"项目尚未{verb}"]
    return [f"应{verb}项目", base, f"，已{verb}", part]


def _rate_clause(rate: ProjectRate, projects: list, ctx: Ctx) -> list[Run]:
    """本年计划投资21500万元，已履约投资11600万元，履约率54.0％ — the rate after its base and
    its part; a small-base count rate in words (_small_base_rate)."""
    part, base = _rate_figures(rate, projects)
    if rate.small_base:
        return _small_base_rate(rate, part, base)
    base_words, part_words = RATE_WORDS[rate.definition.key]
    key = f"projects.{rate.definition.key}"
    pct = figure(ctx.percent(rate.pct), [*base.sources, *part.sources], key)
    return [base_words, base, f"，{part_words}", part, f"，{rate.name}", pct]


def project_rates(ctx: Ctx) -> Clause:
    """全区6个重点项目本年计划投资21500万元，已履约投资11600万元，履约率54.0％，合同投资…，
    资金到位率53.3％，应开工项目6个，已开工5个，开工率83.3％，应竣工投产的1个项目已竣工投产 —
    every rate with the base and part it is computed from (the checker recomputes each); a
    rate without a base (nothing due) is left out."""
    projects = ctx.economy.projects
    if not projects:
        return None
    count = figure(
        wording.tally(len(projects), "个"),
        [source(p, "重点项目", p.name) for p in projects],
        "projects.count",
    )
    runs: list[Run] = ["全区", count, "重点项目"]
    clauses = [_rate_clause(r, projects, ctx) for r in ctx.economy.rates if r.pct is not None]
    for i, clause in enumerate(clauses):
        runs += (["，"] if i else []) + clause
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
