"""The campaign `shigan report` and `shigan import` take when the operator names none
(campaigns.operator.operator_campaign): never a silent pick among several levels' campaigns."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import BaseCommand
from django.db import connections

from shigan import cli
from shigan.campaigns.models import Campaign
from shigan.campaigns.operator import DEMO_CAMPAIGN_ENV
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.tasks.models import Task
from shigan.tasks.tests.task_sheets import seed_sheet
from shigan.testing import make_user

D = datetime.date


@pytest.fixture
def two_levels(world, monkeypatch):
    """The world's district (示范区, its 2023 campaign from 1 January) and 高新区 beside it, whose
    2023 campaign starts later: the newest over the whole database, as on the demo."""
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    monkeypatch.delenv(DEMO_CAMPAIGN_ENV, raising=False)
    gaoxin = Unit.objects.create(
        name="高新区党委政府", short_name="高新区", kind=UnitKind.PARTY_GOVERNMENT
    )
    force = Unit.objects.create(name="高新区作风专班", kind=UnitKind.TASK_FORCE, parent=gaoxin)
    world.gaoxin_coordinator, _ = make_user(
        "gaoxinzhuanban", unit=force, role=Role.COORDINATOR, name="高专班"
    )
    world.gaoxin_campaign = Campaign.objects.create(
        year=2023, name="高新区作风建设“实干年”活动", organiser=gaoxin,
        start_date=D(2023, 3, 1), end_date=D(2023, 12, 31),
    )  # fmt: skip
    return world


def report(tmp_path, *args):
    out = io.StringIO()
    call_command("report", "--as-of", "2023-07-31", "-o", str(tmp_path / "r.md"), *args, stdout=out)
    return out.getvalue()


def import_(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def label(campaign: Campaign) -> str:
    return f"活动{campaign.pk}：{campaign.with_organiser}"


def test_several_levels_and_no_option_refuse_with_exit_2_listing_them(two_levels, tmp_path):
    w = two_levels
    listing = (
        f"--campaign {w.gaoxin_campaign.pk}：2023年高新区作风建设“实干年”活动（高新区）；"
        f"--campaign {w.campaign.pk}：{w.campaign.with_organiser}。"
    )
    with pytest.raises(CommandError) as error:
        report(tmp_path)
    assert error.value.returncode == 2
    assert str(error.value).startswith("数据库中有多个进行中的活动，请用 --campaign 指定：")
    assert listing in str(error.value)
    assert not (tmp_path / "r.md").exists()
    tasks = Task.objects.count()
    code, out, err = import_(seed_sheet().save(tmp_path / "seed.xlsx"))
    assert (code, out) == (2, "") and listing in err
    assert Task.objects.count() == tasks


def test_with_user_his_own_levels_campaign_is_taken(two_levels, tmp_path):
    w = two_levels
    assert f"（{label(w.gaoxin_campaign)}，截至" in report(tmp_path, "--user", "gaoxinzhuanban")
    assert f"（{label(w.campaign)}，截至" in report(tmp_path, "--user", "coordinator")
    code, out, err = import_(seed_sheet().save(tmp_path / "seed.xlsx"), "--user", "coordinator")
    assert (code, err) == (0, "")
    assert out.startswith(f"{label(w.campaign)}：已导入任务清单：")
    assert Task.objects.filter(campaign=w.campaign).count() == 5


def test_the_named_campaign_wins_over_the_user(two_levels, tmp_path):
    w = two_levels
    out = report(tmp_path, "--campaign", str(w.campaign.pk), "--user", "gaoxinzhuanban")
    assert f"（{label(w.campaign)}，截至" in out


def test_a_refused_import_names_the_campaign_it_was_checked_against(two_levels, tmp_path):
    w = two_levels
    path = seed_sheet().save(tmp_path / "seed.xlsx")
    code, out, err = import_(path, "--user", "gaoxinzhuanban")
    assert code == 1 and out == ""
    assert err.splitlines()[-1].startswith(f"{label(w.gaoxin_campaign)}：")


def test_a_user_whose_level_has_no_campaign_is_refused(two_levels, tmp_path):
    other = Unit.objects.create(name="乙区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    make_user("yiqu", unit=other, role=Role.COORDINATOR, name="乙专班")
    with pytest.raises(CommandError, match="账号“yiqu”所在的区（县）还没有活动") as error:
        report(tmp_path, "--user", "yiqu")
    assert error.value.returncode == 2


def test_one_level_holding_campaigns_needs_no_option(world, tmp_path, monkeypatch):
    """Another district without a campaign and an older campaign of the world's own district:
    the world's district's current campaign is taken."""
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    monkeypatch.delenv(DEMO_CAMPAIGN_ENV, raising=False)
    Unit.objects.create(name="乙区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    Campaign.objects.create(
        year=2022, name="上一年", organiser=world.district,
        start_date=D(2022, 1, 1), end_date=D(2022, 12, 31),
    )  # fmt: skip
    assert f"（{label(world.campaign)}，截至" in report(tmp_path)


def test_on_the_demo_folder_the_demo_districts_campaign_is_taken(two_levels, tmp_path, monkeypatch):
    w = two_levels
    monkeypatch.setenv(DEMO_CAMPAIGN_ENV, str(w.campaign.pk))
    assert f"（{label(w.campaign)}，截至" in report(tmp_path)
    assert f"（{label(w.gaoxin_campaign)}，截至" in report(tmp_path, "--user", "gaoxinzhuanban")
    # A marker naming no campaign of this database is no answer.
    monkeypatch.setenv(DEMO_CAMPAIGN_ENV, "999999")
    with pytest.raises(CommandError, match="数据库中有多个进行中的活动"):
        report(tmp_path)


def test_the_shigan_command_prints_a_command_error_in_chinese_alone(
    two_levels, tmp_path, monkeypatch, capsys
):
    """Run as `shigan report` runs it (Django's command-line runner, cli.plain_command_errors):
    the message alone on stderr, no English "CommandError: " prefix, the error's exit status."""
    from django.core.management import ManagementUtility

    monkeypatch.setattr(BaseCommand, "run_from_argv", BaseCommand.run_from_argv)  # restored after
    # run_from_argv closes every connection when it ends: keep the test's (PostgreSQL).
    monkeypatch.setattr(connections, "close_all", lambda: None)
    cli.plain_command_errors()
    argv = ["shigan", "report", "--as-of", "2023-07-31", "-o", str(tmp_path / "r.md")]
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(argv).execute()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("数据库中有多个进行中的活动，请用 --campaign 指定：")
    assert "CommandError" not in err
    with pytest.raises(CommandError):  # --traceback: the error itself, as Django raises it
        ManagementUtility([*argv, "--traceback"]).execute()
