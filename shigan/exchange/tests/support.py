"""A county's database with one district registered as a peer, and report-up packages as that
district's installation would sign them (for the services tests)."""

import datetime
import uuid
from dataclasses import dataclass

from shigan.directives.models import HandDown
from shigan.directives.tests.factories import County, build_county
from shigan.exchange import package
from shigan.exchange.models import Peer
from shigan.exchange.services import installation_self, peer_add
from shigan.indicators.models import Indicator

DISTRICT_ID = str(uuid.UUID(int=7))


@dataclass
class CountySide:
    county: County
    peer: Peer
    key: str
    indicator: Indicator
    handdown: HandDown


def county_side() -> CountySide:
    county = build_county(districts=1)
    peer, key = peer_add(
        name="第1区", installation_id=DISTRICT_ID, side="lower", unit_name="第1区党委政府",
        home_name=county.unit.name,
    )  # fmt: skip
    handdown = HandDown.objects.create(
        upper_task=county.upper_task, unit=county.districts[0].unit,
        handed_by=county.coordinator, handed_on=datetime.date(2023, 6, 1),
    )  # fmt: skip
    indicator = Indicator.objects.create(
        name="地区生产总值", measure_unit="yi_yuan", responsible_unit=county.office
    )
    return CountySide(county, peer, key, indicator, handdown)


def body(side: CountySide, *, actuals=(), title="第1区优化营商环境") -> dict:
    """The district's month: one task answering the hand-down, one milestone, one report, one
    indicator counting into the county's; `actuals` as (id, month, value, corrects, reason)."""
    return {
        "district": {"id": 1, "name": "第1区党委政府"},
        "units": [{"id": 2, "name": "交通局", "kind": "bureau"}],
        "campaigns": [{"id": 3, "name": "第1区实干年", "year": 2023, "start": "2023-01-01", "end": "2023-12-31"}],
        "tasks": [{
            "id": 4, "campaign": 3, "category": "重点工作", "number": 1, "title": title,
            "target": "=SUM(A1:A9)", "lead_unit": 2, "start": "2023-06-01", "due": "2023-10-31",
            "state": "active", "closed_on": None, "upper": side.county.upper_task.pk,
        }],
        "milestones": [{"id": 5, "task": 4, "title": "梳理流程", "due": "2023-07-31", "done_on": "2023-06-20", "sort": 0}],
        "reports": [{"id": 6, "task": 4, "unit": 2, "period": "2023-06-01", "text": "6月进展", "milestones": [5], "corrects": None, "reason": ""}],
        "indicators": [{
            "id": 7, "name": "第1区地区生产总值", "measure_unit": "yi_yuan", "accumulation": "cumulative",
            "direction": "higher", "aggregation": "sum", "unit": 2, "upper": side.indicator.pk,
        }],
        "actuals": [
            {"id": i, "indicator": 7, "year": 2023, "month": m, "value": v, "is_estimate": False,
             "note": "", "corrects": c, "reason": r}
            for i, m, v, c, r in actuals
        ],
    }  # fmt: skip


def signed(
    side: CountySide, data_body: dict, *, seq: int, period: str, key=None, **header
) -> bytes:
    data = {
        "format": package.FORMAT, "version": package.VERSION, "id": str(uuid.uuid4()),
        "kind": "report", "from": {"installation": DISTRICT_ID, "name": "第1区党委政府"},
        "to": {"installation": installation_self().installation_id, "name": "示范县"},
        "period": period, "seq": seq, "created_at": "2023-07-01T00:00:00+00:00", "body": data_body,
    } | header  # fmt: skip
    return package.write(data, key or side.key)
