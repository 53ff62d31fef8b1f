"""The fixed subjects of every measurement, looked up by the generator's names (shapes.py):
district c01d01's campaign, its coordinator, leader 4, the reporter of 交通运输局 and that unit's
first task. The same choice at every scale makes runs comparable.

The upper levels (gen_levels.py), where the scale has them: city 1's coordinator
(`c01-coordinator`), its first upper task (handed down to its 20 districts) and its first
indicator (固定资产投资1, the sum of its districts'); the province's coordinator, first upper
task (handed down to the 15 cities) and first indicator (the sum of the cities')."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model

from shigan.campaigns.models import Campaign
from shigan.orgs.models import Person, Unit
from shigan.tasks.models import ProgressReport, Task

from . import shapes as s


@dataclass
class Subjects:
    """Who is measured, on what."""

    coordinator: object
    leader: object
    reporter: object
    campaign: Campaign
    unit: Unit
    task: Task
    city: object = None  # city 1's coordinator (city and province scale)
    province: object = None  # the province's coordinator (province scale)
    city_task: Task | None = None
    province_task: Task | None = None
    city_indicator: object = None
    province_indicator: object = None


def _user(name: str):
    try:
        return get_user_model().objects.get(username=name)
    except get_user_model().DoesNotExist:
        raise SystemExit(f"找不到账号 {name}：请先运行 python -m benchmarks.generate。") from None


def subjects(key: str = s.MEASURED_DISTRICT) -> Subjects:
    reporter = _user(s.reporter(key, s.MEASURED_UNIT))
    unit = Person.objects.get(user=reporter).unit
    root = unit.parent
    campaign = Campaign.objects.get(organiser=root)
    task = Task.objects.filter(lead_unit=unit, state="active").order_by("number").first()
    return Subjects(
        coordinator=_user(s.username(key, "coordinator")),
        leader=_user(s.leader(key, s.MEASURED_LEADER)),
        reporter=reporter,
        campaign=campaign,
        unit=unit,
        task=task,
        **_levels(),
    )


def _levels() -> dict:
    """The upper levels' subjects; None where the scale has no such level."""
    found = {}
    for role, level, name in (("city", "c01", "第1市"), ("province", "province", "示范省")):
        found[role] = get_user_model().objects.filter(username=s.username(level, "coordinator"))
        found[role] = found[role].first()
        tasks = Task.objects.filter(campaign__organiser__name=f"{name}党委、政府")
        found[f"{role}_task"] = tasks.order_by("number").first()
        if apps.is_installed("shigan.indicators"):
            indicators = apps.get_model("indicators", "Indicator").objects
            found[f"{role}_indicator"] = indicators.filter(name=f"{name}固定资产投资1").first()
    return found


def latest_report_id(task_id: int) -> int | None:
    """What the monthly report form carries as `seen` for a task (its latest report)."""
    latest = ProgressReport.objects.filter(task_id=task_id).order_by("-submitted_at", "-id")
    return latest.values_list("id", flat=True).first()
