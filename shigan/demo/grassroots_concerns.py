"""The demo district's visits and concerns, January to June 2023: cadres of the offices visiting
the villages, the community and the enterprises, the concerns raised there and those received by
the hotline, each walked through its steps — most closed on time, some late, a dispute settled,
one 回访 不满意 reopened and closed again, a few still open on the demo's day.

Everything goes through the services (numbers and due dates computed on the district's calendar,
steps in order); the times those services stamp with the real clock are then set to the demo's
2023 days. Deterministic: no random draw."""

import datetime
import struct
import zlib
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shigan.campaigns.models import Campaign
from shigan.core.models import AuditAction, AuditEntry
from shigan.grassroots.models import (
    Concern,
    ConcernAction,
    ConcernCategory,
    ConcernKind,
    ConcernSource,
    ConcernStep,
    PlaceKind,
    Satisfaction,
    Visit,
    VisitKind,
    VisitPhoto,
)
from shigan.grassroots.services.concerns import (
    ConcernInput,
    concern_category_save,
    concern_step,
    concerns_create,
)
from shigan.grassroots.services.visits import visit_record
from shigan.orgs.models import Person, Unit
from shigan.orgs.workdays import calendar_for

# name: working days (0 = 马上就办)
CATEGORIES = {
    "道路交通": 10, "供水排水": 7, "环境卫生": 5, "就业社保": 7, "惠企服务": 5,
    "邻里纠纷": 10, "水电急修（马上就办）": 0,
}  # fmt: skip

# unit key → (reporter account, cadres' person keys, places it visits)
VISITORS = {
    "transport": ("tianbao", ["transport_head", "transport_liaison", "vice_chief"]),
    "water": ("tianbao2", ["water_head", "water_liaison"]),
    "investment": ("tianbao3", ["investment_head", "investment_liaison"]),
    "economy": ("tianbao4", ["economy_head", "economy_liaison", "chief"]),
    "agriculture": ("tianbao5", ["agriculture_head", "agriculture_liaison", "secretary"]),
}
PLACES = [
    (PlaceKind.VILLAGE, "清凉村村委会", "qingliang"), (PlaceKind.HOUSEHOLD, "清凉村三组农户", "qingliang"),
    (PlaceKind.VILLAGE, "新场村村委会", "xinchang"), (PlaceKind.HOUSEHOLD, "新场村五组农户", "xinchang"),
    (PlaceKind.COMMUNITY, "兴业社区党群服务中心", "xingye"), (PlaceKind.HOUSEHOLD, "兴业社区居民楼栋", "xingye"),
    (PlaceKind.ENTERPRISE, "零傲科技有限公司", None), (PlaceKind.ENTERPRISE, "佳仑实业有限公司", None),
]  # fmt: skip
# (category, what was asked, the unit that handles it)
ASKS = [
    ("道路交通", "村组道路坑洼，雨天积水难行，请求硬化修补", "transport"),
    ("供水排水", "自来水水压不足，高峰时段楼上无水", "water"),
    ("环境卫生", "垃圾收集点清运不及时，异味扰民", "agriculture"),
    ("就业社保", "咨询灵活就业人员参保补贴办理", "economy"),
    ("惠企服务", "企业用工招聘难，请求协助对接招聘会", "investment"),
    ("道路交通", "学校门口缺少减速带和斑马线", "transport"),
    ("供水排水", "排水沟堵塞，农田受淹", "water"),
    ("水电急修（马上就办）", "路灯损坏，夜间出行不便", "transport"),
]
NAMES = ["王大爷", "李阿姨", "张师傅", "刘女士", "陈先生", "杨大姐", "赵老伯", "周经理", "吴先生"]
LATE_EVERY, OPEN_FROM, REOPENED_INDEX = 5, 38, 7
CATEGORIES_ON = datetime.date(2023, 1, 3)


@dataclass(frozen=True)
class ConcernsDemo:
    visits: int
    concerns: int


