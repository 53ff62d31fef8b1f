"""Notes typed with a figure (填报说明): a key project's monthly figures and an indicator's
actual, as the report's date knows them. A note is compared with the figures filed with it, of
its own month (本年完成投资, 累计到位资金; the indicator's value)."""

import datetime

from shigan.campaigns.models import Campaign
from shigan.indicators.models import ProjectFigure
from shigan.orgs.models import Unit
from shigan.orgs.scope import subtree_ids
from shigan.reports.compose.indicator_data import IndicatorFacts
from shigan.tasks.queries import known_until

from .facts import Known, Narrative
from .records import MONEY, PROJECT, authors_of, field_name, indicator_figure_known, page_url

FIGURE_FIELDS = {  # the project's field → the monthly figure's field
    "completed_investment_this_year": "completed_investment",
    "funds_in_place": "funds_in_place",
}


def latest_project_figures(campaign: Campaign, as_of: datetime.date) -> list[ProjectFigure]:
    """Per key project of the district, the current entry of its latest month up to the
    report's, filed by its date (one query)."""
    district = subtree_ids([campaign.organiser_id])
    figures = ProjectFigure.objects.filter(
        project__year=as_of.year,
        project__responsible_unit_id__in=district,
        month__lte=as_of.month,
    )
    until = known_until(as_of)
    if until is not None:
        figures = figures.filter(submitted_at__lt=until)
    figures = figures.select_related("project", "unit", "submitted_by__person")
    latest: dict[int, ProjectFigure] = {}
    for (project_id, _), figure in sorted(
        figures.current_by("project_id", "month").items(), key=lambda item: item[0][1]
    ):
        latest[project_id] = figure
    return list(latest.values())


def figure_known(figure: ProjectFigure) -> tuple[Known, ...]:
    project = figure.project
    url = page_url("indicators:project_list", query={"year": project.year})
    known = []
    for pattern, field in PROJECT:
        if field not in FIGURE_FIELDS:
            continue
        what = f"重点项目“{project.name}”{figure.month}月填报的{field_name(project, field)}"
        value = getattr(figure, FIGURE_FIELDS[field])
        known.append(
            Known(f"project.{project.pk}.{field}", pattern, MONEY, value, "万元", what, url)
        )
    return tuple(known)


def project_notes(campaign: Campaign, as_of: datetime.date) -> list[Narrative]:
    """The notes of the key projects' latest monthly figures."""
    narratives = []
    for figure in latest_project_figures(campaign, as_of):
        if not figure.note.strip():
            continue
        project = figure.project
        author = figure.submitted_by.person.name if _has_person(figure.submitted_by) else ""
        narratives.append(
            Narrative(
                kind="填报说明",
                title=f"重点项目“{project.name}”{project.year}年{figure.month}月填报说明",
                author=f"{author or '—'}（{figure.unit.name}）",
                url=page_url("indicators:project_list", query={"year": project.year}),
                text=figure.note,
                in_report=False,
                known=figure_known(figure),
                month=figure.month,
            )
        )
    return narratives


def _has_person(user) -> bool:
    return user is not None and getattr(user, "person", None) is not None


def actual_notes(facts: IndicatorFacts) -> list[Narrative]:
    """The notes of the indicator figures the report states (two queries: who filed them)."""
    noted = [f for f in facts.figures.values() if f.actual.note.strip()]
    authors = authors_of([f.actual for f in noted], "submitted_by_id")
    units = dict(
        Unit.objects.filter(pk__in={f.actual.unit_id for f in noted}).values_list("pk", "name")
    )
    narratives = []
    for figure in noted:
        known = indicator_figure_known(figure)
        if known is None:
            continue
        actual = figure.actual
        narratives.append(
            Narrative(
                kind="填报说明",
                title=f"指标“{figure.indicator.name}”{actual.year}年{actual.month}月填报说明",
                author=f"{authors.get(actual.submitted_by_id, '—')}（{units.get(actual.unit_id, '')}）",
                url=known.url,
                text=actual.note,
                in_report=False,
                known=(known,),
                month=actual.month,
            )
        )
    return narratives
