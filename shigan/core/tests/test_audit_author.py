import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from shigan.core.audit import audit_record
from shigan.core.models import AuditAction, AuditSource

TEMPLATES = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "source,name",
    [
        (AuditSource.SYSTEM, "系统"),
        (AuditSource.IMPORT, "数据导入"),
        (AuditSource.DEMO, "演示数据"),
    ],
)
def test_an_entry_without_a_user_is_named_by_its_source(world, source, name):
    entry = audit_record(actor=None, obj=world.unit_a, action=AuditAction.CREATE, source=source)
    assert entry.author == name


def test_an_entry_with_a_user_is_named_by_his_person(world):
    entry = audit_record(actor=world.coordinator, obj=world.unit_a, action=AuditAction.UPDATE)
    assert entry.source == AuditSource.USER
    assert entry.author == world.coordinator.person.name


def test_a_user_without_a_person_is_named_by_his_login(world):
    admin = get_user_model().objects.create_user(username="yunwei", password="x" * 12)
    entry = audit_record(actor=admin, obj=world.unit_a, action=AuditAction.UPDATE)
    assert entry.author == "yunwei"


def test_task_page_and_admin_history_show_entries_written_without_a_user(world, client_for):
    audit_record(
        actor=None,
        obj=world.task_a,
        action=AuditAction.CREATE,
        task_id=world.task_a.pk,
        source=AuditSource.DEMO,
    )
    audit_record(actor=None, obj=world.unit_a, action=AuditAction.CREATE, source=AuditSource.DEMO)
    client = client_for(world.coordinator)
    page = client.get(f"/tasks/{world.task_a.pk}/")
    assert page.status_code == 200
    assert "演示数据" in page.content.decode()
    history = client.get(f"/admin/orgs/unit/{world.unit_a.pk}/history/")
    assert history.status_code == 200
    assert "演示数据" in history.content.decode()


# A filter argument is resolved without the template engine's silence: `a|default:b.c.d`
# raises when b or b.c is missing, which is how the demo's headline tasks once answered 500.
CHAINED_ARGUMENT = re.compile(r"\|\w+:\s*[A-Za-z_]\w*\.\w+\.\w+")


def test_no_template_chains_lookups_in_a_filter_argument():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if CHAINED_ARGUMENT.search(line)
    ]
    assert offenders == []


def test_a_snapshot_names_users_by_their_person_and_leaves_out_time_stamps(world):
    from shigan.core.audit import snapshot
    from shigan.tasks.models import ProgressReport

    report = ProgressReport.objects.create(
        task=world.task_a,
        unit=world.unit_a,
        period=datetime.date(2023, 7, 1),
        text="完成实地测量。",
        submitted_by=world.reporter_a,
    )
    data = snapshot(report)
    assert data["填报人"] == world.reporter_a.person.name
    assert "填报时间" not in data


def test_history_shows_a_reached_milestone_by_title_and_date():
    from shigan.core.templatetags.shigan_audit import after_value

    reached = [{"id": 2, "title": "完成项目实地测量", "done_on": "2023-06-16"}]
    assert after_value([None, reached]) == "完成项目实地测量（2023-06-16）"