def _png(rgb: tuple[int, int, int], width: int = 160, height: int = 120) -> bytes:
    """A plain-coloured PNG (a stand-in for a site photo; no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))  # fmt: skip


def _photos(i: int, place: str) -> list[SimpleUploadedFile]:
    """A photo of every other visit."""
    if i % 2:
        return []
    colour = [(120, 160, 90), (150, 140, 120), (90, 130, 170)][i % 3]
    return [SimpleUploadedFile(f"{place}现场{i // 2 + 1}.png", _png(colour), "image/png")]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _categories(district: Unit, by) -> dict[str, ConcernCategory]:
    return {
        name: concern_category_save(
            district=district, by=by, name=name, time_limit_workdays=days, sort_order=i
        )  # fmt: skip
        for i, (name, days) in enumerate(CATEGORIES.items())
    }


def _phone(i: int) -> str:
    return f"13{(i * 7919) % 10:d}{(i * 104729) % 100000000:08d}"


def _visits(campaign, units, people, users, categories, today) -> list[Concern]:
    """Thirty visits, about one a week, with the concerns raised on them (those up to today)."""
    concerns: list[Concern] = []
    keys = list(VISITORS)
    for i in range(30):
        day = datetime.date(2023, 1, 9) + datetime.timedelta(days=i * 5 + (i % 4))
        if day > today:
            break
        unit_key = keys[i % len(keys)]
        account, cadres = VISITORS[unit_key]
        kind, place, village = PLACES[i % len(PLACES)]
        asks = [ASKS[(i + j) % len(ASKS)] for j in range(i % 3)]
        items = [_item(categories, units, ask, i * 3 + j) for j, ask in enumerate(asks)]
        visit = visit_record(
            campaign=campaign, by=users[account], kind=[VisitKind.VISIT, VisitKind.DOWN_VISIT,
            VisitKind.ON_SITE][i % 3], date=day, unit=units[unit_key],
            cadres=[people[k] for k in cadres[: 2 + i % 2]], place_kind=kind, place=place,
            place_unit=units[village] if village else None,
            people_met=f"{NAMES[i % len(NAMES)]}等群众{3 + i % 5}人",
            what_done="宣讲惠民政策，了解生产生活困难，现场答复能解决的问题，其余登记转办。",
            concerns=items, photos=_photos(i, place),
        )  # fmt: skip
        Visit.objects.filter(pk=visit.pk).update(created_at=_at(day, 17), updated_at=_at(day, 17))
        concerns.extend(visit.concerns.all())
    return concerns


def _item(categories, units, ask, i: int) -> ConcernInput:
    category, content, unit_key = ask
    dispute = i % 11 == 4
    return ConcernInput(
        kind=ConcernKind.DISPUTE if dispute else ConcernKind.REQUEST,
        category=categories["邻里纠纷" if dispute else category],
        requester_name=NAMES[i % len(NAMES)], requester_phone=_phone(i),
        content="相邻两户因宅基地边界和排水发生争执，请求村里调解" if dispute else content,
        parties="张某某、李某某（相邻农户）" if dispute else "", assigned_unit=units[unit_key],
    )  # fmt: skip


def _hotline(campaign, units, categories, by, today) -> list[Concern]:
    """Twelve concerns from the 12345 hotline, about two a month (those up to today)."""
    found = []
    for i in range(12):
        day = datetime.date(2023, 1 + i // 2, 6 + (i % 2) * 12)
        if day > today:
            continue
        item = _item(categories, units, ASKS[(i * 3) % len(ASKS)], 100 + i)
        found += concerns_create(campaign=campaign, items=[item], by=by,
                                 source=ConcernSource.HOTLINE, received_on=day)  # fmt: skip
    return found


def _walk(concern: Concern, index: int, *, handler, coordinator, calendar, today) -> None:
    """Take the concern's steps: on time, late (every LATE_EVERY-th), reopened once
    (REOPENED_INDEX), or still open (received after the OPEN_FROM-th)."""
    late = index % LATE_EVERY == 3
    done = concern.due_on if not late else calendar.add_workdays(concern.due_on, 4)
    start = concern.received_on
    plan = [(ConcernStep.HANDLING, start, handler, "已安排人员现场核实，制定处理方案。"),
            (ConcernStep.ANSWERED, done, handler, "已办理完毕，电话答复诉求人。")]  # fmt: skip
    if index >= OPEN_FROM:
        plan = plan[:1]
    for step, on, by, note in plan:
        if on > today:  # a demo as of an earlier day: the steps taken by then
            return
        concern_step(concern=concern, by=by, step=step, on=on, note=note)
    if index >= OPEN_FROM or done > today:
        return
    if index == REOPENED_INDEX:
        concern_step(concern=concern, by=coordinator, step=ConcernStep.FOLLOWED_UP, on=done,
                     note="诉求人表示问题未彻底解决。", satisfaction=Satisfaction.UNSATISFIED)  # fmt: skip
        done = calendar.add_workdays(done, 3)
        if done > today:
            return
        concern_step(concern=concern, by=handler, step=ConcernStep.ANSWERED, on=done,
                     note="重新办理后再次答复。")  # fmt: skip
    satisfaction = Satisfaction.BASIC if index % 4 == 1 else Satisfaction.SATISFIED
    concern_step(concern=concern, by=coordinator, step=ConcernStep.FOLLOWED_UP, on=done,
                 note="电话回访。", satisfaction=satisfaction)  # fmt: skip
    outcome = (
        "经调解双方达成一致，签订调解协议。" if concern.kind == ConcernKind.DISPUTE else "已办结。"
    )
    concern_step(concern=concern, by=coordinator, step=ConcernStep.CLOSED, on=done, note=outcome)


def load_concerns_demo(
    *,
    campaign: Campaign,
    units: dict[str, Unit],
    people: dict[str, Person],
    users: dict[str, object],
    today: datetime.date,
) -> ConcernsDemo:
    """The district's concern categories, visits and concerns for the first half of 2023."""
    coordinator = users["zhuanban"]
    district = units["district"]
    categories = _categories(district, coordinator)
    concerns = _visits(campaign, units, people, users, categories, today)
    concerns += _hotline(campaign, units, categories, coordinator, today)
    concerns.sort(key=lambda c: (c.received_on, c.pk))
    handlers = _handlers(units, users)
    calendar = calendar_for(district.pk)
    for index, concern in enumerate(concerns):
        handler = handlers[concern.assigned_unit_id]
        _walk(concern, index, handler=handler, coordinator=coordinator, calendar=calendar,
              today=today)  # fmt: skip
    _dated(campaign, concerns)
    return ConcernsDemo(visits=30, concerns=len(concerns))


