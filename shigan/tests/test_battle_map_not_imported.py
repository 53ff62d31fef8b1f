"""The battle map's 导出Excel is not a task list: uploaded at 任务清单导入 or given to
`shigan import`, it is refused with one message naming what to download instead — not read row
by row into dozens of errors about category rows and milestones (its header also has 牵头单位
and 完成时限)."""

import datetime
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from shigan.core.models import AuditEntry
from shigan.tasks.models import Task

TODAY = datetime.date(2023, 7, 31)
REFUSAL = (
    "这是挂图作战导出的表格，不能直接导入。请在任务清单导入页点“导出本活动现有清单”，"
    "在导出的清单中修改后再导入。"
)


@pytest.fixture
def exported(world, client_for, monkeypatch) -> bytes:
    """The battle map's xlsx as the coordinator downloads it."""
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())
    response = client_for(world.coordinator).get(reverse("dashboards:battle_map_xlsx"))
    assert response.status_code == 200 and response["Content-Type"].endswith(".sheet")
    return response.content


def test_the_battle_map_export_uploaded_for_import_is_refused_with_one_message(
    world, client_for, exported
):
    before = (Task.objects.count(), AuditEntry.objects.count())
    upload = BytesIO(exported)
    upload.name = "挂图作战表.xlsx"
    page = client_for(world.coordinator).post(
        reverse("tasks:task_list_import"), {"campaign": world.campaign.pk, "file": upload}
    )
    assert page.status_code == 200
    result = page.context["result"]
    assert result.file_errors == [REFUSAL] and not result.problems
    html = page.content.decode()
    assert REFUSAL in html and "确认导入</button>" not in html
    assert "导出本活动现有清单" in html  # the button the message names is on the page
    assert (Task.objects.count(), AuditEntry.objects.count()) == before


def test_the_battle_map_export_given_to_shigan_import_is_refused(world, exported, tmp_path):
    path = tmp_path / "map-export.xlsx"
    path.write_bytes(exported)
    before = Task.objects.count()
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import", str(path), "--campaign", str(world.campaign.pk),
                     stdout=out, stderr=err)  # fmt: skip
    assert exit_.value.code == 1 and out.getvalue() == ""
    (line,) = err.getvalue().splitlines()
    assert line.startswith(f"活动{world.campaign.pk}：") and line.endswith(f"：{REFUSAL}")
    assert Task.objects.count() == before
