"""The task-list import's dry run (the preview) is the real run rolled back: it lists exactly what
the import then does and writes nothing; a confirmation whose preview is out of date writes
nothing. Imported tasks start at the campaign's start, so mid-year a task whose milestones are
behind is 滞后 on the battle map."""

import datetime

import pytest

from shigan.core.models import AuditEntry
from shigan.tasks.models import Milestone, Task, TaskCategory
from shigan.tasks.queries import task_rows
from shigan.tasks.status import TaskStatus
from shigan.tasks.xlsx import import_task_list

from .task_sheets import TEMPLATE_HEADER, ListSheet, seed_sheet

D = datetime.date


def counts() -> list[int]:
    return [m.objects.count() for m in (Task, Milestone, TaskCategory, AuditEntry)]


def run(path, world, **kw):
    return import_task_list(path_or_file=path, by=world.coordinator, campaign=world.campaign, **kw)


def described(result) -> tuple:
    """What an outcome says, in the words the page shows."""
    o = result.outcome
    return (
        [(t.category.name, t.number, t.title, t.lead_unit.name, t.due_date) for t in o.created],
        [(t.pk, changes) for t, changes in o.updated],
        o.unchanged,
        o.categories_created,
        [t.pk for t in o.missing_tasks],
        [(t.pk, m.pk) for t, m in o.missing_milestones],
    )


def changed_sheet() -> ListSheet:
    """The seed list with the road's deadline moved, one milestone dropped and a new task."""
    sheet = seed_sheet()
    sheet.cell(4, "完成时限").value = "2023年11月底"
    sheet.cell(4, "节点2").value = None
    sheet.task(序号=3, 任务内容_目标="防汛物资储备", 牵头单位="区水务局", 完成时限="6月底")
    return sheet


def test_a_dry_run_lists_what_the_import_then_does_and_writes_nothing(world, tmp_path):
    run(seed_sheet().save(tmp_path / "seed.xlsx"), world)
    path = changed_sheet().save(tmp_path / "changed.xlsx")
    before = counts()
    dry = run(path, world, dry_run=True)
    assert counts() == before
    assert dry.ok and dry.preview and not dry.saved
    assert dry.summary() == ("预览：确认后导入任务清单：共4项任务，将新增1项，将更新1项，2项未变。")
    real = run(path, world)
    assert real.saved and not real.preview
    assert real.summary() == "已导入任务清单：共4项任务，新增1项，更新1项，2项未变。"
    assert described(dry) == described(real)
    assert dry.outcome.plan() == real.outcome.plan()
    [(task, changes)] = real.outcome.updated
    assert changes == ["完成时限 2023-12-31 → 2023-11-30"]
    assert counts() != before
    assert Task.objects.get(title="防汛物资储备").due_date == D(2023, 6, 30)


def test_a_dry_run_of_a_first_import_creates_no_category_task_or_audit_entry(world, tmp_path):
    before = counts()
    dry = run(seed_sheet().save(tmp_path / "seed.xlsx"), world, dry_run=True)
    assert dry.outcome.categories_created == ["全面完善路网体系", "持续修复流域生态"]
    assert [t.title for t in dry.outcome.created] == [
        "兴业大道建设项目", "清凉河治理二期工程", "河道常态化保洁"
    ]  # fmt: skip
    assert counts() == before
    assert not Task.objects.filter(title="兴业大道建设项目").exists()


def test_a_dry_run_finds_the_same_problems_as_the_import(world, tmp_path):
    sheet = ListSheet(TEMPLATE_HEADER)
    sheet.category("一、全面完善路网体系")
    sheet.task(序号=1, 任务名称="兴业大道建设项目", 牵头单位="交通局", 完成时限="尽快")
    path = sheet.save(tmp_path / "bad.xlsx")
    dry, real = run(path, world, dry_run=True), run(path, world)
    assert not dry.ok and not dry.preview and dry.errors == real.errors and len(dry.errors) == 2


def test_a_confirmation_whose_preview_is_out_of_date_writes_nothing(world, tmp_path):
    path = changed_sheet().save(tmp_path / "changed.xlsx")
    run(seed_sheet().save(tmp_path / "seed.xlsx"), world)
    plan = run(path, world, dry_run=True).outcome.plan()
    road = Task.objects.get(title="兴业大道建设项目")
    road.target = "别人刚改过的目标"
    road.save()
    before = counts()
    stale = run(path, world, expect=plan)
    assert stale.outcome.stale and stale.preview and not stale.saved
    assert counts() == before
    assert stale.outcome.plan() != plan
    assert run(path, world, expect=stale.outcome.plan()).saved
    assert Task.objects.get(pk=road.pk).target.startswith("完成专项债项目")


def test_the_plan_is_the_same_for_the_same_file_and_list(world, tmp_path):
    path = seed_sheet().save(tmp_path / "seed.xlsx")
    plans = {run(path, world, dry_run=True).outcome.plan() for _ in range(3)}
    assert len(plans) == 1


@pytest.mark.parametrize("as_of, status", [
    (D(2023, 3, 31), TaskStatus.ON_TRACK),
    (D(2023, 7, 20), TaskStatus.BEHIND),
    (D(2024, 1, 2), TaskStatus.OVERDUE),
])  # fmt: skip
def test_an_imported_task_starts_at_the_campaign_start_and_falls_behind_mid_year(
    world, tmp_path, as_of, status
):
    """The road's first milestone (4月底前完成规划设计) is past by July and not reached: 滞后
    then, as the battle map of that day shows it, not 未启动 from the day of the import."""
    assert run(seed_sheet().save(tmp_path / "seed.xlsx"), world).saved
    road = Task.objects.get(title="兴业大道建设项目")
    assert road.start_date == world.campaign.start_date == D(2023, 1, 1)
    [row] = task_rows(Task.objects.filter(pk=road.pk), as_of)
    assert row.status == status


def test_the_battle_map_of_mid_year_shows_the_imported_task_behind(world, tmp_path, client_for):
    assert run(seed_sheet().save(tmp_path / "seed.xlsx"), world).saved
    response = client_for(world.coordinator).get("/map/", {"as_of": "2023-07-20"})
    rows = {row.task.title: row.status for row in response.context["data"].rows}
    assert rows["兴业大道建设项目"] == TaskStatus.BEHIND
    assert rows["河道常态化保洁"] == TaskStatus.ON_TRACK  # no milestone, due at the year's end
    html = response.content.decode()
    assert '<span class="status status-behind">滞后</span>' in html
