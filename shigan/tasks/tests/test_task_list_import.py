"""Importing a task list as districts keep it: what a row becomes, re-import changes nothing,
nothing is deleted, the export round-trips."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from shigan.campaigns.models import Campaign
from shigan.core.models import AuditEntry, AuditSource
from shigan.core.xlsx.layout import workbook_bytes
from shigan.demo.district import load_demo
from shigan.orgs.models import Unit, UnitKind
from shigan.tasks.models import Milestone, Task, TaskCategory, TaskState
from shigan.tasks.xlsx import (
    import_task_list,
    task_list_example,
    task_list_template,
    task_list_workbook,
)

from .task_sheets import TEMPLATE_HEADER, ListSheet, seed_sheet

D = datetime.date


def run(path_or_file, by, campaign):
    return import_task_list(path_or_file=path_or_file, by=by, campaign=campaign)


def xlsx(wb) -> io.BytesIO:
    return io.BytesIO(workbook_bytes(wb))


def test_a_seed_shaped_list_becomes_tasks_categories_and_milestones(world, tmp_path):
    result = run(seed_sheet().save(tmp_path / "seed.xlsx"), world.coordinator, world.campaign)
    assert result.ok, result.errors
    assert result.summary() == "已导入任务清单：共3项任务，新增3项，更新0项，0项未变，新建类别2个。"
    road = Task.objects.get(title="兴业大道建设项目")
    assert road.category.name == "全面完善路网体系" and road.number == 1
    assert road.target == "完成专项债项目的规划设计和实地测量，8月底前完成整体方案，9月进入申报。"
    assert road.lead_unit == world.unit_a and list(road.supporting_units.all()) == [world.unit_b]
    assert road.leader == world.leader_person and road.due_date == D(2023, 12, 31)
    assert road.start_date == world.campaign.start_date
    assert [(m.title, m.due_date) for m in road.milestones.all()] == [
        ("4月底前完成规划设计", D(2023, 4, 30)),
        ("8月底前完成整体方案", D(2023, 8, 31)),
        ("9月进入申报", D(2023, 9, 30)),
    ]
    river = Task.objects.get(title="清凉河治理二期工程")
    assert river.target == "新建2公里清凉河堤防、护岸护坡及河道疏浚"
    assert river.leader == world.leader_person
    assert [(m.title, m.due_date) for m in river.milestones.all()] == [
        ("三季度末完成堤防基础", D(2023, 9, 30))
    ]
    ongoing = Task.objects.get(title="河道常态化保洁")
    assert ongoing.due_date == world.campaign.end_date and ongoing.number == 2
    assert result.ongoing == ["第7行“长期坚持”"]


def test_the_same_file_imported_twice_changes_nothing(world, tmp_path):
    path = seed_sheet().save(tmp_path / "seed.xlsx")
    run(path, world.coordinator, world.campaign)
    counts = [m.objects.count() for m in (Task, Milestone, TaskCategory, AuditEntry)]
    again = run(path, world.coordinator, world.campaign)
    assert again.ok and not again.changed
    assert again.summary() == "未作任何更改：清单中的3项任务与系统中已有任务相同。"
    assert [m.objects.count() for m in (Task, Milestone, TaskCategory, AuditEntry)] == counts


def test_every_created_record_is_audited_as_the_importing_user(world, tmp_path):
    run(seed_sheet().save(tmp_path / "seed.xlsx"), world.coordinator, world.campaign)
    task = Task.objects.get(title="兴业大道建设项目")
    entries = AuditEntry.objects.filter(task_id=task.pk)
    assert entries.count() == 4  # the task and its three milestones
    assert {(e.actor, e.source) for e in entries} == {(world.coordinator, AuditSource.USER)}
    category = TaskCategory.objects.get(campaign=world.campaign, name=task.category.name)
    created = AuditEntry.objects.get(record_type="tasks.taskcategory", record_id=category.pk)
    assert (created.action, created.actor) == ("create", world.coordinator)


def test_an_import_at_the_command_line_is_signed_data_import(world, tmp_path):
    run(seed_sheet().save(tmp_path / "seed.xlsx"), None, world.campaign)
    assert set(AuditEntry.objects.values_list("source", flat=True)) == {AuditSource.IMPORT}


def test_a_changed_row_updates_its_task_and_says_what_changed(world, tmp_path):
    path = seed_sheet().save(tmp_path / "seed.xlsx")
    run(path, world.coordinator, world.campaign)
    sheet = seed_sheet()
    sheet.cell(4, "完成时限").value = "2023年11月30日"
    sheet.cell(4, "配合单位").value = None
    result = run(sheet.save(tmp_path / "changed.xlsx"), world.coordinator, world.campaign)
    assert result.ok and result.summary().endswith("新增0项，更新1项，2项未变。")
    task, changes = result.outcome.updated[0]
    assert changes == ["完成时限 2023-12-31 → 2023-11-30", "配合单位改为“无”"]
    task.refresh_from_db()
    assert task.due_date == D(2023, 11, 30) and not task.supporting_units.exists()
    entry = AuditEntry.objects.filter(task_id=task.pk).latest("id")
    assert entry.changes["完成时限"] == ["2023-12-31", "2023-11-30"]


def test_a_task_or_milestone_missing_from_a_reimport_is_listed_not_deleted(world, tmp_path):
    run(seed_sheet().save(tmp_path / "seed.xlsx"), world.coordinator, world.campaign)
    sheet = ListSheet()
    sheet.category("一、全面完善路网体系")
    sheet.task(
        序号=1,
        任务内容_目标="兴业大道建设项目\n完成专项债项目的规划设计和实地测量，8月底前完成整体方案，9月进入申报。",
        牵头单位="区交通局",
        配合单位="区水务局",
        责任领导="李副区长",
        完成时限="2023年12月底",
        节点1="4月底前完成规划设计",
    )
    result = run(sheet.save(tmp_path / "fewer.xlsx"), world.coordinator, world.campaign)
    assert result.ok and not result.changed
    missing = {t.title for t in result.outcome.missing_tasks}
    assert missing == {"清凉河治理二期工程", "河道常态化保洁", "兴业大道建设", "清凉河治理二期"}
    assert [m.title for _, m in result.outcome.missing_milestones] == [
        "8月底前完成整体方案",
        "9月进入申报",
    ]
    assert Task.objects.count() == 5 and Milestone.objects.filter(task__title="兴业大道建设项目").count() == 3  # fmt: skip


def test_a_renamed_task_is_a_new_task_and_the_old_one_is_kept_and_listed(world, tmp_path):
    """Rows are matched by title only: a row at another task's category and 序号 never rewrites
    that task (its unit, leader, reports)."""
    sheet = ListSheet(TEMPLATE_HEADER)
    sheet.category("一、路网体系")
    sheet.task(序号=1, 任务名称="兴业大道建设工程", 牵头单位="区水务局",
               完成时限="2023-12-31", 时间节点="5月底前完成规划设计")  # fmt: skip
    result = run(sheet.save(tmp_path / "renamed.xlsx"), world.coordinator, world.campaign)
    assert result.ok, result.errors
    assert result.outcome.updated == []
    assert [t.title for t in result.outcome.created] == ["兴业大道建设工程"]
    world.task_a.refresh_from_db()
    assert (world.task_a.title, world.task_a.lead_unit) == ("兴业大道建设", world.unit_a)
    assert sorted(t.title for t in result.outcome.missing_tasks) == [
        "兴业大道建设",
        "清凉河治理二期",
    ]


def test_a_closed_task_is_not_changed_by_an_import(world, tmp_path):
    Task.objects.filter(pk=world.task_a.pk).update(state=TaskState.COMPLETED)
    sheet = ListSheet(TEMPLATE_HEADER)
    sheet.category("一、路网体系")
    row = sheet.task(序号=1, 任务名称="兴业大道建设", 牵头单位="区交通局", 完成时限="2023年10月底")
    result = run(sheet.save(tmp_path / "closed.xlsx"), world.coordinator, world.campaign)
    assert result.errors == [
        f"第{row}行“任务名称”列：“兴业大道建设”该任务已办结，不能通过导入修改（本行将改动："
        "目标任务 兴业大道建设的目标 → （空）；责任领导 李副区长 → （空）；完成时限 2023-12-31 → 2023-10-31）"
    ]


def test_a_formula_looking_title_is_stored_and_exported_as_text(world, tmp_path):
    title = "=cmd|' /C calc'!A0"
    sheet = ListSheet(TEMPLATE_HEADER)
    sheet.category("一、路网体系")
    sheet.task(序号=3, 任务名称=title, 牵头单位="区交通局", 完成时限="年底")
    result = run(sheet.save(tmp_path / "formula.xlsx"), world.coordinator, world.campaign)
    assert result.ok, result.errors
    assert Task.objects.filter(title=title).exists()
    ws = load_workbook(xlsx(task_list_workbook(world.campaign))).active
    cells = [c for row in ws.iter_rows() for c in row if c.value == title]
    assert len(cells) == 1 and cells[0].data_type == "s"


@pytest.fixture
def demo(db):
    return load_demo()


def test_the_export_imported_back_changes_nothing(demo):
    counts = [m.objects.count() for m in (Task, Milestone, TaskCategory, AuditEntry)]
    result = run(xlsx(task_list_workbook(demo.campaign)), None, demo.campaign)
    assert result.ok, result.errors
    assert result.rows == 3 and not result.changed and result.outcome.unchanged == 3
    assert not result.outcome.missing_tasks and not result.outcome.missing_milestones
    assert [m.objects.count() for m in (Task, Milestone, TaskCategory, AuditEntry)] == counts


def test_an_export_of_an_imported_list_imports_back_unchanged(world, tmp_path):
    run(seed_sheet().save(tmp_path / "seed.xlsx"), world.coordinator, world.campaign)
    exported = xlsx(task_list_workbook(world.campaign))
    ws = load_workbook(exported).active
    assert ws["A5"].value == "一、路网体系" and ws["A8"].value == "二、全面完善路网体系"
    assert ws["H9"].value == "4月底前完成规划设计\n8月底前完成整体方案\n9月进入申报"
    result = run(exported, world.coordinator, world.campaign)
    assert result.ok and not result.changed and result.outcome.unchanged == 5


def test_the_filled_example_imports_into_a_new_campaign_of_the_demo(demo):
    campaign = Campaign.objects.create(
        year=2024, name="作风建设“实干年”活动", organiser=demo.campaign.organiser,
        start_date=D(2024, 1, 1), end_date=D(2024, 12, 31),
    )  # fmt: skip
    result = run(xlsx(task_list_example(2024)), None, campaign)
    assert result.ok, result.errors
    assert len(result.outcome.created) == 3 and len(result.outcome.categories_created) == 3
    investment = Task.objects.get(campaign=campaign, title="招商引资")
    assert [m.due_date for m in investment.milestones.all()] == [
        D(2024, 3, 31), D(2024, 6, 30), D(2024, 9, 30)
    ]  # fmt: skip


def test_the_blank_template_imports_as_nothing(world):
    result = run(xlsx(task_list_template(2023)), world.coordinator, world.campaign)
    assert result.ok and result.summary() == "未作任何更改：表中没有任务行。"


def test_a_list_merging_one_lead_unit_down_several_rows_gives_it_to_each(world, tmp_path):
    sheet = ListSheet(TEMPLATE_HEADER)
    sheet.category("一、路网体系")
    first = sheet.task(序号=5, 任务名称="甲任务", 牵头单位="区交通局", 完成时限="6月底")
    sheet.task(序号=6, 任务名称="乙任务", 完成时限="9月底")
    sheet.ws.merge_cells(f"{sheet.letter('牵头单位')}{first}:{sheet.letter('牵头单位')}{first + 1}")
    result = run(sheet.save(tmp_path / "merged.xlsx"), world.coordinator, world.campaign)
    assert result.ok, result.errors
    assert Task.objects.get(title="乙任务").lead_unit == world.unit_a


def test_dates_as_serials_and_date_cells_are_read(world, tmp_path):
    sheet = ListSheet(TEMPLATE_HEADER)
    sheet.category("一、路网体系")
    sheet.task(序号=5, 任务名称="甲任务", 牵头单位="区交通局", 完成时限=45169)
    sheet.task(序号=6, 任务名称="乙任务", 牵头单位="区交通局", 完成时限=D(2023, 9, 30))
    result = run(sheet.save(tmp_path / "dates.xlsx"), world.coordinator, world.campaign)
    assert result.ok, result.errors
    assert Task.objects.get(title="甲任务").due_date == D(2023, 8, 31)
    assert Task.objects.get(title="乙任务").due_date == D(2023, 9, 30)


def test_a_reporter_may_not_import_a_task_list(world, tmp_path):
    result = run(seed_sheet().save(tmp_path / "seed.xlsx"), world.reporter_a, world.campaign)
    assert result.errors == ["只有专班可以导入任务清单。"] and Task.objects.count() == 2


def test_a_new_row_at_the_number_of_a_task_matched_by_name_is_a_new_task(world, tmp_path):
    sheet = ListSheet(TEMPLATE_HEADER)
    sheet.category("一、路网体系")
    sheet.task(序号=1, 任务名称="清凉河治理二期", 牵头单位="区水务局", 完成时限="年底")
    sheet.task(序号=2, 任务名称="兴业大道建设", 牵头单位="区交通局", 完成时限="年底")
    sheet.task(序号=3, 任务名称="村组道路硬化", 牵头单位="区交通局", 完成时限="年底")
    result = run(sheet.save(tmp_path / "renumbered.xlsx"), world.coordinator, world.campaign)
    assert result.ok, result.errors
    assert [t.title for t in result.outcome.created] == ["村组道路硬化"]
    assert {t.title: c[0] for t, c in result.outcome.updated} == {
        "清凉河治理二期": "序号 2 → 1", "兴业大道建设": "序号 1 → 2"
    }  # fmt: skip


def test_a_registered_unit_name_holding_a_separator_is_not_split(world, tmp_path):
    office = Unit.objects.create(name="党政办、信访办", kind=UnitKind.OFFICE, parent=world.district)
    sheet = ListSheet(TEMPLATE_HEADER)
    sheet.category("一、路网体系")
    sheet.task(序号=3, 任务名称="信访接待日", 牵头单位="区交通局",
               配合单位="区水务局、党政办、信访办", 完成时限="年底")  # fmt: skip
    result = run(sheet.save(tmp_path / "joined.xlsx"), world.coordinator, world.campaign)
    assert result.ok, result.errors
    task = Task.objects.get(title="信访接待日")
    assert set(task.supporting_units.all()) == {world.unit_b, office}
