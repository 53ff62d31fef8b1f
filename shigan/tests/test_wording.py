"""One fact, one wording (docs/style.md, 用语): checked on the templates and the Python UI strings,
and on the pages a user reads (the days to a deadline, the 最新进展 cell, the history's names and
business dates)."""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone

from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction
from shigan.core.words import days_left_words
from shigan.tasks.models import ProgressReport

ROOT = Path(__file__).resolve().parent.parent
# The report checker reads what users wrote (their 超期率 is their word, not ours).
NOT_UI = ("reports/checker/",)
N = r"(?:\d+|\{\{[^}]*\}\}|\{[^}]*\})"  # a number, a template variable or an f-string field

FORBIDDEN = [
    (re.compile("超期"), "write 逾期, never 超期"),
    (re.compile(rf"逾期\s+{N}\s*天|逾期{N}\s+天"), "逾期N天 has no spaces"),
    (re.compile(r"widthratio\s+\S*days_left"), "the days to a deadline go through |due_words"),
    (re.compile(r"days_left\s*\}\}\s*天"), "the days to a deadline go through |due_words"),
    (
        re.compile(r"尚无(?!进展|账号|佐证材料|群众回访结果|\{)"),
        "an empty list says 暂无…, 尚无 is for what is awaited",
    ),
    (re.compile(r"last_progress_text.*暂无"), "a task with no progress report reads 尚无进展"),
    (
        re.compile(r"<span[^>]*>尚无进展<"),
        "a missing progress report goes through |no_progress: 尚无进展 only while one is awaited",
    ),
    (
        re.compile(r"<td[^>]*>[^<]*\{\{\s*[\w.]*unit\.name\b"),
        "a unit among others (a table cell) is named by unit.label; unit.name is for its own field",
    ),
]


def problems_in(text: str) -> list[str]:
    return [f"{m.group(0)!r}: {why}" for rule, why in FORBIDDEN for m in rule.finditer(text)]


def _field(value: ast.FormattedValue) -> str:
    """An f-string field as written, with its format ({day:%Y-%m-%d}: a date)."""
    spec = value.format_spec.values if value.format_spec else []
    return ast.unparse(value.value) + "".join(
        ":" + c.value for c in spec if isinstance(c, ast.Constant)
    )


def _python_ui_strings(source: str, *, fields: bool = False) -> str:
    """The string literals of a module (f-strings with {…} for their fields), skipped left out:
    comments and skipped are English prose about the rules, not what a page says."""
    tree = ast.parse(source)
    skipped = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            if isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
                skipped.add(id(body[0].value))
    parts = []  # skipped (and the pieces of f-strings) are skipped by id
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skipped.update(id(v) for v in node.values)  # read as part of the whole
            parts.append(
                "".join(
                    v.value
                    if isinstance(v, ast.Constant)
                    else "{" + (_field(v) if fields else "…") + "}"
                    for v in node.values
                )
            )
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in skipped:
                parts.append(node.value)
    return "\n".join(parts)


def _ui_files():
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT).as_posix()
        parts = set(path.relative_to(ROOT).parts)
        if parts & {"tests", "migrations", "__pycache__"} or rel.startswith(NOT_UI):
            continue
        if path.suffix in {".html", ".py"} and path.is_file():
            yield path


def test_templates_and_ui_strings_use_the_one_wording():
    found, scanned = [], 0
    for path in _ui_files():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            text = _python_ui_strings(text)
        scanned += 1
        found += [f"{path.relative_to(ROOT)}: {p}" for p in problems_in(text)]
    assert scanned > 500
    assert found == []


@pytest.mark.parametrize(
    "sample",
    [
        '<span class="error">超期 {% widthratio row.days_left 1 -1 %} 天</span>',
        "已逾期 31 天",
        "逾期{{ n }} 天",
        "（剩余 {{ row.days_left }} 天）",
        "<p>尚无会议记录。</p>",
        "<td>{{ row.task.lead_unit.name }}</td>",
        '{% if row.last_progress_text %}…{% else %}<span class="muted">暂无</span>{% endif %}',
        '{% if row.last_progress_text %}…{% else %}<span class="muted">尚无进展</span>{% endif %}',
    ],
)
def test_the_scan_catches_each_variant(sample):
    assert problems_in(sample)


