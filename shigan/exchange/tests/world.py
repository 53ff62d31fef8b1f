"""Set-up steps of the two-installation round trip, run in a subprocess against one data folder
(SHIGAN_DATA_DIR): `python -m shigan.exchange.tests.world STEP [ARG]`, printing JSON.

county    the county: its unit, coordinator, campaign, an indicator, its district 第1区 and a
          task handed down to it
district  the district: its unit, coordinator, bureau, campaign
accept    the district accepts the pending hand-down with its own task, links its indicator
          to the county's (mirrored by the hand-down package), files June's progress and figure
file M V … the district files month M's progress and figure V (as of the month's last day)
show      what the county sees of the district: the child task, its status, figures, roll-up
"""

import datetime
import json
import os
import sys
from decimal import Decimal

import django

from shigan.core import clock

TODAY = datetime.date(2023, 8, 31)
DISTRICT = "第1区党委政府"
COUNTY = "示范县党委政府"


def county() -> dict:
    from shigan.campaigns.models import Campaign
    from shigan.exchange.services import installation_self
    from shigan.indicators.models import Indicator
    from shigan.orgs.models import Role, Unit, UnitKind
    from shigan.tasks.models import TaskCategory
    from shigan.testing import make_task, make_user

    unit = Unit.objects.create(name=COUNTY, kind=UnitKind.PARTY_GOVERNMENT)
    office = Unit.objects.create(name="县委办", kind=UnitKind.OFFICE, parent=unit)
    make_user("county", unit=office, role=Role.COORDINATOR, name="县专班")
    campaign = Campaign.objects.create(
        year=2023, name="全县实干年", organiser=unit, start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )  # fmt: skip
    category = TaskCategory.objects.create(campaign=campaign, name="重点工作")
    task = make_task(
        campaign=campaign, category=category, unit=office, title="优化营商环境专项行动",
        due=datetime.date(2023, 11, 30),
    )  # fmt: skip
    Indicator.objects.create(name="地区生产总值", measure_unit="yi_yuan", responsible_unit=office)
    # The district as the county's database knows it: `peer add --unit 第1区党委政府` finds it.
    Unit.objects.create(name=DISTRICT, kind=UnitKind.PARTY_GOVERNMENT, parent=unit)
    return {"task": task.pk, "installation": installation_self().installation_id, **handdown()}


def handdown() -> dict:
    from django.contrib.auth import get_user_model

    from shigan.directives.services import handdown_create
    from shigan.orgs.models import Unit
    from shigan.tasks.models import Task

    made = handdown_create(
        by=get_user_model().objects.get(username="county"), upper_task=Task.objects.get(),
        units=[Unit.objects.get(name=DISTRICT)], note="<script>alert(1)</script>=SUM(A1)",
        today=datetime.date(2023, 6, 1),
    )  # fmt: skip
    return {"handdown": made[0].pk}


def district() -> dict:
    from shigan.campaigns.models import Campaign
    from shigan.exchange.services import installation_self
    from shigan.orgs.models import Role, Unit, UnitKind
    from shigan.tasks.models import TaskCategory
    from shigan.testing import make_user

    unit = Unit.objects.create(name=DISTRICT, kind=UnitKind.PARTY_GOVERNMENT)
    force = Unit.objects.create(name="作风专班", kind=UnitKind.TASK_FORCE, parent=unit)
    Unit.objects.create(name="交通局", kind=UnitKind.BUREAU, parent=unit)
    make_user("district", unit=force, role=Role.COORDINATOR, name="区专班")
    campaign = Campaign.objects.create(
        year=2023, name="第1区实干年", organiser=unit, start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )  # fmt: skip
    TaskCategory.objects.create(campaign=campaign, name="重点工作")
    return {"installation": installation_self().installation_id}


