"""The reminder rules' timing at their boundaries on China's 2023 calendar (rules.py, README
"提醒规则"): National Day 2023 is September 29 – October 6 with Saturday 7 and Sunday 8 October
worked (调休); Labour Day April 29 – May 3 with Sunday April 23 and Saturday May 6 worked."""

import datetime

import pytest

from shigan.core.workdays import WorkCalendar
from shigan.reminders import rules
from shigan.reminders.models import ReminderRule, RuleKind
from shigan.reminders.rules import RULE_DEFAULTS, RuleSetting, rule_settings

CAL = WorkCalendar()
D = datetime.date


def _setting(kind, days=None, repeat=None) -> RuleSetting:
    default = RULE_DEFAULTS[kind]
    return RuleSetting(
        kind=kind,
        enabled=True,
        days=default.days if days is None else days,
        repeat_days=(default.repeat_days or 0) if repeat is None else repeat,
    )


def test_the_documented_defaults():
    assert {k: (v.days, v.repeat_days) for k, v in RULE_DEFAULTS.items()} == {
        RuleKind.NEARING: (5, None),
        RuleKind.OVERDUE: (1, 5),
        RuleKind.BEHIND: (0, None),
        RuleKind.REPORT_MISSING: (5, 2),
        RuleKind.CADENCE_BEHIND: (5, None),
        RuleKind.CHANGE_WAITING: (3, 3),
        RuleKind.ESCALATION: (5, None),
    }


def test_a_campaigns_rows_override_the_defaults(world):
    ReminderRule.objects.create(
        campaign=world.campaign, kind=RuleKind.OVERDUE, days=2, repeat_days=0, enabled=False
    )
    settings = rule_settings(world.campaign)
    assert settings[RuleKind.OVERDUE] == RuleSetting(RuleKind.OVERDUE, False, 2, 0)
    assert settings[RuleKind.NEARING] == RuleSetting(RuleKind.NEARING, True, 5, 0)


@pytest.mark.parametrize(
    ("today", "due", "days", "fires"),
    [
        (D(2023, 7, 31), D(2023, 7, 31), 5, True),  # due today
        (D(2023, 7, 31), D(2023, 8, 7), 5, True),  # Tue–Fri and Monday: 5 working days
        (D(2023, 7, 31), D(2023, 8, 8), 5, False),  # 6 working days
        (D(2023, 8, 1), D(2023, 7, 31), 5, False),  # already past: the overdue rule's
        # The day before the National Day holiday: Oct 7, 8 (调休) and 9 are the next working days.
        (D(2023, 9, 28), D(2023, 10, 9), 3, True),
        (D(2023, 9, 28), D(2023, 10, 9), 2, False),
        # A due date inside the holiday counts the working days up to it: none after Sept 28.
        (D(2023, 9, 28), D(2023, 10, 3), 0, True),
    ],
)
def test_nearing_counts_working_days_up_to_the_date(today, due, days, fires):
    assert rules.nearing_date(due, today, days, CAL) is fires


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2023, 9, 28), None),  # due today: not overdue
        (D(2023, 9, 29), None),  # holiday right after: 0 working days late
        (D(2023, 10, 6), None),
        (D(2023, 10, 7), 1),  # Saturday worked (调休): the 1st working day late → round 1
        (D(2023, 10, 13), 1),  # 7 working days late, a repeat of 10: still round 1
    ],
)
def test_the_first_chase_falls_on_the_first_working_day_after_the_due_date(today, expected):
    setting = _setting(RuleKind.OVERDUE, days=1, repeat=10)
    assert rules.overdue_round(D(2023, 9, 28), today, setting, CAL) == expected


def test_chases_repeat_every_repeat_days_working_days():
    setting = _setting(RuleKind.OVERDUE)  # from the 1st working day late, every 5
    due = D(2023, 6, 30)  # a Friday
    rounds = {
        day: rules.overdue_round(due, day, setting, CAL)
        for day in [D(2023, 7, 3), D(2023, 7, 7), D(2023, 7, 10), D(2023, 7, 14), D(2023, 7, 17)]
    }
    # July 3 = 1 working day late; July 10 = 6 late → round 2; July 17 = 11 → round 3.
    assert rounds == {
        D(2023, 7, 3): 1,
        D(2023, 7, 7): 1,
        D(2023, 7, 10): 2,
        D(2023, 7, 14): 2,
        D(2023, 7, 17): 3,
    }
    once = _setting(RuleKind.OVERDUE, repeat=0)
    assert rules.overdue_round(due, D(2023, 9, 1), once, CAL) == 1


def test_escalation_after_n_working_days_overdue():
    setting = _setting(RuleKind.ESCALATION)  # 5
    due = D(2023, 6, 30)
    assert not rules.escalation_due(due, D(2023, 7, 6), setting, CAL)  # 4 working days
    assert rules.escalation_due(due, D(2023, 7, 7), setting, CAL)  # 5
    # Across the holiday: due Sept 27, late Sept 28 (1), Oct 7 (2), 8 (3), 9 (4), 10 (5).
    assert not rules.escalation_due(D(2023, 9, 27), D(2023, 10, 9), setting, CAL)
    assert rules.escalation_due(D(2023, 9, 27), D(2023, 10, 10), setting, CAL)


def test_a_missing_report_fires_the_first_working_day_after_the_deadline():
    setting = _setting(RuleKind.REPORT_MISSING)  # 5th working day, then every 2
    september = D(2023, 9, 1)
    assert rules.filing_deadline(september, CAL, 5) == D(2023, 10, 11)
    assert rules.report_missing_round(september, D(2023, 10, 11), setting, CAL) is None
    assert rules.report_missing_round(september, D(2023, 10, 12), setting, CAL) == 1
    assert rules.report_missing_round(september, D(2023, 10, 13), setting, CAL) == 1
    assert rules.report_missing_round(september, D(2023, 10, 14), setting, CAL) == 1  # Saturday
    assert rules.report_missing_round(september, D(2023, 10, 16), setting, CAL) == 2
    # The schedule is the campaign's: by the 3rd working day, October 9.
    third = _setting(RuleKind.REPORT_MISSING, days=3)
    assert rules.report_missing_round(september, D(2023, 10, 10), third, CAL) == 1


def test_a_change_request_waits_working_days():
    setting = _setting(RuleKind.CHANGE_WAITING)  # 3, then every 3
    asked = D(2023, 9, 27)
    assert rules.waiting_round(asked, D(2023, 10, 7), setting, CAL) is None  # 28, 7: two
    assert rules.waiting_round(asked, D(2023, 10, 8), setting, CAL) == 1  # Sunday worked: three
    assert rules.waiting_round(asked, D(2023, 10, 11), setting, CAL) == 2  # six


def test_labour_day_adjusted_sunday_counts():
    # Due Friday April 21 2023; Sunday April 23 is worked (调休): the 1st working day late.
    setting = _setting(RuleKind.OVERDUE, days=1, repeat=0)
    assert rules.overdue_round(D(2023, 4, 21), D(2023, 4, 22), setting, CAL) is None
    assert rules.overdue_round(D(2023, 4, 21), D(2023, 4, 23), setting, CAL) == 1
