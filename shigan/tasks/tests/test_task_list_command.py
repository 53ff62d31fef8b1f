"""`shigan import` recognises a task list by its header and imports it into a campaign."""

from io import StringIO

from django.core.management import call_command

from shigan.core.models import AuditEntry
from shigan.tasks.models import Task

from .task_sheets import TEMPLATE_HEADER, ListSheet, seed_sheet


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_a_task_list_is_imported_into_the_current_campaign(world, tmp_path):
    code, out, err = run(seed_sheet().save(tmp_path / "seed.xlsx"))
    assert (code, err) == (0, "")
    assert out.splitlines()[:3] == [
        f"活动{world.campaign.pk}：2023年作风建设“实干年”活动（示范区党委政府）："
        "已导入任务清单：共3项任务，新增3项，更新0项，0项未变，新建类别2个。",
        "新增：兴业大道建设项目",
        "新增：清凉河治理二期工程",
    ]
    assert "文件中没有，已保留：任务“兴业大道建设”" in out
    assert Task.objects.count() == 5
    assert set(AuditEntry.objects.values_list("source", flat=True)) == {"import"}


def test_errors_are_printed_and_the_exit_status_is_1(world, tmp_path):
    sheet = ListSheet(TEMPLATE_HEADER)
    sheet.category("一、全面完善路网体系")
    sheet.task(序号=1, 任务名称="兴业大道建设项目", 牵头单位="交通局", 完成时限="年底")
    code, out, err = run(sheet.save(tmp_path / "bad.xlsx"), "--campaign", world.campaign.pk)
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "第4行“牵头单位”列：“交通局”不是系统中已登记的单位，是否为“区交通局”？",
        f"活动{world.campaign.pk}：2023年作风建设“实干年”活动（示范区党委政府）："
        "发现1处错误，未导入任何任务，请修改后重新导入。",
    ]


def test_a_reporter_may_not_import_a_task_list(world, tmp_path):
    code, _, err = run(seed_sheet().save(tmp_path / "seed.xlsx"), "--user", "reporter_a")
    assert code == 1 and err.endswith("：只有专班可以导入任务清单。\n")


def test_an_unknown_campaign_or_an_unreadable_file_exits_2(world, tmp_path):
    path = seed_sheet().save(tmp_path / "seed.xlsx")
    assert run(path, "--campaign", "999")[0::2] == (2, "活动“999”不存在。\n")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    assert run(bad)[0::2] == (2, "文件不是有效的Excel（.xlsx）文件，无法读取。\n")
    assert Task.objects.count() == 2