def accept() -> dict:
    from django.contrib.auth import get_user_model

    from shigan.campaigns.models import Campaign
    from shigan.directives.models import HandDown
    from shigan.directives.services import handdown_accept_new
    from shigan.indicators.models import Indicator
    from shigan.orgs.models import Unit

    by = get_user_model().objects.get(username="district")
    campaign = Campaign.objects.get(name="第1区实干年")
    bureau = Unit.objects.get(name="交通局")
    task = handdown_accept_new(
        by=by, handdown=HandDown.objects.get(state="pending"), campaign=campaign,
        category=campaign.task_categories.get(), title="第1区优化营商环境", target="办结率100%",
        lead_unit=bureau, leader=None, start_date=datetime.date(2023, 6, 1),
        due_date=datetime.date(2023, 10, 31), today=datetime.date(2023, 6, 2),
    )  # fmt: skip
    Indicator.objects.create(
        name="第1区地区生产总值", measure_unit="yi_yuan", responsible_unit=bureau,
        upper=Indicator.objects.get(name="地区生产总值"),
    )  # fmt: skip
    return {"task": task.pk, **file("6", "100")}


def file(*pairs: str) -> dict:
    """Month and figure, pairs of them: each month filed as of its last day."""
    filed = {}
    for month, value in zip(pairs[::2], pairs[1::2], strict=True):
        end = clock.month_end(datetime.date(2023, int(month), 1))
        os.environ["SHIGAN_TODAY"] = end.isoformat()  # shigan.core.clock reads it at each call
        filed[month] = file_month(int(month), value)
    return filed


def file_month(month: int, value: str) -> int:
    from django.contrib.auth import get_user_model

    from shigan.indicators.models import Indicator
    from shigan.indicators.services.actuals import actual_submit
    from shigan.orgs.models import Unit
    from shigan.tasks.models import Task
    from shigan.tasks.services.progress import progress_submit

    by, bureau = get_user_model().objects.get(username="district"), Unit.objects.get(name="交通局")
    task = Task.objects.get(title="第1区优化营商环境")
    progress_submit(
        task=task, unit=bureau, period=datetime.date(2023, month, 1), by=by,
        text=f"{month}月：完成审批流程梳理", milestones_reached={}, uploads=[],
    )  # fmt: skip
    actual = actual_submit(
        indicator=Indicator.objects.get(name="第1区地区生产总值"), year=2023, month=month,
        value=Decimal(value), is_estimate=False, note="按月报", by=by, unit=bureau,
    )  # fmt: skip
    return actual.pk


def show() -> dict:
    from shigan.directives.models import HandDown
    from shigan.directives.queries import rollups_for
    from shigan.indicators.models import Actual
    from shigan.tasks.models import ProgressReport, Task
    from shigan.tasks.queries import child_task_rows

    upper = Task.objects.get(title="优化营商环境专项行动")
    rows = child_task_rows(upper, TODAY)
    rollup = rollups_for([upper.pk], TODAY)[upper.pk]
    return {
        "children": [(r.task.title, r.task.lead_unit.district.name, r.status.label) for r in rows],
        "rollup": rollup and [rollup.status.label, rollup.progress_label],
        "handdown": list(HandDown.objects.values_list("state", flat=True)),
        "reports": list(ProgressReport.objects.order_by("pk").values_list("text", flat=True)),
        "figures": {
            f"{a.indicator.name}/{a.month}": format(a.value.normalize(), "f")
            for a in Actual.objects.current("indicator", "year", "month").select_related(
                "indicator"
            )
        },
        "upper": list(Actual.objects.values_list("indicator__upper__name", flat=True).distinct()),
        "tasks": Task.objects.count(),
        **log(),
    }


def log() -> list[str]:
    from shigan.exchange.models import ImportLog

    return {"log": list(ImportLog.objects.order_by("pk").values_list("result", flat=True))}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shigan.settings")
    django.setup()
    step, *args = sys.argv[1:]
    print(json.dumps(globals()[step](*args), ensure_ascii=False))
