"""Clauses of 一、activities: organisation and leadership, and the atmosphere (study,
commendations, inspections and notices, media reports). Each returns runs, or None when no
record backs it (the clause is then left out of the narrative that names it). The figures are
the tallies of the apps' query modules (data.py), the ones the cockpit and the apps' pages show;
the records they count are the figures' sources."""

import re

from shigan.campaigns.models import PlanSectionKind
from shigan.meetings.models import Cadence, MeetingKind, StudyKind
from shigan.meetings.queries import SeriesCadence
from shigan.reports import wording
from shigan.reports.document import Run
from shigan.supervision.models import NoticeKind, Polarity

from .context import Ctx, figure
from .links import media_list_page, page_for, source

Clause = list[Run] | None


def plan_title(ctx: Ctx) -> Clause:
    """制定了《示范区关于开展作风建设“实干年”活动的实施方案》 — when the plan has sections."""
    if not ctx.activity.plan_sections:
        return None
    return [f"制定了《{ctx.organiser_label}关于开展{ctx.campaign.name}的实施方案》"]


def plan_sections(ctx: Ctx) -> Clause:
    """指导思想、落实重点、目标任务、主要措施、组织保障 — the plan's sections, in order."""
    kinds = {s.kind for s in ctx.activity.plan_sections}
    labels = [kind.label for kind in PlanSectionKind if kind.value in kinds]
    return [wording.names_list(labels)] if labels else None


def leading_group(ctx: Ctx) -> Clause:
    """成立了由党委书记任组长的作风建设“实干年”活动领导小组"""
    group = ctx.campaign.leading_group
    if group is None:
        return None
    leader = ctx.activity.group_leader
    if leader is None:
        return [f"成立了{group.name}"]
    return [f"成立了由{leader.person.post or leader.person.name}任组长的{group.name}"]


def mobilisation(ctx: Ctx) -> Clause:
    """2月8日，区党委召开“实干年”活动动员会议 — from the first mobilisation meeting held."""
    meeting = next((m for m in ctx.activity.meetings if m.kind == MeetingKind.MOBILISATION), None)
    if meeting is None:
        return None
    day = figure(
        wording.month_day(meeting.date),
        [source(meeting, f"会议“{meeting.title}”会议日期", meeting.date.isoformat())],
        key="mobilisation.date",
    )
    title = meeting.title if "召开" in meeting.title else f"召开{meeting.title}"
    return [day, f"，{title}"]


def slogan(ctx: Ctx) -> Clause:
    return [ctx.campaign.slogan] if ctx.campaign.slogan.strip() else None


# Words that end the name of the body holding a meeting ("“实干年”活动领导小组" + "工作会议").
CONVENERS = ("领导小组", "专班", "委员会", "党委", "党组", "办公室", "指挥部", "工作组")
CADENCE_WORDS = {Cadence.QUARTERLY: "季度", Cadence.MONTHLY: "月度"}
YEAR_PREFIX = re.compile(r"^\d{4}年")


def convener_and_meeting(name: str, cadence: str) -> tuple[str, str]:
    """A series name split into who holds it and the meeting, without the cadence word:
    ("“实干年”活动领导小组", "工作会议") from "“实干年”活动领导小组季度工作会议"; ("", name)
    when no convener is named."""
    word = CADENCE_WORDS.get(cadence)
    if word:
        name = name.replace(word, "", 1)
    end = max((name.rfind(c) + len(c) for c in CONVENERS if c in name), default=0)
    if not 0 < end < len(name):
        return "", name
    return name[:end], name[end:]


def _series_lead(cadence: SeriesCadence) -> str:
    """ "区作风专班坚持每月召开碰头会，年初以来" — "坚持" only when no period was missed, else
    "按照每月召开碰头会的要求，区作风专班年初以来"; "区作风专班年初以来召开专题会议" without
    a cadence."""
    series = cadence.series
    convener, meeting = convener_and_meeting(series.name, series.cadence)
    if series.cadence == Cadence.NONE:
        return f"{convener}年初以来召开{meeting}"
    every = series.get_cadence_display()
    if cadence.missed or not cadence.held_count:
        return f"按照{every}召开{meeting}的要求，{convener}年初以来"
    return f"{convener}坚持{every}召开{meeting}，年初以来"


def _series_clause(cadence: SeriesCadence) -> list[Run]:
    """“实干年”活动领导小组坚持每季度召开工作会议，年初以来已召开2次 — who holds the meeting,
    how often, how many were held and the periods missed ("，3月未按期召开"); "尚未召开" when
    none was held ([] for a series without cadence: nothing to say)."""
    series, count = cadence.series, cadence.held_count
    lead = _series_lead(cadence)
    if not count:
        return [] if series.cadence == Cadence.NONE else [lead, "尚未召开"]
    held_sources = [source(m, f"会议“{m.title}”", m.date.isoformat()) for m in cadence.held]
    series_source = source(
        series, f"会议系列“{series.name}”（{series.get_cadence_display()}）", str(count)
    )
    held = figure(wording.tally(count, "次"), [series_source, *held_sources], f"series.{series.pk}")
    runs: list[Run] = [lead, held] if series.cadence == Cadence.NONE else [lead, "已召开", held]
    if cadence.missed:
        labels = "、".join(YEAR_PREFIX.sub("", p.label) for p in cadence.missed)
        missed = figure(labels, [source(series, "未召开会议的周期", labels)], "missed")
        runs += ["，", missed, "未按期召开"]
    return runs


