"""The project's permission matrix: every named URL of the URLconf × every persona has one
expected answer, written here from the documented rules (README "Roles", orgs/scope.py and each
app's access.py), not recorded from what the views do.

- `test_every_url_has_a_row`: a URL added without a row here fails, as does a row naming no URL.
- `test_answer`: each URL × persona answers as the row says. A GET, or for a POST-only view a
  POST with an empty body (a write refused answers before the form is read; a permitted one
  shows the form's messages, 200, or redirects, 302); for an API address written by PUT or
  DELETE alone, a PUT with no body (422 once permitted: every field 必填).
- anonymous users are sent to the log-in page from every URL but the log-in page itself.
- a page shown to reporter_b or to the account with no role names none of the records they do
  not read (HIDDEN_FROM; HTML pages only).

The rules the expectations follow:
- coordinator (专班): everything; the only one in 基础设置 (`/admin/`; anyone else is sent to the
  admin's log-in page).
- leader: reads the records of the units he oversees (unit A here) and of tasks he leads, and
  every indicator of his district (the headline figures, indicators.access); read-only, so
  every write is 403.
- reporter: reads his unit's records, files his unit's monthly report and figures, requests
  changes on and corrects the reports of the tasks his unit leads. reporter_a is of unit A,
  reporter_b of unit B: for him unit A's records do not exist (404).
- inspector: reads everything; records inspections, findings, verifications and spot checks.
- what every role reads: the plan, meetings and study, notices, media reports, investment.
- an account with no role reads nothing: a record is 404, a list filtered by scope is empty
  (200), a page an access module gates by role (`can_read_*`, every write) is 403.
- outside a user's scope a record does not exist (404); inside it, a read-only role's write is
  403 (README "Roles").

Where the code answers otherwise, the cell is listed in DISAGREEMENTS with what it does: the test
is then an expected failure (strict), so fixing the view makes it fail until the entry goes.
"""

import copy
import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from shigan.campaigns.models import Phase, PlanSection, PlanSectionKind
from shigan.core.models import ImportJob, JobState
from shigan.directives.tests.factories import matrix_records
from shigan.grassroots.models import (
    Pairing,
    PairingTargetKind,
    PracticeActivity,
    PracticeEvent,
    ReceptionDay,
)
from shigan.grassroots.services.promises import promise_create
from shigan.grassroots.tests.concern_helpers import concern as make_concern
from shigan.grassroots.tests.visit_helpers import visit as make_visit
from shigan.indicators.models import (
    Accumulation,
    Agreement,
    Indicator,
    IndicatorCategory,
    InvestmentTrip,
    KeyEnterprise,
    KeyProject,
    MeasureUnit,
)
from shigan.meetings.models import Cadence, MeetingKind, MeetingSeries, StudyKind, StudySession
from shigan.meetings.services import decision_record, meeting_record
from shigan.orgs.models import Person, WorkdayOverride
from shigan.publicity.models import MediaLevel
from shigan.publicity.services import media_report_record
from shigan.reminders.models import (
    Channel,
    Delivery,
    DeliveryState,
    Message,
    MessageKind,
    UnitRobot,
)
from shigan.supervision.models import InspectionKind, NoticeKind, Polarity, Severity
from shigan.supervision.services import (
    ExemplarInput,
    finding_record,
    inspection_record,
    notice_record,
    spot_check_draw,
)
from shigan.tasks.evidence import evidence_store
from shigan.tasks.models import ChangeKind, ChangeRequest, ProgressReport, Task, TaskState
from shigan.testing import build_world, make_task
from shigan.timebank.services import (
    account_open,
    service_confirm,
    service_enter,
    service_return,
)

TODAY = "2023-07-20"
PERSONAS = ["coordinator", "leader", "reporter_a", "reporter_b", "inspector", "no_role"]
ANONYMOUS = "anonymous"
GET, POST, PUT = "get", "post", "put"

# Patterns that are not pages of Shigan: the admin's own views (its index alone is 基础设置's
# door and has a row), the favicon (no login, no data), static files served in debug mode.
EXCLUDED_NAMES = {"favicon"}
LOGIN_PAGES = {"login", "admin:login"}


@dataclass(frozen=True)
class Pk:
    """A kwarg filled with the pk of one of the matrix world's records."""

    record: str


@dataclass
class Row:
    name: str
    kwargs: dict
    method: str
    codes: dict[str, int]
    anonymous: int = 302

    def url(self, records: dict) -> str:
        kwargs = {
            k: records[v.record].pk if isinstance(v, Pk) else v for k, v in self.kwargs.items()
        }
        return reverse(self.name, kwargs=kwargs)


def row(name, kwargs, method, co, le, ra, rb, ins, no, *, anonymous=302) -> Row:
    codes = dict(zip(PERSONAS, (co, le, ra, rb, ins, no), strict=True))
    return Row(name, kwargs, method, codes, anonymous)


# The records a URL's kwargs name (built in build_records below).
TASK_A = Pk("task_a")
REPORT_A = Pk("report_a")
EVIDENCE_A = Pk("evidence_a")
REQUEST_A = Pk("request_a")
MEETING = Pk("meeting")
MEETING_FILE = Pk("meeting_file")
DECISION_A = Pk("decision_a")
INSPECTION_A = Pk("inspection_a")
FINDING_A = Pk("finding_a")
SPOT_CHECK = Pk("spot_check")
NOTICE = Pk("notice")
MEDIA_REPORT = Pk("media_report")
INDICATOR_A = Pk("indicator_a")
PROJECT_A = Pk("project_a")
ENTERPRISE_A = Pk("enterprise_a")
TRIP = Pk("trip")
AGREEMENT = Pk("agreement")
CAMPAIGN = Pk("campaign")
PERSON_A = Pk("person_a")
SECTION = Pk("section")
PHASE = Pk("phase")
CATEGORY = Pk("category")
SERIES = Pk("series")
STUDY = Pk("study")
MESSAGE_A = Pk("message_a")
ROBOT_A = Pk("robot_a")
DELIVERY_A = Pk("delivery_a")
WORKDAY = Pk("workday_override")
TB_ACCOUNT_A = Pk("timebank_account_a")
TB_SERVICE_A = Pk("timebank_service_a")
TB_POSTING_A = Pk("timebank_posting_a")
TB_RETURNED_A = Pk("timebank_returned_a")
CONCERN_A = Pk("concern_a")
CONCERN_CATEGORY = Pk("concern_category")
VISIT_A = Pk("visit_a")
VISIT_PHOTO_A = Pk("visit_photo_a")
PROMISE_A = Pk("promise_a")
RECEPTION_DAY = Pk("reception_day")
PAIRING_A = Pk("pairing_a")
PRACTICE_ACTIVITY = Pk("practice_activity")
PRACTICE_EVENT_A = Pk("practice_event_a")
IMPORT_JOB_A = Pk("import_job_a")
DIRECTIVE = Pk("directive")
DIRECTIVE_FILE = Pk("directive_file")
HANDDOWN = Pk("handdown")

