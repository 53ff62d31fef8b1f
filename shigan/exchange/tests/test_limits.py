"""A validly signed package is still held to the limits of the forms that write its records:
a string longer than its field, an integer past its column or a figure past its digits refuses
the whole package, naming the record and the field in Chinese, and nothing is written. Values
echoed in a refusal are cut at 40 characters."""

import pytest

from shigan.directives.models import HandDown
from shigan.exchange import package
from shigan.exchange.services import import_package
from shigan.tasks.forms.progress import PROGRESS_MAX_CHARS
from shigan.tasks.models import Milestone, ProgressReport, Task

from .support import body, county_side, signed
from .test_handdown import WITHDRAWN_BODY, district, handdown_body, handdown_package  # noqa: F401
from .test_services import counts

pytestmark = pytest.mark.django_db
FIGURE = [(11, 6, "100", None, "")]


def _set(path: tuple, value):
    def change(data: dict) -> None:
        *parents, key = path
        target = data
        for part in parents:
            target = target[part]
        target[key] = value

    return change


REPORT_LIMITS = [
    (("reports", 0, "text"), PROGRESS_MAX_CHARS, "进展报告“"),
    (("reports", 0, "reason"), 500, "进展报告“"),
    (("tasks", 0, "title"), 200, "任务“"),
    (("tasks", 0, "target"), 2000, "任务“第1区优化营商环境”的目标任务"),
    (("tasks", 0, "category"), 50, "任务“第1区优化营商环境”的类别"),
    (("milestones", 0, "title"), 200, "节点“"),
    (("campaigns", 0, "name"), 100, "活动“"),
    (("units", 0, "name"), 100, "单位“"),
    (("indicators", 0, "name"), 100, "指标“"),
    (("actuals", 0, "note"), 1000, "完成值“"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "limit", "named"), REPORT_LIMITS)
def test_a_report_string_over_its_form_limit_refuses_the_whole_package(path, limit, named):
    side = county_side()
    ok, too_long = body(side, actuals=FIGURE), body(side, actuals=FIGURE)
    _set(path, "长" * (limit + 1))(too_long)
    before = counts()
    outcome = import_package(signed(side, too_long, seq=1, period="2023-06"))
    assert outcome.result == "refused"
    assert named in outcome.reason and f"超过{limit}字" in outcome.reason, outcome.reason
    assert len(outcome.reason) < 120
    assert counts() == before
    _set(path, "长" * limit)(ok)  # the limit itself is accepted
    assert import_package(signed(side, ok, seq=1, period="2023-06")).result == "accepted"


def test_a_progress_text_of_200000_characters_is_refused_naming_report_and_field():
    side = county_side()
    data = body(side)
    data["reports"][0]["text"] = "进展" * 100_000
    outcome = import_package(signed(side, data, seq=1, period="2023-06"))
    assert outcome.reason == (
        f"进展报告“进展进展进展进展进展进展进展进展进展进展…”的内容超过{PROGRESS_MAX_CHARS}字"
        "（实为200000字），整包未导入。"
    )
    assert (Task.objects.count(), Milestone.objects.count(), ProgressReport.objects.count()) == (
        1,
        0,
        0,
    )  # fmt: skip  (the county's own task only)


def test_a_returned_hand_downs_reason_over_1000_characters_is_refused():
    side = county_side()
    data = body(side)
    data["returns"] = [{"id": 90, "upper": side.county.upper_task.pk, "reason": "因" * 1001}]
    outcome = import_package(signed(side, data, seq=1, period="2023-06"))
    assert "退回的交办" in outcome.reason and "原因超过1000字" in outcome.reason
    side.handdown.refresh_from_db()
    assert side.handdown.state == "pending"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("tasks", 0, "number"), 2**31, "任务的“序号”应为非负整数，实为2147483648。"),
        (("actuals", 0, "year"), -1, "完成值的“年度”应为非负整数"),
        (("actuals", 0, "value"), "1" * 15, "完成值111111111111111（2023年6月）无法保存：数值超出范围"),
        (("actuals", 0, "value"), "1.00001", "最多保留4位小数"),
        (("actuals", 0, "value"), "9" * 100, "完成值的“数值”应为数值，实为" + "9" * 40 + "…"),
        (("reports", 0, "period"), "昨天", "进展报告的“月份”应为日期，实为昨天。"),
        (("tasks", 0, "state"), "x" * 1000, "任务的“状态”的取值" + "x" * 40 + "…不在允许范围内"),
    ],
)  # fmt: skip
def test_numbers_and_values_out_of_range_are_refused_in_chinese(path, value, message):
    side = county_side()
    data = body(side, actuals=FIGURE)
    _set(path, value)(data)
    before = counts()
    outcome = import_package(signed(side, data, seq=1, period="2023-06"))
    assert outcome.result == "refused" and message in outcome.reason, outcome.reason
    assert "number" not in outcome.reason and "year" not in outcome.reason
    assert counts() == before


