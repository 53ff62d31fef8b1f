"""`shigan import` of a workbook none of its imports recognises (an 诉求 workbook, say the 12345
hotline's) says what the command imports and where the 诉求 workbooks go: the page 诉求导入."""

from io import StringIO

from django.core.management import call_command

from shigan.grassroots.concern_xlsx import concerns_template


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_a_concern_workbook_is_sent_to_the_concern_import_page(world, tmp_path):
    path = tmp_path / "诉求.xlsx"
    concerns_template(world.campaign).save(path)
    code, out, err = run(path)
    assert (code, out) == (1, "")
    assert err == (
        "无法识别的工作簿：shigan import 导入指标年度目标或完成情况填报表（表头有“指标名称”列）、"
        "任务清单（“牵头单位”列）和组织架构表（“单位编码”列），请使用系统下载的模板。"
        "12345热线等诉求工作簿请在网页“诉求导入”（/grassroots/concerns/import/）导入。\n"
    )