# fmt: off
ROWS = [
    #    URL name                           kwargs                  method  coord lead  rep_a rep_b insp  none
    # The site's frame
    row("home",                             {},                     GET,    302,  302,  302,  302,  302,  302),
    row("login",                            {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=200),
    row("logout",                           {},                     POST,   302,  302,  302,  302,  302,  302),
    row("admin:index",                      {},                     GET,    200,  302,  302,  302,  302,  302),
    row("password_change",                  {},                     GET,    200,  200,  200,  200,  200,  200),
    row("setup_guide",                      {},                     GET,    200,  403,  403,  403,  403,  403),
    # A background import of reporter_a's: his own, and his district's coordinators' (core.jobs)
    row("job",                              {"pk": IMPORT_JOB_A},   GET,    200,  404,  200,  404,  404,  404),
    # 账号管理: coordinators (a person's id unknown to the others' 403 is never asked)
    row("orgs:account_list",                {},                     GET,    200,  403,  403,  403,  403,  403),
    row("orgs:accounts_create_all",         {},                     POST,   302,  403,  403,  403,  403,  403),
    row("orgs:initial_password_sheet",      {},                     POST,   302,  403,  403,  403,  403,  403),
    row("orgs:person_account",              {"pk": PERSON_A},       GET,    200,  403,  403,  403,  403,  403),
    row("orgs:account_create",              {"pk": PERSON_A},       POST,   302,  403,  403,  403,  403,  403),
    row("orgs:account_disable",             {"pk": PERSON_A},       POST,   200,  403,  403,  403,  403,  403),  # asks first
    row("orgs:account_enable",              {"pk": PERSON_A},       POST,   302,  403,  403,  403,  403,  403),
    row("orgs:account_reset",               {"pk": PERSON_A},       POST,   200,  403,  403,  403,  403,  403),
    row("orgs:account_unlock",              {"pk": PERSON_A},       POST,   302,  403,  403,  403,  403,  403),  # not locked: says so
    # 组织架构导入: coordinators (upload and preview, confirm, template, example, export)
    row("orgs:org_import",                  {},                     GET,    200,  403,  403,  403,  403,  403),
    row("orgs:org_import_confirm",          {},                     POST,   200,  403,  403,  403,  403,  403),
    row("orgs:org_template",                {},                     GET,    200,  403,  403,  403,  403,  403),
    row("orgs:org_example",                 {},                     GET,    200,  403,  403,  403,  403,  403),
    row("orgs:org_export",                  {},                     GET,    200,  403,  403,  403,  403,  403),
    row("orgs:org_export_csv",              {},                     GET,    200,  403,  403,  403,  403,  403),
    # 工作日历: coordinators (an override's id unknown to the others' 403 is never asked)
    row("orgs:workday_list",                {},                     GET,    200,  403,  403,  403,  403,  403),
    row("orgs:workday_edit",                {"pk": WORKDAY},        GET,    200,  403,  403,  403,  403,  403),
    row("orgs:workday_remove",              {"pk": WORKDAY},        POST,   200,  403,  403,  403,  403,  403),  # asks a reason
    # The campaign's plan: every role reads it
    row("campaigns:campaign_list",          {},                     GET,    200,  302,  302,  302,  302,  403),
    row("campaigns:campaign_detail",        {"pk": CAMPAIGN},       GET,    200,  200,  200,  200,  200,  404),
    # Setting the campaign up (its plan sections, phases): the district's coordinators
    row("campaigns:campaign_create",        {},                     GET,    200,  403,  403,  403,  403,  403),
    row("campaigns:campaign_edit",          {"pk": CAMPAIGN},       GET,    200,  403,  403,  403,  403,  404),
    row("campaigns:section_create",         {"pk": CAMPAIGN},       GET,    200,  403,  403,  403,  403,  404),
    row("campaigns:section_edit",           {"pk": SECTION},        GET,    200,  403,  403,  403,  403,  404),
    row("campaigns:section_delete",         {"pk": SECTION},        GET,    200,  403,  403,  403,  403,  404),
    row("campaigns:phase_create",           {"pk": CAMPAIGN},       GET,    200,  403,  403,  403,  403,  404),
    row("campaigns:phase_edit",             {"pk": PHASE},          GET,    200,  403,  403,  403,  403,  404),
    row("campaigns:phase_delete",           {"pk": PHASE},          GET,    200,  403,  403,  403,  403,  404),
    # 结转到下一年: the district's coordinators who manage the campaign
    row("rollover:campaign_rollover",       {"pk": CAMPAIGN},       GET,    200,  403,  403,  403,  403,  404),
    # Battle map and cockpit: the tasks the user reads
    row("dashboards:battle_map",            {},                     GET,    200,  200,  200,  200,  200,  200),
    row("dashboards:battle_map_xlsx",       {},                     GET,    200,  200,  200,  200,  200,  404),
    row("dashboards:battle_map_csv",        {},                     GET,    200,  200,  200,  200,  200,  404),
    # A collapsed map's group (?key=): none asked here; per persona in test_battle_map_collapsed
    row("dashboards:battle_map_group",      {},                     GET,    404,  404,  404,  404,  404,  404),
    row("dashboards:cockpit",               {},                     GET,    200,  200,  200,  200,  200,  200),
    # 下级对比: coordinators and inspectors with levels below only (the world's are a district's)
    row("dashboards:levels",                {},                     GET,    404,  404,  404,  404,  404,  404),
    row("dashboards:levels_late",           {},                     GET,    404,  404,  404,  404,  404,  404),
    # Tasks (task_a is unit A's, led by the leader)
    row("tasks:task_list",                  {},                     GET,    200,  200,  200,  200,  200,  200),
    row("tasks:task_create",                {},                     GET,    200,  403,  403,  403,  403,  403),
    row("tasks:task_detail",                {"pk": TASK_A},         GET,    200,  200,  200,  404,  200,  404),
    row("tasks:task_edit",                  {"pk": TASK_A},         GET,    200,  403,  403,  404,  403,  404),
    row("tasks:change_request_create",      {"pk": TASK_A},         POST,   200,  403,  200,  404,  403,  404),
    row("tasks:change_request_list",        {},                     GET,    200,  403,  403,  403,  403,  403),
    row("tasks:change_request_decide",      {"pk": REQUEST_A},      POST,   302,  403,  403,  404,  403,  404),
    row("tasks:progress_correct",           {"pk": REPORT_A},       GET,    200,  403,  200,  404,  403,  404),
    row("tasks:evidence_download",          {"pk": EVIDENCE_A},     GET,    200,  200,  200,  404,  200,  404),
    # 任务清单导入: coordinators (upload page, template, example, export in the import layout)
    row("tasks:task_list_import",           {},                     GET,    200,  403,  403,  403,  403,  403),
    row("tasks:task_list_template",         {},                     GET,    200,  403,  403,  403,  403,  403),
    row("tasks:task_list_example",          {},                     GET,    200,  403,  403,  403,  403,  403),
    row("tasks:task_list_export",           {},                     GET,    200,  403,  403,  403,  403,  403),
    row("tasks:task_list_export_csv",       {},                     GET,    200,  403,  403,  403,  403,  403),
    # 任务类别 of the campaign: its district's coordinators (a category with tasks: GET says why it stays)
    row("tasks:category_list",              {},                     GET,    200,  403,  403,  403,  403,  403),
    row("tasks:category_edit",              {"pk": CATEGORY},       GET,    200,  403,  403,  403,  403,  404),
    row("tasks:category_delete",            {"pk": CATEGORY},       GET,    200,  403,  403,  403,  403,  404),
    # The unit's monthly report: a reporter his unit's, a coordinator any unit's (a chooser first)
    row("monthly:report",                   {},                     GET,    200,  403,  200,  200,  403,  403),
    # The inbox: everyone his own messages (message_a is reporter_a's); 报送情况 and 催报: coordinators
    row("reminders:inbox",                  {},                     GET,    200,  200,  200,  200,  200,  200),
    row("reminders:message_open",           {"pk": MESSAGE_A},      GET,    404,  404,  200,  404,  404,  404),
    row("reminders:inbox_read_all",         {},                     POST,   302,  302,  302,  302,  302,  302),
    row("reminders:filing_board",           {},                     GET,    200,  403,  403,  403,  403,  403),
    # 提醒方式: everyone his own; 群机器人 and 外发记录: coordinators (ids unknown to the others' 403)
    row("reminders:delivery_settings",      {},                     GET,    200,  200,  200,  200,  200,  200),
    row("reminders:robot_list",             {},                     GET,    200,  403,  403,  403,  403,  403),
    row("reminders:robot_new",              {},                     GET,    200,  403,  403,  403,  403,  403),
    row("reminders:robot_edit",             {"pk": ROBOT_A},        GET,    200,  403,  403,  403,  403,  403),
    row("reminders:robot_delete",           {"pk": ROBOT_A},        GET,    200,  403,  403,  403,  403,  403),  # asks first
    row("reminders:robot_test",             {"pk": ROBOT_A},        POST,   302,  403,  403,  403,  403,  403),
    row("reminders:delivery_list",          {},                     GET,    200,  403,  403,  403,  403,  403),
    row("reminders:delivery_retry",         {"pk": DELIVERY_A},     POST,   302,  403,  403,  403,  403,  403),
    row("reminders:filing_chase",           {},                     GET,    200,  403,  403,  403,  403,  403),
    # 一键催办 of overdue items and a campaign's 提醒规则 and 日程: the district's coordinators
    row("reminders:item_chase",             {},                     GET,    200,  403,  403,  403,  403,  403),
    row("reminders:rule_settings",          {},                     GET,    200,  403,  403,  403,  403,  403),
    # Meetings and study: every role reads them, coordinators record; decisions as their tasks
    row("meetings:meeting_list",            {},                     GET,    200,  200,  200,  200,  200,  200),
    row("meetings:meeting_create",          {},                     GET,    200,  403,  403,  403,  403,  403),
    row("meetings:meeting_detail",          {"pk": MEETING},        GET,    200,  200,  200,  200,  200,  404),
    row("meetings:meeting_edit",            {"pk": MEETING},        GET,    200,  403,  403,  403,  403,  404),
    row("meetings:decision_create",         {"pk": MEETING},        POST,   200,  403,  403,  403,  403,  404),
    row("meetings:decision_table",          {},                     GET,    200,  200,  200,  200,  200,  200),
    row("meetings:decision_detail",         {"pk": DECISION_A},     GET,    200,  200,  200,  404,  200,  404),
    row("meetings:meeting_file_download",   {"pk": MEETING_FILE},   GET,    200,  200,  200,  200,  200,  404),
    row("meetings:study_list",              {},                     GET,    200,  200,  200,  200,  200,  200),
    row("meetings:study_create",            {},                     POST,   200,  403,  403,  403,  403,  403),
    row("meetings:study_detail",            {"pk": STUDY},          GET,    200,  200,  200,  200,  200,  404),
    row("meetings:study_correct",           {"pk": STUDY},          GET,    200,  403,  403,  403,  403,  404),
    row("meetings:series_create",           {},                     GET,    200,  403,  403,  403,  403,  403),
    row("meetings:series_detail",           {"pk": SERIES},         GET,    200,  200,  200,  200,  200,  404),
    row("meetings:series_edit",             {"pk": SERIES},         GET,    200,  403,  403,  403,  403,  404),
    # Supervision (the inspection and its finding concern unit A only)
    row("supervision:inspection_list",      {},                     GET,    200,  200,  200,  200,  200,  200),
    row("supervision:inspection_create",    {},                     GET,    200,  403,  403,  403,  200,  403),
    row("supervision:inspection_detail",    {"pk": INSPECTION_A},   GET,    200,  200,  200,  404,  200,  404),
    row("supervision:inspection_edit",      {"pk": INSPECTION_A},   GET,    200,  403,  403,  404,  200,  404),
    row("supervision:finding_create",       {"pk": INSPECTION_A},   POST,   200,  403,  403,  404,  200,  404),
    row("supervision:finding_list",         {},                     GET,    200,  200,  200,  200,  200,  200),
    row("supervision:finding_detail",       {"pk": FINDING_A},      GET,    200,  200,  200,  404,  200,  404),
    row("supervision:finding_edit",         {"pk": FINDING_A},      GET,    200,  403,  403,  404,  200,  404),
    row("supervision:verification_create",  {"pk": FINDING_A},      GET,    200,  403,  403,  404,  200,  404),
    row("supervision:spot_check_list",      {},                     GET,    200,  200,  403,  403,  200,  403),
    row("supervision:spot_check_draw",      {},                     POST,   200,  403,  403,  403,  200,  403),
    row("supervision:spot_check_detail",    {"pk": SPOT_CHECK},     GET,    200,  200,  404,  404,  200,  404),
    row("supervision:notice_list",          {},                     GET,    200,  200,  200,  200,  200,  403),
    row("supervision:notice_create",        {},                     GET,    200,  403,  403,  403,  403,  403),
    row("supervision:notice_detail",        {"pk": NOTICE},         GET,    200,  200,  200,  200,  200,  404),
    row("supervision:notice_edit",          {"pk": NOTICE},         GET,    200,  403,  403,  403,  403,  404),
    # Media reports: every role reads them, coordinators record
    row("publicity:report_list",            {},                     GET,    200,  200,  200,  200,  200,  403),
    row("publicity:report_create",          {},                     POST,   200,  403,  403,  403,  403,  403),
    row("publicity:report_detail",          {"pk": MEDIA_REPORT},   GET,    200,  200,  200,  200,  200,  404),
    row("publicity:report_edit",            {"pk": MEDIA_REPORT},   GET,    200,  403,  403,  403,  403,  404),
    # Indicators (indicator_a is unit A's), key projects, investment, workbooks
    row("indicators:dashboard",             {},                     GET,    200,  200,  200,  200,  200,  200),
    row("indicators:indicator_detail",      {"pk": INDICATOR_A},    GET,    200,  200,  200,  200,  200,  404),
    row("indicators:project_list",          {},                     GET,    200,  200,  200,  200,  200,  200),
    row("indicators:investment",            {},                     GET,    200,  200,  200,  200,  200,  403),
    row("indicators:import_upload",         {},                     GET,    200,  403,  200,  200,  403,  403),
    row("indicators:template_targets",      {},                     GET,    200,  403,  403,  403,  403,  403),
    row("indicators:template_actuals",      {},                     GET,    200,  403,  200,  200,  403,  403),
    row("indicators:export_indicator_table", {},                    GET,    200,  200,  200,  200,  200,  200),
    row("indicators:export_indicator_table_csv", {},                GET,    200,  200,  200,  200,  200,  200),
    row("indicators:export_key_projects",   {},                     GET,    200,  200,  200,  200,  200,  200),
    row("indicators:export_key_projects_csv", {},                   GET,    200,  200,  200,  200,  200,  200),
    # Indicator, project and investment set-up pages: coordinators (readers of the record 403)
    row("indicators:definition_list",       {},                     GET,    200,  403,  403,  403,  403,  403),
    row("indicators:indicator_create",      {},                     GET,    200,  403,  403,  403,  403,  403),
    row("indicators:indicator_edit",        {"pk": INDICATOR_A},    GET,    200,  403,  403,  403,  403,  404),
    row("indicators:indicator_year",        {"pk": INDICATOR_A},    GET,    200,  403,  403,  403,  403,  404),
    row("indicators:enterprise_list",       {},                     GET,    200,  403,  403,  403,  403,  403),
    row("indicators:enterprise_create",     {},                     GET,    200,  403,  403,  403,  403,  403),
    row("indicators:enterprise_edit",       {"pk": ENTERPRISE_A},   GET,    200,  403,  403,  404,  403,  404),
    row("indicators:project_create",        {},                     GET,    200,  403,  403,  403,  403,  403),
    row("indicators:project_edit",          {"pk": PROJECT_A},      GET,    200,  403,  403,  404,  403,  404),
    row("indicators:trip_create",           {},                     GET,    200,  403,  403,  403,  403,  403),
    row("indicators:trip_edit",             {"pk": TRIP},           GET,    200,  403,  403,  403,  403,  404),
    row("indicators:agreement_create",      {},                     GET,    200,  403,  403,  403,  403,  403),
    row("indicators:agreement_edit",        {"pk": AGREEMENT},      GET,    200,  403,  403,  403,  403,  404),
    row("indicators:agreement_land",        {"pk": AGREEMENT},      POST,   302,  403,  403,  403,  403,  404),
    # The summary report: the district's document, read by coordinators, inspectors and the
    # campaign's leading-group members (the leader here sits in none: 403, as reporters); its
    # words by coordinators (reports/tests/test_report_readers.py: a member reads it all)
    row("reports:report_page",              {},                     GET,    200,  403,  403,  403,  200,  403),
    row("reports:report_download",          {"fmt": "md"},          GET,    200,  403,  403,  403,  200,  403),
    row("reports:narrative_edit",           {},                     GET,    200,  403,  403,  403,  403,  403),
    row("reports:check",                    {},                     GET,    200,  200,  200,  200,  200,  200),
    # 时间存折: coordinators and the unit's reporter open accounts, enter and confirm records (never
    # their own: TB_SERVICE_A was entered by the coordinator), redeem; coordinators reverse
    row("timebank:account_list",            {},                     GET,    200,  200,  200,  200,  200,  200),
    row("timebank:account_create",          {},                     GET,    200,  403,  200,  200,  403,  403),
    row("timebank:account_detail",          {"pk": TB_ACCOUNT_A},   GET,    200,  200,  200,  404,  200,  404),
    row("timebank:account_export",          {"pk": TB_ACCOUNT_A},   GET,    200,  200,  200,  404,  200,  404),
    row("timebank:account_export_csv",      {"pk": TB_ACCOUNT_A},   GET,    200,  200,  200,  404,  200,  404),
    row("timebank:service_create",          {"pk": TB_ACCOUNT_A},   GET,    200,  403,  200,  404,  403,  404),
    row("timebank:redemption_create",       {"pk": TB_ACCOUNT_A},   GET,    200,  403,  200,  404,  403,  404),
    row("timebank:service_queue",           {},                     GET,    200,  200,  200,  200,  200,  200),
    row("timebank:service_confirm",         {"pk": TB_SERVICE_A},   POST,   403,  403,  302,  404,  403,  404),
    row("timebank:service_return",          {"pk": TB_SERVICE_A},   POST,   403,  403,  302,  404,  403,  404),
    row("timebank:service_resubmit",        {"pk": TB_RETURNED_A},  GET,    403,  403,  200,  404,  403,  404),
    row("timebank:transaction_reverse",     {"pk": TB_POSTING_A},   GET,    200,  403,  403,  404,  403,  404),
    row("timebank:service_import",          {},                     GET,    200,  403,  200,  200,  403,  403),
    row("timebank:service_import_template", {},                     GET,    200,  403,  200,  200,  403,  403),
    # 基层: concerns (unit A's, assigned on receipt) — read by scope, handled by coordinators and
    # the assigned unit's reporter; visits by unit, recorded by coordinators and reporters
    row("grassroots:index",                 {},                     GET,    200,  200,  200,  200,  200,  200),
    row("grassroots:concern_list",          {},                     GET,    200,  200,  200,  200,  200,  200),
    row("grassroots:concern_create",        {},                     GET,    200,  403,  403,  403,  403,  403),
    # 服务效能: the figures of the concerns each reads (none for a role-less account, as the list)
    row("grassroots:efficiency",            {},                     GET,    200,  200,  200,  200,  200,  200),
    row("grassroots:concern_export",        {},                     GET,    200,  200,  200,  200,  200,  403),
    row("grassroots:concern_export_csv",    {},                     GET,    200,  200,  200,  200,  200,  403),
    row("grassroots:concern_import",        {},                     GET,    200,  403,  403,  403,  403,  403),
    row("grassroots:concern_template",      {},                     GET,    200,  403,  403,  403,  403,  403),
    row("grassroots:concern_detail",        {"pk": CONCERN_A},      GET,    200,  200,  200,  404,  200,  404),
    row("grassroots:concern_edit",          {"pk": CONCERN_A},      GET,    200,  403,  403,  404,  403,  404),
    row("grassroots:concern_step",          {"pk": CONCERN_A},      POST,   200,  403,  200,  404,  403,  404),
    row("grassroots:concern_contact",       {"pk": CONCERN_A},      POST,   200,  403,  200,  404,  403,  404),
    row("grassroots:category_list",         {},                     GET,    200,  403,  403,  403,  403,  403),
    row("grassroots:category_edit",         {"pk": CONCERN_CATEGORY}, GET,  200,  403,  403,  403,  403,  403),
    row("grassroots:visit_list",            {},                     GET,    200,  200,  200,  200,  200,  200),
    row("grassroots:visit_create",          {},                     GET,    200,  403,  200,  200,  403,  403),
    row("grassroots:visit_detail",          {"pk": VISIT_A},        GET,    200,  200,  200,  404,  200,  404),
    row("grassroots:visit_edit",            {"pk": VISIT_A},        GET,    200,  403,  200,  404,  403,  404),
    row("grassroots:visit_photo",           {"pk": VISIT_PHOTO_A},  GET,    200,  200,  200,  404,  200,  404),
    # 办实事: coordinators create and record the 回访; the rest read as they read tasks
    row("grassroots:promise_list",          {},                     GET,    200,  200,  200,  200,  200,  200),
    row("grassroots:promise_create",        {},                     GET,    200,  403,  403,  403,  403,  403),
    row("grassroots:promise_detail",        {"pk": PROMISE_A},      GET,    200,  200,  200,  404,  200,  404),
    row("grassroots:promise_follow_up",     {"pk": PROMISE_A},      POST,   200,  403,  403,  404,  403,  404),
    # The reception rota: read by every role of the district, kept by coordinators
    row("grassroots:reception_list",        {},                     GET,    200,  200,  200,  200,  200,  200),
    row("grassroots:reception_create",      {},                     GET,    200,  403,  403,  403,  403,  403),
    row("grassroots:reception_detail",      {"pk": RECEPTION_DAY},  GET,    200,  200,  200,  200,  200,  404),
    row("grassroots:reception_edit",        {"pk": RECEPTION_DAY},  GET,    200,  403,  403,  403,  403,  404),
    # Pairings: by the cadre's unit; coordinators pair
    row("grassroots:pairing_list",          {},                     GET,    200,  200,  200,  200,  200,  200),
    row("grassroots:pairing_create",        {},                     GET,    200,  403,  403,  403,  403,  403),
    row("grassroots:pairing_detail",        {"pk": PAIRING_A},      GET,    200,  200,  200,  404,  200,  404),
    row("grassroots:pairing_edit",          {"pk": PAIRING_A},      GET,    200,  403,  403,  404,  403,  404),
    # Practice activities: coordinators name them; coordinators and reporters enter events
    row("grassroots:practice_list",         {},                     GET,    200,  200,  200,  200,  200,  200),
    row("grassroots:practice_activity_create", {},                  POST,   200,  403,  403,  403,  403,  403),
    row("grassroots:practice_event_create", {},                     GET,    200,  403,  200,  200,  403,  403),
    row("grassroots:practice_activity_edit", {"pk": PRACTICE_ACTIVITY}, GET, 200,  403,  403,  403,  403,  404),
    # 上级文件与交办 (directives.access): coordinators and inspectors read; coordinators record and
    # hand down; the receiving district's coordinator answers a hand-down (a county's task to it)
    row("directives:directive_list",        {},                     GET,    200,  403,  403,  403,  200,  403),
    row("directives:directive_create",      {},                     GET,    200,  403,  403,  403,  403,  403),
    row("directives:directive_detail",      {"pk": DIRECTIVE},      GET,    200,  404,  404,  404,  200,  404),
    row("directives:directive_edit",        {"pk": DIRECTIVE},      GET,    200,  404,  404,  404,  403,  404),
    row("directives:file_download",         {"pk": DIRECTIVE_FILE}, GET,    200,  404,  404,  404,  200,  404),
    row("directives:handdown_create",       {},                     GET,    200,  403,  403,  403,  403,  403),
    row("directives:inbox",                 {},                     GET,    200,  403,  403,  403,  403,  403),
    row("directives:handdown_accept",       {"pk": HANDDOWN},       GET,    200,  404,  404,  404,  403,  404),
    row("directives:handdown_return",       {"pk": HANDDOWN},       POST,   302,  404,  404,  404,  403,  404),
    # 撤回: the handing level's coordinator only (world's coordinator is the receiving district's)
    row("directives:handdown_withdraw",     {"pk": HANDDOWN},       POST,   403,  404,  404,  404,  403,  404),
    # 催办 of a hand-down (to the district's 专班): the handing level's coordinator only
    row("reminders:handdown_chase",         {"pk": HANDDOWN},       POST,   403,  404,  404,  404,  403,  404),
    row("directives:upper_task",            {"pk": TASK_A},         GET,    200,  200,  200,  404,  200,  404),
    # API令牌 (shigan/api): any account with a role holds his own; another's token (or none) is 404
    row("api:tokens",                       {},                     GET,    200,  200,  200,  200,  200,  403),
    row("api:token_revoke",                 {"pk": 999999},         POST,   404,  404,  404,  404,  404,  404),
    # Webhook推送 (shigan/api): a coordinator's, of his own level; another level's (or none) is 404
    row("api:webhooks",                     {},                     GET,    200,  403,  403,  403,  403,  403),
    row("api:webhook_detail",               {"pk": 999999},         GET,    404,  403,  403,  403,  403,  403),
    row("api:webhook_delete",               {"pk": 999999},         POST,   404,  403,  403,  403,  403,  403),
    row("api:webhook_redeliver",            {"pk": 999999, "delivery_pk": 1}, POST, 404, 403, 403, 403, 403, 403),
    # The API, here by session (its tokens: shigan/api/tests): anonymous is 401, not the log-in
    # page; the schema is public; the records as on the pages. An empty (non-JSON) body is 400
    # once the write is permitted: access is asked first (shigan/api/body.py).
    row("api:api-v1:openapi-json",          {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=200),
    row("api:api-v1:api-root",              {},                     GET,    404,  404,  404,  404,  404,  404, anonymous=404),
    row("api:unknown",                      {"rest": "nothing"},    GET,    404,  404,  404,  404,  404,  404, anonymous=404),
    row("api:api-v1:unit_list",             {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:campaign_list",         {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    # The campaign's set-up as its pages (campaigns:*_edit, tasks:category_*): read by every role,
    # set up by its district's coordinators
    row("api:api-v1:campaign_detail",       {"campaign_id": CAMPAIGN}, GET, 200,  200,  200,  200,  200,  404, anonymous=401),
    row("api:api-v1:plan_section_new",      {"campaign_id": CAMPAIGN}, POST, 400, 403,  403,  403,  403,  404, anonymous=401),
    row("api:api-v1:plan_section_detail",   {"section_id": SECTION}, PUT,   422,  403,  403,  403,  403,  404, anonymous=401),
    row("api:api-v1:phase_new",             {"campaign_id": CAMPAIGN}, POST, 400, 403,  403,  403,  403,  404, anonymous=401),
    row("api:api-v1:phase_detail",          {"phase_id": PHASE},    PUT,    422,  403,  403,  403,  403,  404, anonymous=401),
    row("api:api-v1:category_list",         {"campaign_id": CAMPAIGN}, GET, 200,  403,  403,  403,  403,  404, anonymous=401),
    row("api:api-v1:category_detail",       {"category_id": CATEGORY}, PUT, 422,  403,  403,  403,  403,  404, anonymous=401),
    # 工作日历 as its pages (orgs:workday_*): coordinators only, 403 for everyone else
    row("api:api-v1:workday_list",          {},                     GET,    200,  403,  403,  403,  403,  403, anonymous=401),
    row("api:api-v1:workday_national",      {},                     GET,    200,  403,  403,  403,  403,  403, anonymous=401),
    row("api:api-v1:workday_detail",        {"workday_id": WORKDAY}, GET,   200,  403,  403,  403,  403,  403, anonymous=401),
    row("api:api-v1:workday_remove",        {"workday_id": WORKDAY}, POST,  400,  403,  403,  403,  403,  403, anonymous=401),
    # 结转到下一年 as its page (rollover:campaign_rollover): the coordinators managing the campaign
    row("api:api-v1:rollover_preview",      {"campaign_id": CAMPAIGN}, GET, 200,  403,  403,  403,  403,  404, anonymous=401),
    # 报告文字 as its page (reports:narrative_edit): coordinators only
    row("api:api-v1:report_narrative",      {},                     GET,    200,  403,  403,  403,  403,  403, anonymous=401),
    # the report's check of its narrative, as the report page (reports:report_page): its readers
    row("api:api-v1:report_check",          {},                     GET,    200,  403,  403,  403,  200,  403, anonymous=401),
    row("api:api-v1:task_list",             {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:task_detail",           {"task_id": TASK_A},    GET,    200,  200,  200,  404,  200,  404, anonymous=401),
    row("api:api-v1:change_request_list",   {"task_id": TASK_A},    GET,    200,  200,  200,  404,  200,  404, anonymous=401),
    # an empty multipart body (the matrix's POST): the report's fields missing, 422
    row("api:api-v1:progress_file",         {"task_id": TASK_A},    POST,   422,  403,  422,  404,  403,  404, anonymous=401),
    row("api:api-v1:change_request_decision", {"request_id": REQUEST_A}, POST, 400, 403, 403, 404, 403, 404, anonymous=401),
    # Each domain reads through its app's access module, as its pages (rows above).
    row("api:api-v1:indicator_list",        {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:indicator_detail",      {"indicator_id": INDICATOR_A}, GET, 200, 200, 200, 200, 200, 404, anonymous=401),
    row("api:api-v1:actual_file",           {"indicator_id": INDICATOR_A}, POST, 400, 403, 400, 403, 403, 404, anonymous=401),
    row("api:api-v1:key_project_list",      {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:key_project_detail",    {"project_id": PROJECT_A}, GET, 200,  200,  200,  404,  200,  404, anonymous=401),
    row("api:api-v1:project_figure_list",   {"project_id": PROJECT_A}, GET, 200,  200,  200,  404,  200,  404, anonymous=401),
    # The indicators' set-up as its pages (indicators:indicator_year, enterprise_list/_edit)
    row("api:api-v1:indicator_year",        {"indicator_id": INDICATOR_A, "year": 2023}, GET, 200, 403, 403, 403, 403, 404, anonymous=401),
    row("api:api-v1:key_enterprise_list",   {},                     GET,    200,  403,  403,  403,  403,  403, anonymous=401),
    row("api:api-v1:key_enterprise_detail", {"enterprise_id": ENTERPRISE_A}, GET, 200, 403, 403, 404, 403, 404, anonymous=401),
    # 招商引资 (api/endpoints/investment.py): trips and agreements read by every role, as the
    # 招商引资 page (403 with no role); POST on the list URLs and PUT on the detail URLs (the same
    # names) and 标记落地 by the coordinators of the record's own level, as the pages above
    row("api:api-v1:investment_summary",    {},                     GET,    200,  200,  200,  200,  200,  403, anonymous=401),
    row("api:api-v1:investment_trip_list",  {},                     GET,    200,  200,  200,  200,  200,  403, anonymous=401),
    row("api:api-v1:investment_trip_detail", {"trip_id": TRIP},     GET,    200,  200,  200,  200,  200,  404, anonymous=401),
    row("api:api-v1:agreement_list",        {},                     GET,    200,  200,  200,  200,  200,  403, anonymous=401),
    row("api:api-v1:agreement_detail",      {"agreement_id": AGREEMENT}, GET, 200, 200, 200,  200,  200,  404, anonymous=401),
    row("api:api-v1:agreement_land_mark",   {"agreement_id": AGREEMENT}, POST, 400, 403, 403, 403,  403,  404, anonymous=401),
    row("api:api-v1:meeting_list",          {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:meeting_detail",        {"meeting_id": MEETING}, GET,   200,  200,  200,  200,  200,  404, anonymous=401),
    row("api:api-v1:decision_create",       {"meeting_id": MEETING}, POST,  400,  403,  403,  403,  403,  404, anonymous=401),
    row("api:api-v1:series_list",           {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:series_detail",         {"series_id": SERIES},  GET,    200,  200,  200,  200,  200,  404, anonymous=401),
    row("api:api-v1:study_list",            {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:study_detail",          {"session_id": STUDY},  GET,    200,  200,  200,  200,  200,  404, anonymous=401),
    row("api:api-v1:inspection_list",       {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:inspection_detail",     {"inspection_id": INSPECTION_A}, GET, 200, 200, 200, 404, 200, 404, anonymous=401),
    row("api:api-v1:finding_list",          {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:finding_detail",        {"finding_id": FINDING_A}, GET, 200,  200,  200,  404,  200,  404, anonymous=401),
    row("api:api-v1:finding_create",        {"inspection_id": INSPECTION_A}, POST, 400, 403, 403, 404, 400, 404, anonymous=401),
    row("api:api-v1:verification_create",   {"finding_id": FINDING_A}, POST, 400, 403,  403,  404,  400,  404, anonymous=401),
    row("api:api-v1:notice_list",           {},                     GET,    200,  200,  200,  200,  200,  403, anonymous=401),
    row("api:api-v1:notice_detail",         {"notice_id": NOTICE},  GET,    200,  200,  200,  200,  200,  404, anonymous=401),
    # 随机抽查 (api/endpoints/spot_checks.py): as supervision:spot_check_list/detail
    row("api:api-v1:spot_check_list",       {},                     GET,    200,  200,  403,  403,  200,  403, anonymous=401),
    row("api:api-v1:spot_check_detail",     {"spot_check_id": SPOT_CHECK}, GET, 200, 200, 404, 404, 200, 404, anonymous=401),
    # 附件 (api/endpoints/files.py): a file is read by whoever reads its record, as its page's
    # 上级文件 (api/endpoints/directives.py): read as the directive pages (directives.access)
    row("api:api-v1:directive_list",        {},                     GET,    200,  403,  403,  403,  200,  403, anonymous=401),
    row("api:api-v1:directive_detail",      {"directive_id": DIRECTIVE}, GET, 200, 404, 404,  404,  200,  404, anonymous=401),
    row("api:api-v1:directive_file_list",   {"directive_id": DIRECTIVE}, GET, 200, 404, 404,  404,  200,  404, anonymous=401),
    row("api:api-v1:directive_file_download", {"file_id": DIRECTIVE_FILE}, GET, 200, 404, 404, 404, 200,  404, anonymous=401),
    # 交办 (api/endpoints/directives.py): made by the task force (a level with no district below:
    # 403), answered by the receiving district's, withdrawn by the handing level's, as the pages
    # GET /handdowns is the receiving district's inbox (directives:inbox), POST makes one
    row("api:api-v1:handdown_list",         {},                     GET,    200,  403,  403,  403,  403,  403, anonymous=401),
    row("api:api-v1:handdown_accept",       {"handdown_id": HANDDOWN}, POST, 400, 404,  404,  404,  403,  404, anonymous=401),
    row("api:api-v1:handdown_return",       {"handdown_id": HANDDOWN}, POST, 400, 404,  404,  404,  403,  404, anonymous=401),
    row("api:api-v1:handdown_withdraw",     {"handdown_id": HANDDOWN}, POST, 403, 404,  404,  404,  403,  404, anonymous=401),
    # 催办 of a hand-down, 报送情况, 一键催报 and 一键催办 (api/endpoints/chasing.py): as the
    # reminders pages (coordinators; a hand-down's by the handing level's alone)
    row("api:api-v1:handdown_chase",        {"handdown_id": HANDDOWN}, POST, 403, 404,  404,  404,  403,  404, anonymous=401),
    row("api:api-v1:filing_board_read",     {},                     GET,    200,  403,  403,  403,  403,  403, anonymous=401),
    row("api:api-v1:filing_chase",          {},                     POST,   400,  403,  403,  403,  403,  403, anonymous=401),
    row("api:api-v1:overdue_item_list",     {},                     GET,    200,  403,  403,  403,  403,  403, anonymous=401),
    row("api:api-v1:item_chase",            {},                     POST,   400,  403,  403,  403,  403,  403, anonymous=401),
    row("api:api-v1:meeting_file_list",     {"meeting_id": MEETING}, GET,   200,  200,  200,  200,  200,  404, anonymous=401),
    row("api:api-v1:meeting_file_download", {"file_id": MEETING_FILE}, GET, 200,  200,  200,  200,  200,  404, anonymous=401),
    row("api:api-v1:evidence_list",         {"task_id": TASK_A},    GET,    200,  200,  200,  404,  200,  404, anonymous=401),
    row("api:api-v1:evidence_download",     {"file_id": EVIDENCE_A}, GET,   200,  200,  200,  404,  200,  404, anonymous=401),
    row("api:api-v1:visit_photo_download",  {"file_id": VISIT_PHOTO_A}, GET, 200, 200,  200,  404,  200,  404, anonymous=401),
    row("api:api-v1:media_report_list",     {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:media_report_detail",   {"report_id": MEDIA_REPORT}, GET, 200, 200, 200, 200, 200, 404, anonymous=401),
    row("api:api-v1:concern_list",          {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    # 诉求类别: the caller's district's, as the pages' forms offer them (none for no district)
    row("api:api-v1:concern_category_list", {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    # POST /concern-categories (the same name) and PUT /concern-categories/{id}: the task force,
    # as the 诉求类别 pages (403 for any other role before the category is looked up)
    row("api:api-v1:concern_category_detail", {"category_id": CONCERN_CATEGORY}, PUT, 422, 403, 403, 403, 403, 403, anonymous=401),
    row("api:api-v1:concern_detail",        {"concern_id": CONCERN_A}, GET, 200,  200,  200,  404,  200,  404, anonymous=401),
    row("api:api-v1:concern_step_take",     {"concern_id": CONCERN_A}, POST, 400, 403,  400,  404,  403,  404, anonymous=401),
    # 走访 (api/endpoints/visits.py): read as the list and the visit's page; POST /visits (the
    # same name) is recorded by the task force and reporters, as the 录入走访 page
    row("api:api-v1:visit_list",            {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:visit_detail",          {"visit_id": VISIT_A},  GET,    200,  200,  200,  404,  200,  404, anonymous=401),
    # 信访接待日 (api/endpoints/reception.py): read by every role of the district, as the rota's
    # pages; POST /reception-days and PUT /reception-days/{id} (the same names) by the task force
    row("api:api-v1:reception_day_list",    {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:reception_day_detail",  {"day_id": RECEPTION_DAY}, GET, 200,  200,  200,  200,  200,  404, anonymous=401),
    # 办实事 (api/endpoints/promises.py): read as the list and the item's page; POST /promises (the
    # same name) and POST /promises/{id}/follow-up (回访) by the task force, as the pages
    row("api:api-v1:promise_list",          {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:promise_detail",        {"promise_id": PROMISE_A}, GET, 200,  200,  200,  404,  200,  404, anonymous=401),
    row("api:api-v1:promise_follow_up",     {"promise_id": PROMISE_A}, POST, 400, 403,  403,  404,  403,  404, anonymous=401),
    # 结对帮扶 (api/endpoints/pairing.py): read as the list and the pairing's page; POST /pairings and
    # PUT /pairings/{id} (the same names) by the task force, as the pages
    row("api:api-v1:pairing_list",          {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:pairing_detail",        {"pairing_id": PAIRING_A}, GET, 200,  200,  200,  404,  200,  404, anonymous=401),
    # 时间存折 (api/endpoints/timebank.py): as the time bank's pages — POST /timebank/accounts
    # (the list's name) opens an account as the 开户 page; a write's form body is no JSON (400)
    # where the page would let the role write; reporter A confirms the matrix's record (200)
    row("api:api-v1:timebank_account_list", {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:timebank_account_detail", {"account_id": TB_ACCOUNT_A}, GET, 200, 200, 200, 404, 200, 404, anonymous=401),
    row("api:api-v1:timebank_service_create", {"account_id": TB_ACCOUNT_A}, POST, 400, 403, 400, 404, 403, 404, anonymous=401),
    row("api:api-v1:timebank_redemption_create", {"account_id": TB_ACCOUNT_A}, POST, 400, 403, 400, 404, 403, 404, anonymous=401),
    row("api:api-v1:timebank_queue",        {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:timebank_service_detail", {"service_id": TB_SERVICE_A}, GET, 200, 200, 200, 404, 200, 404, anonymous=401),
    row("api:api-v1:timebank_service_confirm", {"service_id": TB_SERVICE_A}, POST, 403, 403, 200, 404, 403, 404, anonymous=401),
    row("api:api-v1:timebank_service_return", {"service_id": TB_SERVICE_A}, POST, 403, 403, 400, 404, 403, 404, anonymous=401),
    row("api:api-v1:timebank_service_resubmit", {"service_id": TB_RETURNED_A}, POST, 403, 403, 400, 404, 403, 404, anonymous=401),
    row("api:api-v1:timebank_transaction_reverse", {"transaction_id": TB_POSTING_A}, POST, 400, 403, 403, 404, 403, 404, anonymous=401),
    # 实践活动 (api/endpoints/practice.py): activities read by every role of the district, events
    # as the page lists them (by organising unit), the page's counts; POST /practice-activities
    # and PUT /practice-activities/{id} (the same names) by the task force, POST /practice-events
    # by the task force and reporters, as the pages
    row("api:api-v1:practice_activity_list", {},                    GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:practice_activity_detail", {"activity_id": PRACTICE_ACTIVITY}, GET, 200, 200, 200, 200, 200, 404, anonymous=401),
    row("api:api-v1:practice_event_list",   {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
    row("api:api-v1:practice_event_detail", {"event_id": PRACTICE_EVENT_A}, GET, 200, 200, 200, 404, 200,  404, anonymous=401),
    row("api:api-v1:practice_counts",       {},                     GET,    200,  200,  200,  200,  200,  200, anonymous=401),
]
# fmt: on

# (URL name, persona) → (what the code answers, why the documented rule says otherwise).
DISAGREEMENTS: dict = {}


def url_names() -> dict[str, str]:
    """Every named URL of the URLconf (namespace:name → route), admin internals excluded;
    an unnamed pattern outside the admin is listed under its route so it fails the test."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
                continue
            assert isinstance(pattern, URLPattern)
            route = prefix + str(pattern.pattern)
            if getattr(pattern.callback, "__module__", "") == "django.views.static":
                continue
            if namespace == "admin" or (namespace or "").startswith("admin:"):
                if pattern.name == "index":
                    found["admin:index"] = route
                continue
            if not pattern.name:
                found[f"<unnamed {route}>"] = route
                continue
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if name not in EXCLUDED_NAMES:
                found[name] = route

    walk(get_resolver().url_patterns, "", None)
    return found


def test_every_url_has_a_row():
    names = [r.name for r in ROWS]
    assert len(names) == len(set(names)), "a URL has two rows"
    urls = url_names()
    missing = sorted(set(urls) - set(names))
    stale = sorted(set(names) - set(urls))
    assert not missing, f"URLs without a row in the permission matrix: {missing}"
    assert not stale, f"rows naming no URL of the URLconf: {stale}"


def test_disagreements_name_real_cells():
    cells = {(r.name, p) for r in ROWS for p in PERSONAS}
    assert set(DISAGREEMENTS) <= cells


# --- the world every cell is asked in: built once per module (and xdist worker) ---------------


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def build_records() -> dict:
    """build_world's personas and tasks, an account with no role, and one record of each kind a
    URL names — those of unit A where a unit matters, so reporter_b is the outsider."""
    world = build_world()
    no_role = get_user_model().objects.create_user(username="no_role", password="x")
    coordinator, inspector, reporter_a = world.coordinator, world.inspector, world.reporter_a
    report = ProgressReport.objects.create(
        task=world.task_a,
        unit=world.unit_a,
        period=datetime.date(2023, 6, 1),
        text="6月进展",
        submitted_by=reporter_a,
    )
    evidence = evidence_store(
        task=world.task_a, upload=_pdf("现场照片.pdf"), by=reporter_a, report=report
    )
    request = ChangeRequest.objects.create(
        task=world.task_a,
        kind=ChangeKind.EXTEND,
        reason="征地延误",
        proposed_due_date=datetime.date(2024, 3, 31),
        requested_by=reporter_a,
    )
    meeting = meeting_record(
        campaign=world.campaign,
        series=None,
        kind=MeetingKind.TASK_FORCE,
        title="矩阵专班调度会",
        date=datetime.date(2023, 2, 8),
        chair=world.leader_person,
        by=coordinator,
        attendees=Person.objects.all(),
        minutes="会议纪要",
        files=[_pdf("纪要.pdf")],
    )
    decision = decision_record(
        meeting=meeting,
        by=coordinator,
        title="交通局落实议定事项",
        target="工作要求",
        lead_unit=world.unit_a,
        leader=world.leader_person,
        due_date=datetime.date(2023, 12, 31),
    )
    inspection = inspection_record(
        campaign=world.campaign,
        topic="交通局专项督查",
        kind=InspectionKind.SPECIAL,
        date=datetime.date(2023, 5, 16),
        inspectors=[inspector.person],
        units=[world.unit_a],
        by=inspector,
    )
    finding = finding_record(
        inspection=inspection,
        unit=world.unit_a,
        problem="交通局台账不完整",
        severity=Severity.GENERAL,
        requirement="补齐台账",
        deadline=datetime.date(2023, 8, 31),
        by=inspector,
    )
    done = make_task(
        campaign=world.campaign, category=world.category, unit=world.unit_a, title="已办结任务"
    )
    Task.objects.filter(pk=done.pk).update(
        state=TaskState.COMPLETED, closed_on=datetime.date(2023, 7, 1)
    )
    spot_check = spot_check_draw(campaign=world.campaign, share=100, by=inspector, seed="s")
    notice = notice_record(
        campaign=world.campaign,
        doc_number="示作风办〔2023〕3号",
        date=datetime.date(2023, 6, 5),
        title="矩阵作风通报",
        kind=NoticeKind.BRIEFING,
        exemplars=[ExemplarInput(polarity=Polarity.POSITIVE, title="典型", units=[world.unit_b])],
        by=coordinator,
    )
    media_report = media_report_record(
        campaign=world.campaign,
        title="矩阵实干见闻",
        outlet="区融媒体中心",
        level=MediaLevel.choices[0][0],
        date=datetime.date(2023, 6, 1),
        by=coordinator,
    )
    indicator = Indicator.objects.create(
        name="交通固定资产投资",
        responsible_unit=world.unit_a,
        measure_unit=MeasureUnit.WAN_YUAN,
        category=IndicatorCategory.ECONOMY,
        accumulation=Accumulation.CUMULATIVE,
    )
    enterprise = KeyEnterprise.objects.create(name="矩阵重点企业", unit=world.unit_a)
    project = KeyProject.objects.create(
        year=2023, name="矩阵重点项目", responsible_unit=world.unit_a, enterprise=enterprise
    )
    trip = InvestmentTrip.objects.create(
        campaign=world.campaign, date=datetime.date(2023, 4, 1), destination="深圳"
    )
    agreement = Agreement.objects.create(
        campaign=world.campaign, investor="矩阵投资方", project_name="矩阵协议项目",
        signed_on=datetime.date(2023, 5, 1), trip=trip,
    )  # fmt: skip
    section = PlanSection.objects.create(
        campaign=world.campaign, kind=PlanSectionKind.GOALS, body="矩阵目标任务"
    )
    phase = Phase.objects.create(
        campaign=world.campaign, name="矩阵阶段",
        start_date=datetime.date(2023, 2, 1), end_date=datetime.date(2023, 2, 28),
    )  # fmt: skip
    series = MeetingSeries.objects.create(
        name="矩阵月度碰头会", campaign=world.campaign, cadence=Cadence.MONTHLY,
        organiser=world.district, active_from=datetime.date(2023, 2, 1),
    )  # fmt: skip
    study = StudySession.objects.create(
        campaign=world.campaign, topic="矩阵中心组学习", date=datetime.date(2023, 3, 1),
        kind=StudyKind.CENTRAL_GROUP,
    )  # fmt: skip
    message = Message.objects.create(
        recipient=reporter_a, kind=MessageKind.REPORT_CHASE, title="交通局催报",
        body="请报送", link="/tasks/report/", sender=coordinator,
    )  # fmt: skip
    # A robot whose webhook is at no allowed host: 发送测试消息 is refused without a request.
    robot = UnitRobot.objects.create(
        unit=world.unit_a, channel=Channel.DINGTALK, webhook="https://robot.invalid/send?t=m"
    )
    delivery = Delivery.objects.create(
        key="matrix:robot", channel=Channel.DINGTALK, robot=robot, title="交通局提醒", body="x",
        state=DeliveryState.FAILED, attempts=6, next_attempt_at=timezone.now(),
    )  # fmt: skip
    concern = make_concern(world, content="交通局矩阵路灯诉求")
    visit = make_visit(world, unit=world.unit_a, photo=True)
    visit.place = "交通局矩阵走访点"
    visit.save()
    promise = promise_create(
        campaign=world.campaign, by=coordinator, title="矩阵办实事加装电梯", target="",
        lead_unit=world.unit_a, leader=world.leader_person, start_date=datetime.date(2023, 3, 1),
        due_date=datetime.date(2023, 11, 30),
    )  # fmt: skip
    reception_day = ReceptionDay.objects.create(
        campaign=world.campaign, date=datetime.date(2023, 7, 5), leader=world.leader_person,
        place="区信访局接待室",
    )  # fmt: skip
    pairing = Pairing.objects.create(
        campaign=world.campaign, cadre=reporter_a.person, target_kind=PairingTargetKind.HOUSEHOLD,
        target_name="矩阵结对农户", started_on=datetime.date(2023, 3, 1),
    )  # fmt: skip
    practice_activity = PracticeActivity.objects.create(
        campaign=world.campaign, name="矩阵红色屋场"
    )
    tb_account = account_open(
        by=coordinator, unit=world.unit_a, name="交通局矩阵志愿者", phone="13800001111",
        opened_on=datetime.date(2023, 3, 1),
    )  # fmt: skip
    tb_service = service_enter(
        by=coordinator, account=tb_account, date=datetime.date(2023, 7, 1), hours=2,
        beneficiary="矩阵服务对象", content="矩阵志愿服务",
    )  # fmt: skip
    tb_confirmed = service_confirm(by=reporter_a, record=service_enter(
        by=coordinator, account=tb_account, date=datetime.date(2023, 6, 1), hours=1,
        beneficiary="老人", content="陪护",
    ))  # fmt: skip
    return {
        **matrix_records(world, pdf=_pdf("区文件.pdf")),
        "timebank_account_a": tb_account,
        "timebank_service_a": tb_service,
        "timebank_posting_a": tb_confirmed.transaction,
        "timebank_returned_a": service_return(
            by=coordinator,
            reason="时长有误",
            record=service_enter(
                by=reporter_a,
                account=tb_account,
                date=datetime.date(2023, 6, 2),
                hours=1,
                beneficiary="老人",
                content="读报",
            ),
        ),  # fmt: skip
        "concern_a": concern,
        "concern_category": concern.category,
        "visit_a": visit,
        "visit_photo_a": visit.photos.get(),
        "promise_a": promise,
        "reception_day": reception_day,
        "pairing_a": pairing,
        "practice_activity": practice_activity,
        "practice_event_a": PracticeEvent.objects.create(
            activity=practice_activity,
            date=datetime.date(2023, 7, 1),
            place="交通局矩阵村部",
            organiser=world.unit_a,
            participants=20,
            summary="矩阵宣讲",
            created_by=coordinator,
        ),  # fmt: skip
        "message_a": message,
        "robot_a": robot,
        "delivery_a": delivery,
        "section": section,
        "phase": phase,
        "category": world.category,
        "series": series,
        "study": study,
        "project_a": project,
        "enterprise_a": enterprise,
        "trip": trip,
        "agreement": agreement,
        "world": world,
        "users": {**world.users(), "no_role": no_role},
        "campaign": world.campaign,
        "task_a": world.task_a,
        "report_a": report,
        "evidence_a": evidence,
        "request_a": request,
        "meeting": meeting,
        "meeting_file": meeting.files.get(),
        "decision_a": decision,
        "inspection_a": inspection,
        "finding_a": finding,
        "spot_check": spot_check,
        "notice": notice,
        "media_report": media_report,
        "indicator_a": indicator,
        "person_a": reporter_a.person,
        "import_job_a": ImportJob.objects.create(
            owner=reporter_a,
            kind="timebank",
            title="交通局矩阵后台导入",
            total=10,
            district_id=world.district.pk,
            state=JobState.DONE,
            done=10,
        ),  # fmt: skip
        "workday_override": WorkdayOverride.objects.create(
            district=world.district,
            date=datetime.date(2023, 10, 10),
            is_workday=False,
            reason="区运动会",
        ),
    }


@pytest.fixture(scope="module")
def records(django_db_setup, django_db_blocker):
    """One world for the whole module, in a transaction rolled back at its end; each test runs
    in a savepoint inside it (pytest-django's `db`)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHIGAN_TODAY", TODAY)
        with django_db_blocker.unblock(), transaction.atomic():
            records = build_records()
            records["cookies"] = {}
            for persona, user in records["users"].items():
                client = Client()
                client.force_login(user)
                records["cookies"][persona] = client.cookies
            yield records
            transaction.set_rollback(True)


# Names of records a persona must not meet on any page he is shown (HTML pages only).
UNIT_A_RECORDS = [
    "兴业大道建设",
    "交通局落实议定事项",
    "交通局专项督查",
    "交通局台账不完整",
    "交通固定资产投资",
    "交通局矩阵志愿者",
    "交通局矩阵路灯诉求",
    "交通局矩阵走访点",
    "矩阵办实事加装电梯",
    "矩阵结对农户",
    "交通局矩阵后台导入",
]
HIDDEN_FROM = {
    # Indicators are the district's headline figures: every person of it reads them (read-only).
    "reporter_b": [n for n in UNIT_A_RECORDS if n != "交通固定资产投资"],
    "no_role": [
        *UNIT_A_RECORDS,
        "清凉河治理二期",
        "矩阵专班调度会",
        "矩阵作风通报",
        "矩阵实干见闻",
    ],
}


def _ask(client: Client, row: Row, url: str):
    if row.method == PUT:
        return client.put(url)
    return client.post(url, {}) if row.method == POST else client.get(url)


def _cells():
    for r in ROWS:
        for persona in [ANONYMOUS, *PERSONAS]:
            marks = []
            if (r.name, persona) in DISAGREEMENTS:
                actual, why = DISAGREEMENTS[(r.name, persona)]
                marks.append(pytest.mark.xfail(strict=True, reason=f"answers {actual}: {why}"))
            yield pytest.param(r, persona, id=f"{r.name}-{persona}", marks=marks)


def _is_login(location: str) -> bool:
    try:
        match = resolve(urlsplit(location).path)
    except Exception:
        return False
    return match.view_name in LOGIN_PAGES


@pytest.mark.parametrize("r, persona", list(_cells()))
def test_answer(db, records, r: Row, persona: str):
    url = r.url(records)
    client = Client()
    if persona == ANONYMOUS:
        response = _ask(client, r, url)
        assert response.status_code == r.anonymous, f"{r.method.upper()} {url} as {persona}"
        if r.anonymous == 302:
            assert _is_login(response["Location"]), (
                f"{url} sends anonymous to {response['Location']}"
            )
        return
    client.cookies = copy.deepcopy(records["cookies"][persona])
    response = _ask(client, r, url)
    expected = r.codes[persona]
    assert response.status_code == expected, f"{r.method.upper()} {url} as {persona}"
    if response.status_code == 200 and persona in HIDDEN_FROM:
        shown = [name for name in HIDDEN_FROM[persona] if name in _text(response)]
        assert not shown, f"{url} shows {persona} records outside his scope: {shown}"


def _text(response) -> str:
    if not response.get("Content-Type", "").startswith("text/html"):
        return ""
    return response.content.decode()


@pytest.mark.parametrize("r", [r for r in ROWS if r.method == POST], ids=lambda r: r.name)
def test_post_only_views_refuse_get(db, records, r: Row):
    client = Client()
    client.force_login(records["users"]["coordinator"])
    assert client.get(r.url(records)).status_code == 405


@pytest.mark.parametrize(
    "name, names",
    [
        ("tasks:task_list", ["兴业大道建设", "清凉河治理二期"]),
        ("meetings:meeting_list", ["矩阵专班调度会"]),
        ("meetings:decision_table", ["交通局落实议定事项"]),
        ("supervision:inspection_list", ["交通局专项督查"]),
        ("supervision:finding_list", ["交通局台账不完整"]),
        ("supervision:notice_list", ["矩阵作风通报"]),
        ("publicity:report_list", ["矩阵实干见闻"]),
        ("indicators:dashboard", ["交通固定资产投资"]),
    ],
)
def test_hidden_names_are_shown_to_readers(db, records, name, names):
    """The names HIDDEN_FROM looks for do appear where their readers look: the leak check is
    not vacuous."""
    client = Client()
    client.cookies = copy.deepcopy(records["cookies"]["coordinator"])
    text = _text(client.get(reverse(name)))
    assert all(n in text for n in names), name