def test_a_refused_figure_change_prints_figures_as_pages_do():
    side = county_side()
    import_package(signed(side, body(side, actuals=[(11, 6, "23400", None, "")]), seq=1,
                          period="2023-06"))  # fmt: skip
    changed = body(side, actuals=[(12, 6, "23400.5", None, "")])
    reason = import_package(signed(side, changed, seq=2, period="2023-07")).reason
    assert "2023年6月已接收23400，本包为23400.5，" in reason


def _handdown_with(path: tuple, value) -> dict:
    data = handdown_body()
    _set(path, value)(data)
    return data


HANDDOWN_LIMITS = [
    (("handdowns", 0, "note"), 1000, "交办“"),
    (("handdowns", 0, "task", "title"), 200, "交办任务“"),
    (("handdowns", 0, "task", "target"), 2000, "交办任务“优化营商环境专项行动”的目标任务"),
    (("handdowns", 0, "directive", "number"), 60, "文件“关于优化营商环境的通知”的文号"),
    (("handdowns", 0, "directive", "issuer"), 60, "文件“关于优化营商环境的通知”的发文机关"),
    (("handdowns", 0, "directive", "title"), 200, "文件“"),
    (("handdowns", 0, "directive", "point", "text"), 500, "要求事项“"),
    (("indicators", 0, "name"), 100, "指标“"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "limit", "named"), HANDDOWN_LIMITS)
def test_a_handdown_string_over_its_form_limit_refuses_the_whole_package(
    district,  # noqa: F811
    path,
    limit,
    named,
):
    outcome = import_package(handdown_package(1, _handdown_with(path, "长" * (limit + 1))))
    assert outcome.result == "refused"
    assert named in outcome.reason and f"超过{limit}字" in outcome.reason, outcome.reason
    assert HandDown.objects.count() == 0 and Task.objects.count() == 0
    assert import_package(handdown_package(1, _handdown_with(path, "长" * limit))).result == (
        "accepted"
    )


def test_a_withdrawal_reason_over_1000_characters_is_refused(district):  # noqa: F811
    import_package(handdown_package(1))
    too_long = {**WITHDRAWN_BODY, "withdrawals": [
        {"id": 50, "reason": "撤" * 1001, "withdrawn_on": "2023-06-05"},
    ]}  # fmt: skip
    outcome = import_package(handdown_package(2, too_long))
    assert "撤回的交办" in outcome.reason and "原因超过1000字" in outcome.reason
    assert HandDown.objects.get().state == "pending"


def _version_refusal(version) -> str:
    raw = package.canonical({"format": package.FORMAT, "version": version}) + b"\nHMAC-SHA256 00\n"
    with pytest.raises(package.PackageError) as refused:
        package.read(raw)
    return str(refused.value)


def test_the_version_is_checked_and_never_echoed_at_length():
    huge = _version_refusal("x" * 3_000_000)
    assert huge == "不是有效的交换包：版本号无效，本安装只支持版本1。"
    assert "版本号无效" in _version_refusal(1.5) and "版本号无效" in _version_refusal(True)
    assert "交换包格式版本为2，本安装只支持版本1" in _version_refusal(2)


def test_a_version_of_nan_is_refused_as_invalid():
    raw = b'{"format":"shigan-exchange","version":NaN}\nHMAC-SHA256 00\n'
    with pytest.raises(package.PackageError, match="版本号无效") as refused:
        package.read(raw)
    assert "nan" not in str(refused.value).lower()


def test_a_file_over_20mb_is_refused_without_claiming_its_size():
    with pytest.raises(package.PackageError) as refused:
        package.read(b"x" * (package.MAX_BYTES + 1))
    assert str(refused.value) == "文件超过20MB（交换包最大20MB）。"
    assert package.MAX_BYTES == 20 * 1024 * 1024