CJK = r"[\u4e00-\u9fff]"
# The rule (docs/style.md, 用语): no space between a Chinese character and a number — a count,
# an amount, a date or a time, as the page or message shows it: 共3项, 还剩4个工作日,
# 2023年7月31日, 截至2023-07-31, 如22:00, 默认端口443. A space stays beside a Latin word or a code
# (API 令牌, SHA-256 校验, A3 横向, 诉求 2023-0045) and beside a name (承诺单位 {{ unit.label }}).
NUMBER = r"\d(?:[\d.:\-–—/]*\d)?"  # 3, 3.2, 2023-07-31, 22:00, 0—9999, 3/5 (not a list's "1.")
FIELD = r"\{\{[^{}]*\}\}|\{(?!%)[^{}]*\}"  # a template variable or an f-string field
# <b>/<strong> around a number and the date's <span class="date"> change nothing; any other
# element beside a number (a chip, a link) is a word of its own.
TAGS = r'(?:</?(?:b|strong)>|<span class="(?:[^"]* )?date(?: [^"]*)?">|</span>)*'
SPACED = re.compile(
    rf"({CJK}){TAGS} +{TAGS}({NUMBER}|{FIELD})"
    rf"|(?<![A-Za-z0-9_\-.:/])({NUMBER}|{FIELD}){TAGS} +{TAGS}({CJK})"
)
# A field that is a number, a date or a count whatever else its name says…
A_NUMBER = re.compile(
    r"date|_on\b|_at\b|\bday\b|days|due|year|month|today|start|end\b|deadline|proposed|opened|"
    r"count|counter|\|length|len\(|total|_filed|visitors|seq|page\.number|num_|%[YmdHM]|pct|percent|"
    r"\brate\b|progress_label"
)
# …else a field that names something (a person, a unit, a title, a code, a Latin word, a file)
# keeps its space; any other field is taken for a number.
A_NAME = re.compile(
    r"(?i:name)|label|unit|title|\.number|code|\bid\b|what|hash|text|person|place|url|status|kind|"
    r"robot|ACCEPTED|accepted|phone|field|_display|district|outlet|record|path|folder|source|"
    r"destination|output|\bout\b|host|exc\b|selector|vendor|HEADER|peer|series|reason|relative|"
    r"MANIFEST|media_root|settings_dict|suffix|PASSWORD|task\b|campaign\b|shown\(|\.real\b|"
    r"intended|fmt|\bnote\b|\bself\b|head\b|leader|organiser|_dir\b|_file\b|_FILE\b|BACKEND|database|cwd\("
)
# "7月31日 14:30": a day and its time are one date and keep the space between them.
A_TIME = re.compile(r"\d{1,2}:\d{2}|%H|H:i")
# The only spaced numbers left, each with its reason (exact text: a new one still fails).
SPACING_ALLOWED: dict[str, tuple[str, ...]] = {
    # A format to type: the space is what separates the date from the milestone's name.
    "grassroots/forms/promises.py": ("2023-06-30 完",),
    # A step's state chip, then its number ("待完成 1. 标题"): a list marker, not a count.
    "templates/setup_guide.html": ("成</span> {{ forloop.counter }}",),
    # Owned by the lead (cli.py, settings.py) or read by the API schema (Field descriptions,
    # regenerated by the lead): to be fixed there, then dropped from here.
    "cli.py": (
        "按 {summary.today}", "号 {child.pid}", "有 {len(plan)}", "认 8000", "认 8000",
        "认 127.0.0.1", "认 2", "认 5",
    ),
    "settings.py": ("如 465", "或 587"),
    # Verbose names of model fields: changing one is a migration (to come with the model's next).
    "grassroots/models/concerns.py": ("0 为",),
    "reminders/models.py": ("0 为",),
    "dashboards/cockpit/meetings.py": ("率 {pct_text(tally.rate)}",),
    # Being edited by their owners when the rule reached every number (dates included).
    "dashboards/templates/dashboards/_timeline_rows.html": (
        "{{ row.task.start_date|date:'Y-m-d' }} 至",
    ),
    "dashboards/templates/dashboards/_wall_screen.html": ('至 <b>{{ data.as_of|date:"Y年n月j日" }}',),
    "dashboards/templates/dashboards/battle_map.html": ('至 <b>{{ data.as_of|date:"Y年n月j日" }}',),
    "dashboards/templates/dashboards/cockpit.html": ('至 <b>{{ data.as_of|date:"Y年n月j日" }}',),
    "dashboards/templates/dashboards/levels.html": ('至 <b>{{ as_of|date:"Y年n月j日" }}',),
    "dashboards/templates/dashboards/levels_late.html": ('至 <b>{{ as_of|date:"Y年n月j日" }}',),
    "grassroots/forms/visits.py": (
        "{pairing.started_on:%Y-%m-%d} 起", "{pairing.ended_on:%Y-%m-%d} 结",
    ),
    "grassroots/templates/grassroots/pairing_detail.html": (
        '{{ pairing.started_on|date:"Y-m-d" }} 结', '{{ pairing.ended_on|date:"Y-m-d" }} 结',
        '次 {{ row.last_visit|date:"Y-m-d"|default:"—" }}',
    ),
    "indicators/models/investment.py": ("{self.date:%Y-%m-%d} 赴",),
    "indicators/templates/indicators/investment.html": (
        '至 <b>{{ as_of|date:"Y年n月j日" }}', '{{ a.trip.date|date:"n月j日" }} 赴',
    ),
}  # fmt: skip


