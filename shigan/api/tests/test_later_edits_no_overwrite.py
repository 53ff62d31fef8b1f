"""Two coordinators writing the same record through the API at once, for the edits brought under
the no-overwrite rule after the first ones (诉求类别, 信访接待日, 学习更正, 工作日调整, 年度目标):
both read the `version` (the record's detail, or the list for a concern category), the first
PUT saves, the second — sent with the version read before it — is refused (422 on `version`,
naming who changed what and when) and writes nothing; sent again with the version now read, it
saves. The pages' case of each is in shigan/tests/test_edit_conflicts.py."""

import datetime
import json

import pytest
from django.urls import reverse

from shigan.core.editing import FIELD, record_version
from shigan.core.models import AuditEntry
from shigan.directives.editing import directive_version
from shigan.directives.services import directive_create
from shigan.directives.tests.factories import build_county
from shigan.indicators.models import IndicatorYear
from shigan.indicators.year_guard import year_version
from shigan.orgs.models import Role
from shigan.testing import make_user
from shigan.tests.test_edit_conflicts import shown_form
from shigan.tests.test_permission_matrix import build_records

JSON = "application/json"


def _concern_category(records):
    category = records["concern_category"]
    url = f"/api/v1/concern-categories/{category.pk}"

    def read(client):
        (row,) = [
            c for c in client.get("/api/v1/concern-categories").json() if c["id"] == category.pk
        ]
        return row

    def body(value):
        return {"name": value, "time_limit_workdays": category.time_limit_workdays,
                "sort_order": category.sort_order}  # fmt: skip

    return category, url, read, body, "name"


def _reception_day(records):
    day = records["reception_day"]
    url = f"/api/v1/reception-days/{day.pk}"

    def body(value):
        return {"date": day.date.isoformat(), "leader": day.leader_id, "place": value,
                "held": day.held, "visitors": day.visitors if day.held else None,
                "note": day.note}  # fmt: skip

    return day, url, lambda client: client.get(url).json(), body, "place"


def _workday(records):
    override = records["workday_override"]
    url = f"/api/v1/workdays/{override.pk}"

    def body(value):
        return {"is_workday": override.is_workday, "reason": value}

    return override, url, lambda client: client.get(url).json(), body, "reason"


def _study(records):
    session = records["study"]
    url = f"/api/v1/study-sessions/{session.pk}"

    def body(value):
        return {"topic": value, "date": session.date.isoformat(), "kind": session.kind,
                "attendees": [p.pk for p in session.attendees.all()], "notes": session.notes,
                "reason": f"核对后更正：{value}"}  # fmt: skip

    return session, url, lambda client: client.get(url).json(), body, "topic"


def _year(records):
    indicator = records["indicator_a"]
    url = f"/api/v1/indicators/{indicator.pk}/years/2023"

    class Year:  # the year's target row, read afresh (it may not exist before the first PUT)
        def refresh_from_db(self):
            self.row = IndicatorYear.objects.filter(indicator=indicator, year=2023).first()

        @property
        def annual_target(self):
            return None if self.row is None else f"{self.row.annual_target.normalize():f}"

    year = Year()
    year.refresh_from_db()

    def body(value):
        return {"annual_target": {"吴改的": "120", "周改的": "150"}[value], "reason": "核对"}

    # record_version is of a row; the year's is year_guard.year_version (checked below)
    return year, url, lambda client: client.get(url).json(), body, "annual_target"


# name → (the record, the PUT's URL, read(client) → what the API answers of it, body(value),
# the model field the body's value lands in)
CASES = {
    "concern_category": _concern_category,
    "reception_day": _reception_day,
    "workday": _workday,
    "study": _study,
    "year": _year,
}


def _version(records, kind, record) -> int:
    if kind == "year":
        return year_version(records["indicator_a"], 2023)
    return record_version(record)


def _value(kind, typed):
    return {"吴改的": "120", "周改的": "150"}[typed] if kind == "year" else typed


@pytest.mark.parametrize("kind", CASES)
def test_the_later_of_two_puts_is_refused_on_version_and_writes_nothing(db, client_for, kind):
    records = build_records()
    world = records["world"]
    record, url, read, body, field = CASES[kind](records)
    other, _ = make_user(
        "coordinator2", unit=world.coordinator.person.unit, role=Role.COORDINATOR, name="吴专班"
    )
    first, second = client_for(world.coordinator), client_for(other)
    read_first, read_second = read(first), read(second)
    assert read_first["version"] == read_second["version"] == _version(records, kind, record)

    saved = second.put(url, json.dumps(body("吴改的") | {"version": read_second["version"]}),
                       content_type=JSON)  # fmt: skip
    assert saved.status_code == 200, saved.content
    assert read(first)["version"] > read_first["version"]
    entries = AuditEntry.objects.count()
    stale = body("周改的") | {"version": read_first["version"]}
    refused = first.put(url, json.dumps(stale), content_type=JSON)
    assert refused.status_code == 422, refused.content
    assert [e["field"] for e in refused.json()["errors"]] == ["version"]
    detail = refused.json()["detail"]
    assert "您读取该记录后，吴专班于" in detail and "没有保存" in detail
    record.refresh_from_db()
    assert getattr(record, field) == _value(kind, "吴改的")
    assert AuditEntry.objects.count() == entries  # nothing written

    current = body("周改的") | {"version": read(first)["version"]}
    assert first.put(url, json.dumps(current), content_type=JSON).status_code == 200
    record.refresh_from_db()
    assert getattr(record, field) == _value(kind, "周改的")


