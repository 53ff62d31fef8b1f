from io import StringIO

import pytest
from django.core.management import call_command

from shigan.core.models import AuditEntry
from shigan.indicators.models import Actual

from .sheets import actuals_file

VALUE = "本月完成/数值"


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_import_saves_everything_and_exits_0(ind, world, tmp_path):
    sheet = actuals_file(tmp_path, world.coordinator)
    sheet.fill("固定资产投资", VALUE, 33000).fill("规模以上工业总产值", VALUE, 22000)
    code, out, err = run(sheet.save())
    assert code == 0 and err == ""
    assert "已导入指标完成值：共3行，写入2项" in out
    assert Actual.objects.count() == 2
    assert not Actual.objects.filter(submitted_by__isnull=False).exists()


def test_import_without_a_user_is_recorded_as_data_import(ind, world, tmp_path):
    sheet = actuals_file(tmp_path, world.coordinator).fill("固定资产投资", VALUE, 33000)
    assert run(sheet.save())[0] == 0
    entry = AuditEntry.objects.get(record_type="indicators.actual")
    assert entry.actor is None and entry.author == "数据导入"


def test_import_as_a_user_applies_his_rights(ind, world, tmp_path):
    sheet = actuals_file(tmp_path, world.coordinator).fill("规模以上工业总产值", VALUE, 22000)
    code, _, err = run(sheet.save(), "--user", "reporter_a")
    assert code == 1
    assert "您只能填报本单位（区交通局）的指标" in err
    code, out, _ = run(sheet.path, "--user", "reporter_b")
    assert code == 0 and Actual.objects.get().submitted_by == world.reporter_b


def test_validation_errors_print_every_error_and_exit_1(ind, world, tmp_path):
    sheet = actuals_file(tmp_path, world.coordinator)
    sheet.fill("固定资产投资", VALUE, "三万").fill("生猪存栏", VALUE, "许多")
    code, out, err = run(sheet.save())
    assert code == 1 and out == ""
    assert "“三万”不是数字" in err and "“许多”不是数字" in err
    assert "发现2处错误，未导入任何数据" in err
    assert Actual.objects.count() == 0


@pytest.mark.parametrize("content", [b"", b"just text", None])
def test_unreadable_file_exits_2(world, tmp_path, content):
    path = tmp_path / "bad.xlsx"
    if content is not None:
        path.write_bytes(content)
    code, _, err = run(path)
    assert code == 2 and err.strip()


def test_unknown_user_exits_2(world, tmp_path):
    code, _, err = run(tmp_path / "x.xlsx", "--user", "nobody")
    assert code == 2 and "账号“nobody”不存在" in err


def test_year_option_fills_in_a_month_without_year(ind, world, tmp_path):
    sheet = actuals_file(tmp_path, world.coordinator).fill("固定资产投资", VALUE, 28000)
    sheet.fill("固定资产投资", "填报月份", "6月")
    assert run(sheet.save())[0] == 1
    assert run(sheet.path, "--year", "2023")[0] == 0
    assert Actual.objects.get().month == 6