def template_prose(text: str) -> str:
    """What a template renders around its variables: comments and {% %} tags dropped (an
    {% if %} between a word and its count still leaves the space it encloses), each line
    break with its indentation one space, as the browser shows it."""
    text = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", "", text, flags=re.S)
    text = re.sub(r"\{#.*?#\}|\{%.*?%\}", "", text, flags=re.S)
    return re.sub(r"\s*\n\s*", " ", text)


def _is_number(value: str) -> bool:
    if not value.startswith("{"):
        return True
    return bool(A_NUMBER.search(value)) or not A_NAME.search(value)


def spaced_counts(text: str) -> list[str]:
    """The spaced numbers of a text: Python UI strings (f-string fields as {…}) or prose."""
    found = []
    for match in SPACED.finditer(text):
        word, value = (
            (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        )
        if word == "日" and match.group(1) and A_TIME.search(value):
            continue
        if _is_number(value):
            found.append(match.group(0))
    return found


def spaced_template_counts(text: str) -> list[str]:
    return spaced_counts(template_prose(text))


def test_no_space_between_a_chinese_word_and_a_number():
    found, scanned = [], 0
    for path in _ui_files():
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            spaced = spaced_template_counts(text)
        else:
            spaced = spaced_counts(_python_ui_strings(text, fields=True))
        scanned += 1
        allowed = SPACING_ALLOWED.get(rel, ())
        found += [f"{rel}: {s!r}" for s in spaced if s not in allowed]
    assert scanned > 500
    assert found == []


def test_the_allowed_spaced_numbers_are_still_there():
    """An entry of SPACING_ALLOWED whose text is gone is dropped, so it cannot let a new one in."""
    for rel, allowed in SPACING_ALLOWED.items():
        text = (ROOT / rel).read_text(encoding="utf-8")
        spaced = (
            spaced_template_counts(text)
            if rel.endswith(".html")
            else spaced_counts(_python_ui_strings(text, fields=True))
        )
        assert set(allowed) <= set(spaced), rel


@pytest.mark.parametrize(
    "sample",
    [
        "共 {{ data.total }} 项任务",
        '<a href="{{ card.url }}">全部 {{ card.figures|length }} 项指标 →</a>',
        "<p>文中\n  {{ figure_count }}个数字</p>",
        "<p>{{ figure_count }}\n  个数字</p>",
        "共{% if total %} {{ total }}{% endif %}项",
        '<b class="late">{{ missing|length }}</b> 个单位尚未填报',
        "期末余额 <strong>{{ closing }}</strong>小时",
        "第 {{ page.number }}/{{ page.paginator.num_pages }} 页",
        "工作日历 {{ year }} 年",
        "共 20 项",
        "推进中任务 {{ form.cards|length }} 项",
        "已填 {{ form.tasks_filed }}/{{ form.cards|length }}",
        "接待群众 {{ day.visitors }} 人次",
        '最近 {{ last.at|date:"Y-m-d" }}',
        '截至 {{ today|date:"Y年n月j日" }}。',
        '{{ p.start|date:"Y-m-d" }} 至 {{ p.end|date:"Y-m-d" }}',
        "<span>{{ form.days }} 个工作日</span>",
        "默认端口 443",
        "<legend>诉求 {{ forloop.counter }}</legend>",
    ],
)
def test_the_template_scan_catches_a_spaced_count_across_lines_and_tags(sample):
    assert spaced_template_counts(sample)


@pytest.mark.parametrize(
    "sample",
    [
        "共{{ data.total }}项任务，显示{{ data.shown }}项",
        '最近{{ last.at|date:"Y-m-d" }}',
        "每个文件不超过{{ max_upload_mb }} MB",
        "{{ p.state.label }} {{ p.count }}次",
        "承诺单位 {{ task.lead_unit.label }} · 逾期31天",
        "<td>{{ n }}</td>\n<td>项</td>",
        "{# 共 {{ n }} 项 #}{% comment %}共 {{ n }} 项{% endcomment %}",
        "诉求 {{ concern.number }}",
        '<option value="a3">A3 横向</option>',
        "请求体的 HMAC-SHA256 签名",
        "责任领导 {{ task.leader.name }}",
        '最近{{ item.chases.last_at|date:"n月j日 H:i" }}',
    ],
)
def test_the_template_scan_lets_dates_names_units_and_markup_pass(sample):
    assert spaced_template_counts(sample) == []


@pytest.mark.parametrize(
    "sample",
    [
        "还剩 {left} 个工作日",
        "已催办 {{ chases|length }} 次",
        "（第 {n} 次催办）",
        "安排 <b>{{ n }}</b> 天，未开展 {{ missed }} 天",
        '<span class="error">{{ stale }} 对超过90天未走访</span>',
        "逾期 5 件",
        '<span class="status status-overdue">逾期</span> <b>{{ n }}</b> 件',
        "共132 项",
        "录入于 2023-07-31 17:03",
        "年度应在 {YEAR_RANGE[0]}—{YEAR_RANGE[1]} 之间。",
        "排序应为 0—9999 的整数。",
        "如 22:00",
        "结束日期 {end} 早于开始日期 {start}。",
        "时限 {task.due_date:%Y-%m-%d}）",
        "3—30 个字符",
        "{day:%Y-%m-%d} 已有调整",
        "清理房前屋后垃圾 40 余吨",
    ],
)
def test_the_spacing_scan_catches_a_spaced_count(sample):
    assert spaced_counts(sample)


@pytest.mark.parametrize(
    "sample",
    [
        "还剩{left}个工作日",
        "录入于2023-07-31 17:03",
        "诉求 {{ concern.number }} 已登记",
        "承诺单位 {{ task.lead_unit.label }} · 逾期31天（21个工作日）",
        "第2页 共3页",
        "与清单中的 SHA-256 校验和不符",
        "文件“{name}”大小为{size_mb:.1f} MB",
        "{who}于{when.month}月{when.day}日 {when:%H:%M}",
        "于7月31日 14:30修改",
        "文件 {relative} 不在清单中",
    ],
)
def test_the_spacing_scan_lets_dates_names_and_unspaced_counts_pass(sample):
    assert spaced_counts(sample) == []


def test_the_scan_reads_f_strings_and_skips_skipped():
    source = 'def f(n):\n    """逾期 on the day; never 超期."""\n    return f"已逾期 {n} 天"\n'
    assert problems_in(_python_ui_strings(source)) == ["'逾期 {…} 天': 逾期N天 has no spaces"]


def test_days_left_words_and_the_filter_agree():
    assert [days_left_words(d) for d in (-31, -1, 0, 1, 12)] == [
        "逾期31天", "逾期1天", "今天到期", "剩1天", "剩12天",
    ]  # fmt: skip
    template = Template("{% load shigan_words %}{{ d|due_words }}|{{ none|due_words }}")
    assert template.render(Context({"d": -31, "none": None})) == "逾期31天|—"


@pytest.fixture
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def test_task_pages_say_overdue_days_and_no_progress_in_the_one_wording(
    world, client_for, frozen_today
):
    task = world.task_a
    task.due_date = datetime.date(2023, 6, 19)  # 31 days before 2023-07-20
    task.save()
    client = client_for(world.coordinator)
    listing = client.get("/tasks/").content.decode()
    detail = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "逾期31天" in listing and "逾期31天" in detail
    assert "尚无进展" in listing and "尚无进展" in detail
    for text in (listing, detail):
        assert "超期" not in text and "逾期 31 天" not in text


@pytest.mark.parametrize("state", ["completed", "cancelled"])
def test_a_closed_task_without_progress_reads_not_reported_never_awaited(
    world, client_for, frozen_today, state
):
    task = world.task_a
    task.state = state
    task.closed_on = datetime.date(2023, 7, 10)
    task.save()
    client = client_for(world.coordinator)
    listing = client.get("/tasks/").content.decode()
    detail = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "未填报进展" in listing and "未填报进展：任务" in detail
    row = listing[listing.index(task.title) :]
    assert "尚无进展" not in row[: row.index("</tr>")] and "尚无进展" not in detail


def test_history_names_the_person_and_shows_the_business_month_beside_the_entry_time(
    world, client_for, frozen_today
):
    task = world.task_a
    report = ProgressReport.objects.create(
        task=task,
        unit=world.unit_a,
        period=datetime.date(2023, 6, 1),
        text="完成勘察设计",
        submitted_by=world.reporter_a,
    )
    created = audit_record(
        actor=world.reporter_a, obj=report, action=AuditAction.CREATE, task_id=task.pk
    )
    before = snapshot(report)
    report.text = "完成勘察设计和初步方案"
    edited = audit_record(
        actor=world.reporter_a, obj=report, action=AuditAction.UPDATE, before=before,
        task_id=task.pk,
    )  # fmt: skip
    assert "所属月份" not in edited.changes  # the edit does not repeat the month…
    body = client_for(world.coordinator).get(f"/tasks/{task.pk}/").content.decode()
    history = body[body.index('id="history"') :]
    written = f"录入于{timezone.localtime(created.at):%Y-%m-%d %H:%M}"
    # …yet both rows say which month they are about and when they were entered
    assert history.count("<b>2023年6月进展</b>") == 2
    assert history.count(written) >= 2
    assert "王填报" in history and "reporter_a" not in history
    # the report itself says which is the month and which the entry time
    assert "2023年6月进展 · " in body and f"录入于{report.submitted_at:%Y}" in body


def test_history_shows_no_business_date_when_it_is_the_entry_day(world, client_for):
    from shigan.core.history import readable_entries

    task = world.task_a
    today = timezone.localdate()
    report = ProgressReport.objects.create(
        task=task,
        unit=world.unit_a,
        period=today.replace(day=1),
        text="本月进展",
        submitted_by=world.reporter_a,
    )
    entry = audit_record(actor=None, obj=report, action=AuditAction.CREATE, task_id=task.pk)
    assert readable_entries([entry])[0].business_date == ""


def test_a_chase_is_dated_by_the_day_it_was_fired_not_the_day_it_was_recorded(
    world, client_for, frozen_today
):
    from shigan.reminders.models import Reminder
    from shigan.reminders.rules import RuleKind

    task = world.task_a
    reminder = Reminder.objects.create(
        kind=RuleKind.OVERDUE,
        campaign=world.campaign,
        task=task,
        record_type="tasks.task",
        record_id=task.pk,
        anchor="2023-06-30",
        fired_on=datetime.date(2023, 7, 20),
        text="兴业大道建设已逾期20天",
    )
    entry = audit_record(actor=None, obj=reminder, action=AuditAction.CHASE, task_id=task.pk)
    assert timezone.localtime(entry.at).year > 2023  # recorded today, fired on the demo day
    body = client_for(world.coordinator).get(f"/tasks/{task.pk}/").content.decode()
    assert '已催办1次</a><span class="muted">（最近2023-07-20）' in body
    history = body[body.index('id="history"') :]
    assert "<b>2023-07-20提醒</b>" in history


def test_an_automatic_chase_keeps_its_day_for_the_history(world, client_for, monkeypatch):
    from shigan.reminders.services import remind_run
    from shigan.testing import make_task

    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    task = make_task(
        campaign=world.campaign, category=world.category, unit=world.unit_a,
        title="兴业大道征地拆迁", start=datetime.date(2023, 1, 1), due=datetime.date(2023, 6, 30),
    )  # fmt: skip
    remind_run(today=datetime.date(2023, 7, 31), now=timezone.now())
    body = client_for(world.coordinator).get(f"/tasks/{task.pk}/").content.decode()
    assert "（最近2023-07-31）" in body
    assert "<b>2023-07-31提醒</b>" in body[body.index('id="history"') :]


def test_history_names_an_evidence_file_by_its_name_never_its_storage_path(
    world, client_for, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shigan.core.history import readable_entries
    from shigan.tasks.models import Evidence

    settings.MEDIA_ROOT = tmp_path
    task = world.task_a
    evidence = Evidence(task=task)
    upload = SimpleUploadedFile("清凉村道路硬化验收报告.pdf", b"%PDF-1.4", "application/pdf")
    evidence.store(upload, by=world.reporter_a, task_id=task.pk)
    assert evidence.file.name == f"evidence/{task.pk}/清凉村道路硬化验收报告.pdf"
    body = client_for(world.coordinator).get(f"/tasks/{task.pk}/").content.decode()
    history = body[body.index('id="history"') :]
    assert "清凉村道路硬化验收报告.pdf" in history
    assert "evidence/" not in history
    # An entry without the original name (a file field alone) shows the stored name's last part.
    from shigan.core.models import AuditEntry

    entry = AuditEntry.objects.get(record_type="tasks.evidence", record_id=evidence.pk)
    entry.changes = {"文件": [None, f"evidence/{task.pk}/报告.pdf"]}
    assert readable_entries([entry])[0].display_changes == {"文件": [None, "报告.pdf"]}