def meeting_cadence(ctx: Ctx) -> Clause:
    """“实干年”活动领导小组坚持每季度召开工作会议，年初以来已召开2次；… — per meeting
    series (a series without cadence that has not met is left out)."""
    runs: list[Run] = []
    for cadence in ctx.activity.series:
        clause = _series_clause(cadence)
        if clause:
            runs += (["；"] if runs else []) + clause
    return runs or None


def _counted(items: list, what: str, measure: str, key: str, label) -> list[Run]:
    """`what` and the number of `items` (a tally's records), each item a source."""
    return [what, figure(wording.tally(len(items), measure), [label(i) for i in items], key)]


def study(ctx: Ctx) -> Clause:
    """开展中心组学习3次、集中学习2次 — study sessions held this year, by kind."""
    runs: list[Run] = []
    for kind, sessions in ctx.activity.study.by_kind.items():
        if not sessions:
            continue
        runs.append("、" if runs else "开展")
        runs += _counted(
            sessions,
            StudyKind(kind).label,
            "次",
            f"study.{kind}",
            lambda s: source(s, f"学习“{s.topic}”（{s.get_kind_display()}）", s.date.isoformat()),
        )
    return runs or None


def _exemplars(ctx: Ctx, polarity: str) -> list:
    return ctx.activity.notices.exemplars(polarity)


def _exemplar_source(pair):
    notice, exemplar = pair
    return source(
        exemplar,
        f"通报《{notice.title}》（{notice.doc_number}）{exemplar.get_polarity_display()}",
        exemplar.title,
        url=page_for(notice),
    )


def commendations(ctx: Ctx) -> Clause:
    """通过《关于表彰…的决定》表彰先进典型3个 — positive exemplars named in notices."""
    positive = _exemplars(ctx, Polarity.POSITIVE)
    if not positive:
        return None
    notices = list(dict.fromkeys(n for n, _ in positive))
    praise = [n for n in notices if n.kind == NoticeKind.PRAISE] or notices
    lead = f"通过《{praise[0].title}》" if len(notices) == 1 else "通过表彰通报"
    return _counted(positive, f"{lead}表彰先进典型", "个", "exemplars.positive", _exemplar_source)


def inspections(ctx: Ctx) -> Clause:
    """开展专项督查1次，发现问题4个 — inspections held and the problems they found."""
    tally = ctx.activity.inspections
    if not tally.total:
        return None
    runs: list[Run] = []
    for kind, of_kind in tally.by_kind.items():
        if of_kind:
            runs.append("、" if runs else "开展")
            runs += _counted(
                of_kind,
                kind.label,
                "次",
                f"inspections.{kind.value}",
                lambda i: source(i, f"督查“{i.topic}”", i.date.isoformat()),
            )
    findings = [row.finding for row in ctx.activity.findings.rows]
    if findings:
        runs.append("，")
        runs += _counted(
            findings,
            "发现问题",
            "个",
            "findings",
            lambda f: source(f, f"督查“{f.inspection.topic}”发现的问题", f.short_problem),
        )
    return runs


def notices(ctx: Ctx) -> Clause:
    """通报反面典型1个 — negative exemplars named in notices."""
    negative = _exemplars(ctx, Polarity.NEGATIVE)
    if not negative:
        return None
    return _counted(negative, "通报反面典型", "个", "exemplars.negative", _exemplar_source)


def media(ctx: Ctx) -> Clause:
    """在中央、省、市、县等各级媒体发表“实干年”主题报道13篇 — this year's media reports
    (publicity.queries.media_report_counts), each report a source."""
    counts, reports = ctx.activity.media, ctx.activity.media_reports
    if not counts.total:
        return None
    levels = [label for _, label, n in counts.level_rows if n]
    where = f"{wording.names_list(levels)}等各级" if len(levels) > 1 else f"{levels[0]}级"
    sources = [
        source(
            r,
            f"宣传报道《{r.title}》（{r.outlet}，{r.get_level_display()}级）",
            r.date.isoformat(),
            url=media_list_page(ctx.campaign.pk, ctx.as_of, r.level),
        )
        for r in reports
    ]
    total = figure(wording.tally(counts.total, "篇"), sources, "media.total")
    return [f"在{where}媒体发表{ctx.short_name}主题报道", total]


BLOCKS = {
    "实施方案": plan_title,
    "方案章节": plan_sections,
    "领导小组": leading_group,
    "动员会议": mobilisation,
    "口号": slogan,
    "会议制度": meeting_cadence,
    "学习": study,
    "表彰": commendations,
    "督查": inspections,
    "通报": notices,
    "宣传报道": media,
}
