"""One district's indicators (40, with a 2023 target, 12 same-period figures and the actuals of
January to October) and key projects (20), when the indicators app is installed.

Indicator names are unique within a district; each still carries its district's name so a
province's pages tell them apart. Bulk inserts skip Indicator.save(): the district is set here.
"""

import datetime
import random
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from . import shapes as s
from .bulk import Ids
from .gen_org import DistrictOrg

YEAR = 2023
LAST_MONTH = 10
NAMES = [
    "固定资产投资",
    "工业总产值",
    "社会消费品零售总额",
    "一般公共预算收入",
    "夏粮产量",
    "油茶新植面积",
    "订单种植面积",
    "招商引资到位资金",
    "新增市场主体",
    "城镇新增就业",
]
MEASURES = [
    "wan_yuan",
    "wan_yuan",
    "wan_yuan",
    "wan_yuan",
    "ton",
    "mu",
    "mu",
    "wan_yuan",
    "ge",
    "person",
]


MODEL_NAMES = ["Indicator", "IndicatorYear", "SamePeriodValue", "Actual", "KeyProject"]


def indicators_installed() -> bool:
    """True when shigan.indicators is installed with the models generated here."""
    if not apps.is_installed("shigan.indicators"):
        return False
    found = {m.__name__ for m in apps.get_app_config("indicators").get_models()}
    return set(MODEL_NAMES) <= found


def _models() -> list:
    return [apps.get_model("indicators", name) for name in MODEL_NAMES]


def _monthly(rng: random.Random, target: int) -> list[Decimal]:
    """Cumulative figures for January..December that end near the annual target."""
    total, values = 0, []
    for _ in range(12):
        total += target * rng.uniform(0.05, 0.11)
        values.append(Decimal(round(total, 2)))
    return values


def _indicator(org: DistrictOrg, ids: Ids, rng: random.Random, i: int) -> None:
    indicator_m, year_m, same_m, actual_m, _ = _models()
    unit_index = s.FIRST_BUREAU + i % len(s.BUREAU_NAMES)
    indicator = indicator_m(
        pk=ids.take(indicator_m),
        name=f"{org.name}{NAMES[i % 10]}{i // 10 + 1}",
        measure_unit=MEASURES[i % 10],
        responsible_unit_id=org.units[unit_index].pk,
        district_id=org.units[0].pk,
        sort_order=i,
    )
    org.add(indicator)
    target = rng.randint(1000, 60000)
    org.add(year_m(indicator_id=indicator.pk, year=YEAR, annual_target=Decimal(target)))
    last_year = _monthly(rng, int(target * 0.9))
    this_year = _monthly(rng, target)
    for month in range(1, 13):
        org.add(
            same_m(indicator_id=indicator.pk, year=YEAR, month=month, value=last_year[month - 1])
        )
    for month in range(1, LAST_MONTH + 1):
        at = timezone.make_aware(datetime.datetime(YEAR, month, 25, 10))
        org.add(
            actual_m(
                pk=ids.take(actual_m),
                indicator_id=indicator.pk,
                year=YEAR,
                month=month,
                value=this_year[month - 1],
                unit_id=indicator.responsible_unit_id,
                submitted_by_id=org.reporter_for_unit(indicator.responsible_unit_id).pk,
                submitted_at=at,
            )
        )


def _project(org: DistrictOrg, ids: Ids, rng: random.Random, i: int) -> None:
    project_m = _models()[-1]
    contracted = Decimal(rng.randint(5000, 200000))
    started = datetime.date(YEAR, rng.randint(2, 9), 15) if rng.random() < 0.7 else None
    done = datetime.date(YEAR, 10, 20) if started and rng.random() < 0.2 else None
    org.add(
        project_m(
            pk=ids.take(project_m),
            year=YEAR,
            name=f"{org.name}重点项目{i + 1}",
            responsible_unit_id=org.units[s.FIRST_BUREAU + i % 12].pk,
            contracted_investment=contracted,
            planned_investment_this_year=contracted / 2,
            completed_investment_this_year=contracted * Decimal("0.3"),
            funds_in_place=contracted * Decimal("0.4"),
            planned_start=datetime.date(YEAR, 3, 1),
            actual_start=started,
            planned_completion=datetime.date(YEAR, 12, 31),
            actual_completion=done,
            sort_order=i,
        )
    )


def district_indicators(org: DistrictOrg, ids: Ids, shape: s.Shape) -> None:
    """Build the district's indicators with their figures, and its key projects."""
    rng = random.Random(f"indicators-{org.key}")
    for i in range(shape.indicators):
        _indicator(org, ids, rng, i)
    for i in range(shape.key_projects):
        _project(org, ids, rng, i)
