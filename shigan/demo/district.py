"""Load the demo district (示范区) and its 2023 实干年 campaign into an empty database.

`load_demo()` creates, in one transaction: the unit tree, people and posts, the leading group,
oversight (分管), the campaign with its plan and phases, the three list tasks with milestones and
monthly progress reports, one log-in account per role, the meetings with their decisions, study
sessions, the special inspection with findings and notices, the 13 media reports, and an audit entry (no actor, note
"演示数据") for every record it creates. Progress and milestones dated after `today` are left out,
so the data is the campaign as it stood on that day.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shigan.campaigns.models import Campaign, Phase, PlanSection
from shigan.core.chain import chain_deferred
from shigan.orgs.models import LeadingGroup, LeadingGroupMember, Oversight, Person, Unit
from shigan.reminders.services import remind_run
from shigan.tasks.models import Milestone, ProgressReport, Task, TaskCategory
from shigan.tasks.queries import campaign_tasks_on

from .base import DEMO_TODAY
from .county import load_county_demo
from .data import campaign as campaign_data
from .data import county as county_data
from .data import org
from .data.tasks import TASKS
from .grassroots_activities import load_activities_demo
from .grassroots_concerns import load_concerns_demo
from .indicators import load_indicators_demo
from .meetings import load_meetings_demo
from .publicity import load_publicity_demo
from .records import (
    create_accounts,
    create_audited,
    create_milestones,
    create_reports,
    create_task,
)
from .reports import load_report_narrative_demo
from .supervision import load_supervision_demo
from .timebank import VILLAGE_REPORTER, load_timebank_demo


@dataclass(frozen=True)
class DemoAccount:
    """A demo log-in account as `shigan demo` prints it."""

    username: str
    password: str
    role: str
    unit: str
    name: str
    post: str

    def line(self) -> str:
        return f"{self.username} / {self.password} / {self.role} / {self.unit} / {self.name}（{self.post}）"


@dataclass(frozen=True)
class DemoSummary:
    """What load_demo() created. tasks, milestones, reports: the demo district's campaign's, as
    its battle map counts them (campaign_counts)."""

    today: datetime.date
    campaign: Campaign
    accounts: list[DemoAccount]
    units: int
    people: int
    tasks: int
    milestones: int
    reports: int

    def accounts_table(self) -> str:
        header = "用户名 / 密码 / 角色 / 单位 / 姓名（职务）"
        return "\n".join([header, *(f"  {a.line()}" for a in self.accounts)])


class DemoDataExists(Exception):
    """The database already holds units, a campaign or a demo username; the demo loads only into
    an empty database."""


def create_units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for order, (key, (name, short, kind, parent)) in enumerate(org.UNITS.items()):
        units[key] = create_audited(
            Unit,
            name=name,
            short_name=short,
            kind=kind,
            parent=units.get(parent) if parent else None,
            sort_order=order,
        )
    return units


def create_people(units: dict[str, Unit]) -> dict[str, Person]:
    people: dict[str, Person] = {}
    for order, (key, (name, unit, post, role)) in enumerate(org.PEOPLE.items()):
        people[key] = create_audited(
            Person, name=name, unit=units[unit], post=post, role=role, sort_order=order
        )
    return people


def create_leading_group(people: dict[str, Person]) -> LeadingGroup:
    group = create_audited(LeadingGroup, name=org.LEADING_GROUP_NAME)
    for order, (person_key, role) in enumerate(org.LEADING_GROUP):
        create_audited(
            LeadingGroupMember, group=group, person=people[person_key], role=role, sort_order=order
        )
    return group


def create_oversight(people: dict[str, Person], units: dict[str, Unit]) -> None:
    for leader_key, unit_keys in org.OVERSIGHT.items():
        for unit_key in unit_keys:
            create_audited(Oversight, leader=people[leader_key], unit=units[unit_key])


def create_campaign(organiser: Unit, group: LeadingGroup) -> Campaign:
    campaign = create_audited(
        Campaign,
        year=campaign_data.YEAR,
        name=campaign_data.NAME,
        slogan=campaign_data.SLOGAN,
        organiser=organiser,
        leading_group=group,
        start_date=campaign_data.START,
        end_date=campaign_data.END,
    )
    for kind, body in campaign_data.PLAN_SECTIONS.items():
        create_audited(PlanSection, campaign=campaign, kind=kind, body=body)
    for order, (name, start, end) in enumerate(campaign_data.PHASES):
        create_audited(
            Phase, campaign=campaign, name=name, start_date=start, end_date=end, sort_order=order
        )
    return campaign


def create_task_list(
    campaign: Campaign,
    units: dict[str, Unit],
    people: dict[str, Person],
    users: dict[str, object],
    today: datetime.date,
) -> tuple[int, int]:
    """The seed's three list tasks; returns (milestones, reports) created."""
    categories: dict[str, TaskCategory] = {}
    milestone_count = report_count = 0
    for number, data in enumerate(TASKS, start=1):
        if data.category not in categories:
            categories[data.category] = create_audited(
                TaskCategory, campaign=campaign, name=data.category, sort_order=len(categories) + 1
            )
        task = create_task(
            data, number=number, category=categories[data.category], units=units, people=people
        )
        milestones = create_milestones(task, data, today)
        milestone_count += len(milestones)
        report_count += create_reports(task, data, milestones, users[data.reporter], today)
    return milestone_count, report_count


