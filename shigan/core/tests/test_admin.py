import re

import pytest

from shigan.core.models import AuditEntry
from shigan.orgs.models import Unit


@pytest.mark.parametrize("who", ["leader", "reporter_a", "reporter_b", "inspector"])
def test_only_coordinators_reach_the_admin(world, client_for, who):
    response = client_for(world.users()[who]).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert client_for(world.users()[who]).get("/admin/orgs/unit/").status_code == 302


def test_coordinator_reaches_the_admin(world, client_for):
    client = client_for(world.coordinator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/orgs/unit/").status_code == 200


def test_admin_change_is_audited_and_shown_in_the_record_history(world, client_for):
    client = client_for(world.coordinator)
    unit = world.unit_a
    response = client.post(
        f"/admin/orgs/unit/{unit.pk}/change/",
        {
            "name": "区交通运输局",
            "short_name": "",
            "kind": unit.kind,
            "parent": unit.parent_id,
            "sort_order": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(record_type="orgs.unit", record_id=unit.pk)
    assert entry.actor == world.coordinator
    assert entry.changes["单位名称"] == ["区交通局", "区交通运输局"]
    history = client.get(f"/admin/orgs/unit/{unit.pk}/history/").content.decode()
    assert "区交通局" in history and "区交通运输局" in history and "周专班" in history


def test_admin_delete_is_audited(world, client_for):
    spare = Unit.objects.create(name="临时单位", kind="office", parent=world.district)
    client = client_for(world.coordinator)
    response = client.post(f"/admin/orgs/unit/{spare.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=spare.pk).exists()
    entry = AuditEntry.objects.get(record_type="orgs.unit", record_id=spare.pk)
    assert entry.action == "delete"
    assert entry.changes["单位名称"] == ["临时单位", None]


def test_coordinator_sees_and_saves_inlines_without_django_permissions(world, client_for):
    """Coordinators carry no Django model permissions; the milestone inline must still show."""
    assert not world.coordinator.is_superuser
    page = client_for(world.coordinator).get(f"/admin/tasks/task/{world.task_a.pk}/change/")
    assert page.status_code == 200
    assert "milestones-TOTAL_FORMS" in page.content.decode()


def test_admin_refuses_a_failed_verification_without_note_instead_of_crashing(
    world, client_for, monkeypatch
):
    import datetime

    from shigan.supervision.models import VerificationResult
    from shigan.supervision.services.inspections import verification_record
    from shigan.supervision.tests.helpers import make_finding, make_inspection

    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    finding = make_finding(world, make_inspection(world))
    verification = verification_record(
        finding=finding,
        verified_by=world.inspector.person,
        date=datetime.date(2023, 7, 20),
        result=VerificationResult.FAILED,
        note="台账仍未补齐。",
        by=world.inspector,
    )
    url = f"/admin/supervision/verification/{verification.pk}/change/"
    response = client_for(world.coordinator).post(url, {"note": "", "_save": "1"})
    assert response.status_code == 200
    assert "failed_verification_has_note" in response.content.decode()
    verification.refresh_from_db()
    assert verification.note == "台账仍未补齐。"


@pytest.mark.parametrize("bad", ["9223372036854775808", "²"])
def test_admin_list_action_with_a_tampered_id_is_refused_with_a_message(world, client_for, bad):
    client = client_for(world.coordinator)
    response = client.post(
        "/admin/orgs/unit/",
        {"action": "delete_selected", "_selected_action": [str(world.unit_a.pk), bad]},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "所选记录的编号无效" in page
    assert Unit.objects.filter(pk=world.unit_a.pk).exists()


def test_two_coordinators_editing_one_record_in_the_admin_the_second_is_refused(world, client_for):
    # The admin's change form carries the record's version as the app's edit forms do
    # (core.editing): a save over a colleague's newer one is refused, not applied silently.
    from shigan.core.editing import FIELD
    from shigan.orgs.models import Role
    from shigan.testing import make_user

    other, _ = make_user(
        "coordinator2", unit=world.coordinator.person.unit, role=Role.COORDINATOR, name="吴专班"
    )
    unit = world.unit_a
    url = f"/admin/orgs/unit/{unit.pk}/change/"
    first, second = client_for(world.coordinator), client_for(other)
    page = first.get(url).content.decode()
    version = re.search(rf'name="{FIELD}" value="(\d+)"', page).group(1)
    assert re.search(rf'name="{FIELD}" value="{version}"', second.get(url).content.decode())
    data = {"short_name": "", "kind": unit.kind, "parent": unit.parent_id, "sort_order": 0}
    saved = first.post(url, data | {"name": "区交通运输局", FIELD: version})
    assert saved.status_code == 302
    refused = second.post(url, data | {"name": "区交通建设局", FIELD: version})
    assert refused.status_code == 200
    assert "您打开此页后，周专班于" in refused.content.decode()
    unit.refresh_from_db()
    assert unit.name == "区交通运输局"


def test_admin_dates_are_shown_as_the_date_field_reads_them(world, client_for):
    # The admin's own date widget wrote the locale's 2023/02/01, which core.forms.DateField
    # (YYYY-MM-DD) refused: a task saved unchanged in the admin failed on its own dates.
    task = world.task_a
    page = client_for(world.coordinator).get(f"/admin/tasks/task/{task.pk}/change/")
    html = page.content.decode()
    start = re.search(r'<input[^>]*name="start_date"[^>]*>', html).group(0)
    assert f'value="{task.start_date.isoformat()}"' in start and 'type="date"' in start
