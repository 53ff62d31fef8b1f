"""The report page's choices and the narrative form (one form for every slot of a period)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from shigan.campaigns.models import Campaign
from shigan.campaigns.queries import campaign_current, campaigns_current_first
from shigan.core import clock
from shigan.core.editing import FIELD as VERSION_FIELD
from shigan.core.editing import posted_version
from shigan.core.forms import control_error
from shigan.core.params import BadValue, date_or_default, parse_period, shown
from shigan.orgs.scope import has_levels_below

from . import wording
from .access import report_campaigns_for
from .compose import ReportOptions, draft_texts
from .compose.frame import default_text
from .compose.plan import PARTS
from .models import NarrativeSlot, NarrativeText
from .services import NarrativeEntry

ISO_DATE = "%Y-%m-%d"
S = NarrativeSlot


class ReportForm(forms.Form):
    """Which campaign, as of which date, with which options.

    The campaign and the date are chosen by the shared rules before the form is bound
    (campaigns.queries.campaign_current among the campaigns whose report the user reads,
    reports.access.report_campaigns_for; core.params.date_or_default; see `chosen`), so the
    form only offers them again and checks the options.
    """

    campaign = forms.ModelChoiceField(campaigns_current_first(), label="活动", empty_label=None)
    as_of = forms.DateField(
        label="截至日期", widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    )
    percent = forms.ChoiceField(
        label="百分号",
        choices=[(wording.FULL_WIDTH_PERCENT, "全角 ％（与原文一致）"), ("%", "半角 %")],
        required=False,
    )
    appendix = forms.BooleanField(label="附数据来源表", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["campaign"]
        field.queryset = campaigns_current_first(report_campaigns_for(user, Campaign.objects.all()))
        if has_levels_below(user):  # a county's list holds its districts' campaigns too
            field.label_from_instance = lambda campaign: campaign.with_organiser

    @classmethod
    def chosen(cls, query, *, user) -> tuple["ReportForm", str]:
        """The form for `query` (?campaign=&as_of=&percent=&appendix=): the campaign it names
        among those whose report the user reads, or the current one of those (404 for a value
        naming none), the date
        it names or today, and the Chinese message when the date was malformed."""
        campaign = campaign_current(
            query.get("campaign"), among=report_campaigns_for(user, Campaign.objects.all())
        )
        as_of, as_of_error = date_or_default(query.get("as_of"), clock.today())
        data = {
            "campaign": campaign.pk if campaign else "",
            "as_of": as_of.isoformat(),
            "percent": query.get("percent") or wording.FULL_WIDTH_PERCENT,
            "appendix": query.get("appendix", ""),
        }
        return cls(data, user=user), as_of_error

    def options(self) -> ReportOptions:
        data = self.cleaned_data
        sign = data.get("percent") or wording.FULL_WIDTH_PERCENT
        return ReportOptions(percent_sign=sign, appendix=bool(data.get("appendix")))


# A narrative is written for a month of its campaign's year, or of the year either side (a
# December summary written in January, a plan drafted the December before).
PERIOD_YEAR_MARGIN = 1


def period_problem(raw: str | None, campaign: Campaign | None = None) -> str:
    """The Chinese message when ?period= names no month the narrative may be written for: not
    YYYY-MM (月份“2023-13”无效，应为YYYY-MM，如2023-07), or outside the campaign's year ±
    PERIOD_YEAR_MARGIN; "" when it is blank or fine."""
    text = (raw or "").strip()
    if not text:
        return ""
    shown_raw = shown(text)
    try:
        period = parse_period(text)
    except BadValue:
        return f"月份“{shown_raw}”无效，应为YYYY-MM，如2023-07"
    if campaign is not None:
        first, last = campaign.year - PERIOD_YEAR_MARGIN, campaign.year + PERIOD_YEAR_MARGIN
        if not first <= period.year <= last:
            return (
                f"月份“{shown_raw}”超出范围：{campaign.year}年活动的报告文字只能写"
                f"{first}年1月至{last}年12月的月份"
            )
    return ""


def period_or_default(
    raw: str | None, campaign: Campaign | None = None
) -> tuple[datetime.date, str]:
    """?period=YYYY-MM → its first day; by default (and for a malformed or out-of-range month,
    with the Chinese message saying so) the current month. For reading only: a write with a
    bad month is refused (period_problem), never retargeted."""
    default = clock.month_start(clock.today())
    problem = period_problem(raw, campaign)
    if problem:
        return default, f"{problem}，已按{default:%Y-%m}显示。"
    return parse_period(raw) or default, ""


SINGLE_SLOTS = [
    (S.TITLE, True, False),
    (S.OPENING, False, True),
    (S.ACTIVITIES, True, True),
    (S.ORGANISATION, True, True),
    (S.ATMOSPHERE, True, True),
    (S.ECONOMY, True, True),
    (S.PEOPLE, True, True),
    (S.TASKS, True, True),
    (S.PLAN, True, True),
    (S.SIGNATURE, True, False),
]
SPARE_PLAN_ITEMS = 2


# A narrative slot is a paragraph or a section of the report, not a document of its own: its
# body at most NARRATIVE_BODY_MAX_CHARS characters (a task's month of progress is at most 3000,
# tasks.forms.progress.PROGRESS_MAX_CHARS), its title at most the column's 200.
NARRATIVE_BODY_MAX_CHARS = 5000
NARRATIVE_TITLE_MAX_CHARS = NarrativeText._meta.get_field("title").max_length


class NarrativeField(forms.CharField):
    """A narrative text: its limit and its control characters refused with messages that name
    the field (Django's own say 不允许是用空字符串 for a NUL byte). After an edit conflict,
    `others_saved` and `current_by_others`: the text someone else saved meanwhile."""

    others_saved = False
    current_by_others = ""

    def __init__(self, *, label: str, limit: int, **kwargs):
        super().__init__(label=label, required=False, strip=True, **kwargs)
        self.limit = limit
        self.validators = []  # no ProhibitNullCharactersValidator: validate() names the field
        self.widget.attrs["maxlength"] = str(limit)

    def validate(self, value) -> None:
        super().validate(value)
        if problem := control_error(self.label, value or ""):
            raise ValidationError(problem, code="control")
        if len(value) > self.limit:
            raise ValidationError(
                f"“{self.label}”最多{self.limit}字，现有{len(value)}字，请精简。",
                code="max_length",
            )


def _text(label: str, *, long: bool) -> forms.CharField:
    if long:
        widget = forms.Textarea(attrs={"rows": 6})
        return NarrativeField(label=label, limit=NARRATIVE_BODY_MAX_CHARS, widget=widget)
    widget = forms.TextInput(attrs={"size": 60})
    return NarrativeField(label=label, limit=NARRATIVE_TITLE_MAX_CHARS, widget=widget)


class NarrativeForm(forms.Form):
    """Every narrative slot of a campaign for one period, prefilled with what applies now
    (or the default). Only fields changed from their initial value become entries.

    The next-step draft's parts (PLAN_DRAFT) are prefilled with the text generated from the
    records as of the period's end (today within the current month), or with the coordinator's
    version for that month; a part's "恢复" box saves its default body, so the generated text
    applies again. `period` defaults to the current month."""

    note = NarrativeField(label="修改说明", limit=200, widget=forms.TextInput(attrs={"size": 60}))

    def __init__(
        self,
        *args,
        campaign: Campaign,
        current: dict,
        tasks: list,
        period: datetime.date | None = None,
        version: int | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.campaign, self.current, self.tasks = campaign, current, tasks
        if version is not None:
            # The campaign's narrative version as shown (queries.narrative_version), posted
            # back: a save over someone else's since is refused (services.narrative_save).
            self.fields[VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=str(version)
            )
        self.period = clock.month_start(period or clock.today())
        short = wording.quoted_short_name(campaign.name)
        self.slot_fields: list[tuple[str, int, str | None, str | None]] = []
        for slot, has_title, has_body in SINGLE_SLOTS:
            default = default_text(slot, short)
            self._add(slot, 0, NarrativeSlot(slot).label, has_title, has_body, default)
        for task in tasks:
            self._add(S.TASK, task.pk, f"任务段落：{task.title}", True, True, ("", ""))
        items = sorted(o for (s, o), v in current.items() if s == S.PLAN_ITEM and not v.is_blank)
        last = max(items, default=0)
        for order in [*items, *range(last + 1, last + 1 + SPARE_PLAN_ITEMS)]:
            self._add(S.PLAN_ITEM, order, f"下一步工作计划（{order}）", True, True, ("", ""))
        self._add_draft()

    def seen_version(self) -> int | None:
        """The version the user's page was shown with (None: not posted, not checked)."""
        if VERSION_FIELD not in self.fields:
            return None
        return posted_version(self.data.get(self.add_prefix(VERSION_FIELD)))

    def refused_as_stale(self, version: int, others: set[tuple[str, int]]) -> None:
        """After an edit conflict: the current version posted back (a second save, once the
        user has compared, is a deliberate one) and, under each field of a slot saved by
        someone else meanwhile (`others`), the text that applies now."""
        data = self.data.copy()
        data[self.add_prefix(VERSION_FIELD)] = str(version)
        self.data = data
        for slot, order, *names in self.slot_fields:
            if (slot, order) in others:
                for name in filter(None, names):
                    field = self.fields[name]
                    field.others_saved, field.current_by_others = True, self.initial.get(name, "")

    def draft_as_of(self) -> datetime.date:
        """The day the draft is generated for: the period's end, or today within it."""
        return max(self.period, min(clock.today(), clock.month_end(self.period)))

    def _add_draft(self) -> None:
        """The draft's parts: generated text, or the coordinator's version of this month."""
        self.drafts = draft_texts(self.campaign, self.draft_as_of())
        self.restore_fields: dict[int, str] = {}
        for part in PARTS:
            version = self.current.get((S.PLAN_DRAFT, part.order))
            mine = version is not None and version.period == self.period
            if mine and version.body.strip() == part.default_body:
                mine = False  # restored: the generated text applies
            text = (version.title, version.body) if mine else self.drafts[part.order]
            label = f"下一步工作计划·据记录生成（{part.order}）"
            self._add(S.PLAN_DRAFT, part.order, label, True, True, text, version=False)
            if mine:
                name = f"{S.PLAN_DRAFT}_{part.order}_restore"
                self.fields[name] = forms.BooleanField(
                    label="恢复为系统生成的草稿（放弃本月修改）", required=False
                )
                self.restore_fields[part.order] = name

    def _add(self, slot, order, label, has_title, has_body, default, *, version=True) -> None:
        """Title and body fields of a slot, prefilled with its current version (when `version`)
        or `default`."""
        current: NarrativeText | None = self.current.get((slot, order)) if version else None
        title, body = (current.title, current.body) if current else default
        names = [None, None]
        if has_title:
            names[0] = f"{slot}_{order}_title"
            self.fields[names[0]] = _text(f"{label} · 标题", long=False)
            self.initial[names[0]] = title
        if has_body:
            names[1] = f"{slot}_{order}_body"
            self.fields[names[1]] = _text(f"{label} · 正文", long=True)
            self.initial[names[1]] = body
        self.slot_fields.append((slot, order, *names))

    def entries(self) -> list[NarrativeEntry]:
        """Entries for the slots whose title or body changed, and the draft parts restored."""
        changed = set(self.changed_data)
        entries = []
        restored = {o for o, name in self.restore_fields.items() if self.cleaned_data.get(name)}
        for part in PARTS:
            if part.order in restored:
                entries.append(
                    NarrativeEntry(S.PLAN_DRAFT, part.title, part.default_body, part.order)
                )
        for slot, order, title_name, body_name in self.slot_fields:
            if slot == S.PLAN_DRAFT and order in restored:
                continue
            if not {title_name, body_name} & changed:
                continue
            title = self.cleaned_data.get(title_name, "") if title_name else ""
            body = self.cleaned_data.get(body_name, "") if body_name else ""
            entries.append(NarrativeEntry(slot=slot, title=title, body=body, order=order))
        return entries

    def groups(self) -> list[list]:
        """Bound fields grouped by slot, for the template (a draft part with its restore box)."""
        rows = []
        for slot, order, title_name, body_name in self.slot_fields:
            names = [title_name, body_name]
            if slot == S.PLAN_DRAFT:
                names.append(self.restore_fields.get(order))
            rows.append([self[n] for n in names if n])
        return rows