COORDINATOR_ACCOUNT = "zhuanban"


def load_activities(
    campaign: Campaign,
    units: dict[str, Unit],
    people: dict[str, Person],
    coordinator,
    today: datetime.date,
) -> None:
    """Meetings and decisions, supervision and notices, media reports — each app's own demo
    content, created through its services after the accounts exist (approvals need them)."""
    load_meetings_demo(campaign=campaign, people=people, units=units, by=coordinator, today=today)
    load_supervision_demo(campaign=campaign, people=people, units=units, by=coordinator)
    tasks = list(Task.objects.filter(campaign=campaign, origin="list"))
    load_publicity_demo(campaign=campaign, tasks=tasks, by=coordinator)
    load_indicators_demo(campaign=campaign, units=units, people=people, by=coordinator, today=today)
    load_report_narrative_demo(campaign=campaign, by=coordinator)


# Accounts a loader adds beside org.ACCOUNTS: the time bank's village reporter, and the county's
# and its second district's (data.county.ACCOUNTS).
EXTRA_ACCOUNTS = {VILLAGE_REPORTER: VILLAGE_REPORTER, **county_data.ACCOUNTS}


def demo_accounts(people: dict[str, Person]) -> list[DemoAccount]:
    return [
        DemoAccount(
            username=username,
            password=org.DEMO_PASSWORD,
            role=people[key].get_role_display(),
            unit=people[key].unit.name,
            name=people[key].name,
            post=people[key].post,
        )
        for username, key in {**org.ACCOUNTS, **EXTRA_ACCOUNTS}.items()
        if key in people
    ]


@transaction.atomic
# The loader backdates its records (submitted_at, the entries' times) behind the services: the
# tamper-evident chain links them once, as they stand at the end, so `shigan audit verify` passes.
@chain_deferred()
def load_demo(*, today: datetime.date = DEMO_TODAY) -> DemoSummary:
    """Create the demo district as of `today`. Raises DemoDataExists unless the database is empty."""
    if (
        Campaign.objects.exists()
        or Unit.objects.exists()
        or get_user_model().objects.filter(username__in=[*org.ACCOUNTS, *EXTRA_ACCOUNTS]).exists()
    ):
        raise DemoDataExists("数据库中已有单位、活动或演示账号，演示数据只能载入空数据库。")
    units = create_units()
    people = create_people(units)
    users = create_accounts(people)
    group = create_leading_group(people)
    create_oversight(people, units)
    campaign = create_campaign(units[org.DISTRICT], group)
    create_task_list(campaign, units, people, users, today)
    load_activities(campaign, units, people, users[COORDINATOR_ACCOUNT], today)
    # The grassroots ledger: visits and concerns, 办实事 and the rota, pairings and practice
    # activities, the time bank (which reads the practice activities).
    ledger = {"campaign": campaign, "units": units, "people": people, "users": users}
    load_concerns_demo(**ledger, today=today)
    load_activities_demo(**ledger, today=today)
    timebank = load_timebank_demo(**ledger, today=today)
    # The day's reminders (临期, 催办, 逾期未报, 督办) in the demo accounts' inboxes, as the daily
    # `shigan remind` would have left them; nothing is sent outside.
    remind_run(today=today, now=timezone.now(), send=False)
    # The county above the district (after the day's reminders, which stay the district's).
    county = load_county_demo(
        district=units[org.DISTRICT], district_campaign=campaign,
        district_coordinator=users[COORDINATOR_ACCOUNT], today=today,
    )  # fmt: skip
    tasks, milestones, reports = campaign_counts(campaign, today)
    return DemoSummary(
        today=today,
        campaign=campaign,
        accounts=demo_accounts({**people, **timebank.people, **county.people}),
        units=len(units),
        people=len(people),
        tasks=tasks,
        milestones=milestones,
        reports=reports,
    )


def campaign_counts(campaign: Campaign, today: datetime.date) -> tuple[int, int, int]:
    """The campaign's tasks as the battle map counts them on `today` (every task of it known
    that day: the list's, the meetings' decisions, the inspection's rectifications, 办实事 …),
    their milestones and their progress reports (corrected entries counted once)."""
    tasks = campaign_tasks_on(campaign, today, Task.objects.all())
    reports = ProgressReport.objects.filter(task__in=tasks)
    corrected = ProgressReport.objects.filter(corrects__isnull=False).values("corrects")
    return (
        tasks.count(),
        Milestone.objects.filter(task__in=tasks).count(),
        reports.exclude(pk__in=corrected).count(),
    )
