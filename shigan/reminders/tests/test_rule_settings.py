"""提醒规则 and 日程 (/reminders/rules/): a form per rule in RULE_DEFAULTS' order, whole working
days 0–250 (the filing deadline's working day from 1) with errors naming the rule and the field,
saved all or nothing and audited per changed rule; the filing schedule is the 逾期未报 rule's
days; each meeting series with its cadence and the period it must meet in next; the district's
coordinators only."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from shigan.campaigns.models import Campaign
from shigan.core.models import AuditAction, AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.meetings.models import Cadence
from shigan.meetings.tests.helpers import make_meeting, make_series
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.reminders.access import can_edit_reminder_rules, get_rules_campaign_for_user
from shigan.reminders.models import ReminderRule, RuleKind
from shigan.reminders.queries import filing_deadline_workday
from shigan.reminders.rules import MAX_RULE_DAYS, RULE_DEFAULTS, rule_settings
from shigan.reminders.services.rules import RuleValues, rule_settings_save, rule_value_error
from shigan.testing import make_user

URL = "/reminders/rules/"
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def _form_data(campaign, changes: dict | None = None) -> dict:
    """The page's form as it is shown for `campaign`, with `changes` ({"overdue-days": "3"};
    None unticks or leaves out the field)."""
    data = {}
    for kind, setting in rule_settings(campaign).items():
        if setting.enabled:
            data[f"{kind}-enabled"] = "on"
        if kind != RuleKind.BEHIND:
            data[f"{kind}-days"] = str(setting.days)
        if RULE_DEFAULTS[kind].repeat_days is not None:
            data[f"{kind}-repeat_days"] = str(setting.repeat_days)
    for name, value in (changes or {}).items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def _post(client, campaign, changes: dict | None = None):
    return client.post(f"{URL}?campaign={campaign.pk}", _form_data(campaign, changes))


def test_the_page_shows_a_form_per_rule_in_the_rules_order(world, client_for):
    text = client_for(world.coordinator).get(URL).content.decode()
    titles = re.findall(r'<section class="card rule-card[^"]*" id="rule-(\w+)"', text)
    assert titles == list(RULE_DEFAULTS)
    for kind, default in RULE_DEFAULTS.items():
        assert RuleKind(kind).label in text
        if kind != RuleKind.REPORT_MISSING:  # its days are the filing schedule's, in 日程
            assert default.days_label in text
        if default.repeat_days is not None:
            assert default.repeat_label in text
            assert f'name="{kind}-repeat_days"' in text
        else:
            assert f'name="{kind}-repeat_days"' not in text
    assert 'name="behind-days"' not in text  # 滞后提醒 has no days to set
    # The defaults as documented (README; rules.RULE_DEFAULTS): overdue after 1, again every 5.
    assert re.search(r'name="overdue-days" value="1"', text)
    assert re.search(r'name="overdue-repeat_days" value="5"', text)
    assert re.search(r'name="report_missing-days" value="5"', text)


def test_saving_writes_only_the_changed_rules_with_their_before_and_after(world, client_for):
    client = client_for(world.coordinator)
    response = _post(client, world.campaign, {"overdue-days": "3", "change_waiting-enabled": None})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?campaign={world.campaign.pk}"
    rows = {r.kind: r for r in ReminderRule.objects.all()}
    assert set(rows) == {RuleKind.OVERDUE, RuleKind.CHANGE_WAITING}
    assert (rows[RuleKind.OVERDUE].days, rows[RuleKind.OVERDUE].repeat_days) == (3, 5)
    assert rows[RuleKind.CHANGE_WAITING].enabled is False
    entry = AuditEntry.objects.get(record_id=rows[RuleKind.OVERDUE].pk)
    assert entry.action == AuditAction.UPDATE and entry.actor == world.coordinator
    assert entry.changes == {"工作日数": [1, 3]} and entry.note == "原为默认设置"
    assert AuditEntry.objects.filter(record_type="reminders.reminderrule").count() == 2
    # A second change updates the row; its entry has the stored value as "before".
    _post(client, world.campaign, {"overdue-days": "3", "overdue-repeat_days": "2"})
    latest = AuditEntry.objects.filter(record_id=rows[RuleKind.OVERDUE].pk).order_by("-id")[0]
    assert latest.changes == {"重复间隔（工作日，0 为只提醒一次）": [5, 2]} and latest.note == ""
    page = client.get(f"{URL}?campaign={world.campaign.pk}").content.decode()
    assert "提醒规则：" in page and "原为默认设置" in page  # the page's 历史记录


def test_saving_nothing_changed_writes_nothing(world, client_for):
    client = client_for(world.coordinator)
    url = f"{URL}?campaign={world.campaign.pk}"
    response = client.post(url, _form_data(world.campaign), follow=True)
    assert "设置没有变化" in response.content.decode()
    assert not ReminderRule.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "overdue-days",
            str(MAX_RULE_DAYS + 1),
            "“逾期催办”的“逾期满几个工作日开始催办”应为0到250之间的整数",
        ),
        (
            "overdue-repeat_days",
            "-1",
            "“逾期催办”的“之后每隔几个工作日再催办（0为只催一次）”应为0到250",
        ),
        ("nearing-days", "三", "“临期提醒”的“到期前几个工作日内提醒”：“三”不是数字"),
        ("nearing-days", "1.5", "“临期提醒”的“到期前几个工作日内提醒”：应为整数"),
        ("escalation-days", "", "请填写“逾期督办”的“逾期满几个工作日报分管领导督办”"),
        (
            "report_missing-days",
            "0",
            "“逾期未报”的“月度进展报送截止：次月第几个工作日”应为1到15",
        ),
    ],
)
def test_a_bad_value_saves_nothing_and_names_the_rule_and_field(
    world, client_for, field, value, message
):
    changes = {"nearing-days": "2", field: value}
    response = _post(client_for(world.coordinator), world.campaign, changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "设置未保存" in response.content.decode()
    assert not ReminderRule.objects.exists() and not AuditEntry.objects.exists()


def test_the_service_saves_all_or_nothing(world):
    values = {
        RuleKind.NEARING: RuleValues(True, 2),
        RuleKind.OVERDUE: RuleValues(True, 2, MAX_RULE_DAYS + 1),
        "no_such_rule": RuleValues(True, 1),
    }
    with pytest.raises(ValidationError) as raised:
        rule_settings_save(campaign=world.campaign, by=world.coordinator, values=values)
    assert any("“逾期催办”" in m for m in raised.value.messages)
    assert any("no_such_rule" in m for m in raised.value.messages)
    with pytest.raises(ValidationError, match="不重复提醒"):
        rule_settings_save(campaign=world.campaign, by=world.coordinator,
                           values={RuleKind.NEARING: RuleValues(True, 2, 3)})  # fmt: skip
    assert not ReminderRule.objects.exists() and not AuditEntry.objects.exists()
    saved = rule_settings_save(
        campaign=world.campaign, by=world.coordinator,
        values={RuleKind.NEARING: RuleValues(True, 2), RuleKind.BEHIND: RuleValues(False)},
    )  # fmt: skip
    assert {r.kind for r in saved} == {RuleKind.NEARING, RuleKind.BEHIND}
    settings = rule_settings(world.campaign)
    assert settings[RuleKind.NEARING].days == 2 and settings[RuleKind.BEHIND].enabled is False
    assert settings[RuleKind.BEHIND].days == RULE_DEFAULTS[RuleKind.BEHIND].days


def test_the_filing_schedule_is_the_report_missing_rules_days(world, client_for):
    client = client_for(world.coordinator)
    page = client.get(URL).content.decode()
    assert "各单位每月进展于次月第" in page
    # On July 20 June's deadline (July 7) has passed: July's is next, the 5th working day of
    # August (August 1-4, 7).
    assert "2023年7月工作进展的报送截止日期是<b>2023年8月7日</b>" in page
    assert _post(client, world.campaign, {"report_missing-days": "7"}).status_code == 302
    assert filing_deadline_workday(world.campaign) == 7
    assert "2023年8月9日" in client.get(URL).content.decode()
    board = client.get("/reminders/filing/?period=2023-06").content.decode()
    assert "次月第7个工作日" in board and "2023年7月11日" in board


def test_the_schedule_lists_each_series_with_its_next_period(world, client_for):
    monthly = make_series(
        world, name="专班月度碰头会", cadence=Cadence.MONTHLY, start=D(2023, 1, 1)
    )
    quarterly = make_series(world, name="领导小组季度会议", cadence=Cadence.QUARTERLY,
                            start=D(2023, 1, 1))  # fmt: skip
    make_series(world, name="专题会", cadence=Cadence.NONE, start=D(2023, 1, 1))
    make_meeting(world, date=D(2023, 7, 10), series=monthly)
    text = client_for(world.coordinator).get(URL).content.decode()
    rows = dict(re.findall(r'series/(\d+)/">[^<]*</a>.*?</td>\s*<td>[^<]*</td>\s*<td>(.*?)</td>',
                           text, re.S))  # fmt: skip
    plain = {k: re.sub(r"<[^>]+>", "", v) for k, v in rows.items()}
    assert plain[str(monthly.pk)] == "2023年8月，8月31日前（本期已召开）"
    assert plain[str(quarterly.pk)] == "2023年第三季度，9月30日前"
    assert "不定期，无固定期限" in text
    assert f'href="/meetings/series/{monthly.pk}/edit/"' in text
    assert "每月" in text and "每季度" in text


def test_the_campaign_page_the_board_and_the_setup_guide_link_the_rules(world, client_for):
    client = client_for(world.coordinator)
    link = f'href="/reminders/rules/?campaign={world.campaign.pk}"'
    assert link in client.get(f"/campaigns/{world.campaign.pk}/").content.decode()
    assert link in client.get("/reminders/filing/").content.decode()
    assert 'href="/reminders/rules/"' in client.get("/setup/").content.decode()


def _other_district():
    other = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    force = Unit.objects.create(name="乙县专班", kind=UnitKind.TASK_FORCE, parent=other)
    coordinator, _ = make_user("yi_coordinator", unit=force, role=Role.COORDINATOR, name="乙专班")
    campaign = Campaign.objects.create(
        year=2023, name="乙县活动", organiser=other, start_date=D(2023, 1, 1),
        end_date=D(2023, 12, 31),
    )  # fmt: skip
    return coordinator, campaign


def test_only_the_districts_coordinators_set_its_rules(world, client_for):
    other_coordinator, other_campaign = _other_district()
    assert can_edit_reminder_rules(world.coordinator, world.campaign)
    assert not can_edit_reminder_rules(world.coordinator, other_campaign)
    assert not can_edit_reminder_rules(world.reporter_a, world.campaign)
    assert get_rules_campaign_for_user(world.coordinator, None) == world.campaign
    for user in (world.leader, world.reporter_a, world.reporter_b, world.inspector):
        assert client_for(user).get(URL).status_code == 403
        assert _post(client_for(user), world.campaign, {"overdue-days": "9"}).status_code == 403
    outsider = client_for(other_coordinator)
    assert outsider.get(f"{URL}?campaign={world.campaign.pk}").status_code == 404
    assert _post(outsider, world.campaign, {"overdue-days": "9"}).status_code == 404
    assert "乙县活动" in outsider.get(URL).content.decode()
    assert client_for(world.coordinator).get(f"{URL}?campaign=abc").status_code == 404
    assert client_for(world.coordinator).put(URL).status_code == 405
    assert not ReminderRule.objects.exists()


def test_the_page_runs_a_fixed_number_of_queries(world, client_for):
    client = client_for(world.coordinator)
    make_series(world, name="系列0", cadence=Cadence.MONTHLY, start=D(2023, 1, 1))
    _post(client, world.campaign, {"overdue-days": "2"})

    def grow():
        for n in range(1, 6):
            series = make_series(world, name=f"系列{n}", cadence=Cadence.QUARTERLY,
                                 start=D(2023, 1, 1))  # fmt: skip
            make_meeting(world, date=D(2023, 1 + n, 3), series=series)
        _post(
            client,
            world.campaign,
            {"overdue-days": "4", "nearing-days": "1", "escalation-days": "6"},
        )

    assert_same_queries(get_page(client, URL), grow, at_most=20, warm_up=True)


def test_the_filing_deadline_is_a_working_day_from_1_to_15():
    assert rule_value_error(RuleKind.REPORT_MISSING, "days", 15) == ""
    assert "1到15" in rule_value_error(RuleKind.REPORT_MISSING, "days", 16)
    assert "1到15" in rule_value_error(RuleKind.REPORT_MISSING, "days", 0)
    assert rule_value_error(RuleKind.OVERDUE, "days", 250) == ""