def _two_coordinators(records):
    world = records["world"]
    other, _ = make_user(
        "coordinator2", unit=world.coordinator.person.unit, role=Role.COORDINATOR, name="吴专班"
    )
    return world.coordinator, other


def test_a_workday_removal_after_someone_changed_it_is_refused_on_the_page_and_the_api(
    db, client_for
):
    """删除调整 carries the version too: removing what someone changed since is refused."""
    records = build_records()
    override = records["workday_override"]
    first, second = (client_for(u) for u in _two_coordinators(records))
    page = reverse("orgs:workday_edit", args=[override.pk])
    shown = second.get(page).context["remove_form"][FIELD].value()
    api_read = second.get(f"/api/v1/workdays/{override.pk}").json()["version"]
    change = {"is_workday": override.is_workday, "reason": "甲改的", "version": api_read}
    saved = first.put(f"/api/v1/workdays/{override.pk}", json.dumps(change), content_type=JSON)
    assert saved.status_code == 200, saved.content

    remove = reverse("orgs:workday_remove", args=[override.pk])
    refused = second.post(remove, {"reason": "取消", FIELD: shown})
    assert refused.status_code == 200
    assert "您打开此页后，周专班于" in refused.content.decode()
    override.refresh_from_db()
    assert override.active and override.reason == "甲改的"
    stale = {"reason": "取消", "version": api_read}
    answer = second.post(
        f"/api/v1/workdays/{override.pk}/remove", json.dumps(stale), content_type=JSON
    )
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "version"
    override.refresh_from_db()
    assert override.active

    again = refused.context["remove_form"][FIELD].value()  # the current version
    assert second.post(remove, {"reason": "取消", FIELD: again}).status_code == 302
    override.refresh_from_db()
    assert not override.active


def test_the_later_of_two_directive_edits_is_refused_on_the_page_and_the_api(db, client_for):
    """修改文件 rewrites the directive's points and attachments: its version covers them
    (directives.editing.directive_version). The later of two page saves is refused naming who
    changed what, his input kept, nothing of it written; a page save makes the version an API
    client read stale (422 on version); the version then read saves."""
    county = build_county()
    directive = directive_create(
        by=county.coordinator, issuer=county.office, number="县委办发〔2023〕7号",
        title="关于整治的通知", issued_on=datetime.date(2023, 7, 1), points=["一、排查", "二、整改"],
    )  # fmt: skip
    other, _ = make_user(
        "county_coord2", unit=county.coordinator.person.unit, role=Role.COORDINATOR,
        name="吴专班",
    )  # fmt: skip
    first, second = client_for(county.coordinator), client_for(other)
    page = reverse("directives:directive_edit", args=[directive.pk])
    api_url = f"/api/v1/directives/{directive.pk}"
    read = second.get(api_url).json()
    assert read["version"] == directive_version(directive)
    shown_first, shown_second = shown_form(first, page), shown_form(second, page)
    point = directive.points.order_by("sort_order").first()
    changed = dict(shown_first) | {f"point_{point.pk}": ["一、全面排查"]}
    assert first.post(page, changed).status_code == 302
    mine = dict(shown_second) | {"title": ["吴改的标题"]}
    refused = second.post(page, mine)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "您打开此页后，县专班于" in html and "要求事项" in html and "吴改的标题" in html
    directive.refresh_from_db()
    assert directive.title == "关于整治的通知"

    body = {
        "issuer": county.office.pk, "issuer_name": "", "number": directive.number,
        "title": "吴改的标题", "issued_on": "2023-07-01", "new_points": [], "remove_files": [],
        "points": [{"id": p.pk, "text": p.text, "remove": False}
                   for p in directive.points.order_by("sort_order")],
    }  # fmt: skip
    stale = second.put(api_url, json.dumps(body | {"version": read["version"]}), content_type=JSON)
    assert stale.status_code == 422, stale.content
    assert [e["field"] for e in stale.json()["errors"]] == ["version"]
    directive.refresh_from_db()
    assert directive.title == "关于整治的通知"
    now = second.get(api_url).json()["version"]
    saved = second.put(api_url, json.dumps(body | {"version": now}), content_type=JSON)
    assert saved.status_code == 200, saved.content
    directive.refresh_from_db()
    assert directive.title == "吴改的标题"