def _dated(campaign: Campaign, concerns: list[Concern]) -> None:
    """Stamp the actions, the records and their audit entries with the demo's 2023 days (the
    services stamp the real clock). Every demo concern is assigned on receipt: its first two
    actions (受理, 转办) come with its creation, each later one with one 修改 entry."""
    entries = AuditEntry.objects.filter(record_type__startswith="grassroots.")
    entries.filter(record_type="grassroots.concerncategory").update(at=_at(CATEGORIES_ON, 9))
    for visit in Visit.objects.filter(campaign=campaign).prefetch_related("photos"):
        entries.filter(record_type="grassroots.visit", record_id=visit.pk).update(
            at=_at(visit.date, 17)
        )
        photo_ids = [p.pk for p in visit.photos.all()]
        VisitPhoto.objects.filter(pk__in=photo_ids).update(uploaded_at=_at(visit.date, 17))
        entries.filter(record_type="grassroots.visitphoto", record_id__in=photo_ids).update(
            at=_at(visit.date, 17)
        )
    for concern in concerns:
        Concern.objects.filter(pk=concern.pk).update(created_at=_at(concern.received_on, 9))
        own = entries.filter(record_type="grassroots.concern", record_id=concern.pk)
        own.filter(action=AuditAction.CREATE).update(at=_at(concern.received_on, 9))
        actions = list(ConcernAction.objects.filter(concern=concern).order_by("id"))
        updates = own.filter(action=AuditAction.UPDATE).order_by("id")
        for entry, action in zip(updates, actions[2:], strict=True):
            AuditEntry.objects.filter(pk=entry.pk).update(at=_at(action.on, 15))
        for action in actions:
            ConcernAction.objects.filter(pk=action.pk).update(at=_at(action.on, 15))


def _handlers(units, users) -> dict[int, object]:
    return {units[key].pk: users[account] for key, (account, _) in VISITORS.items()}
