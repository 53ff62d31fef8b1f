"""The summary report's own words (报告文字) as the page that edits them
(reports:narrative_edit): every narrative field of a campaign's report for a month, prefilled as
the page prefills it (the version that applies, the default text, the next-step draft generated
from the records), read and written by coordinators alone (reports.access.can_write_narrative:
403 with the page's message for anyone else); a campaign the caller does not read is 404 as
on the page. A write goes through the page's form (reports.forms.NarrativeForm: only the fields
that differ from what applies become new versions; the same limits and messages) and service
(reports.services.narrative_save: every change a new version, audited with the text before
and after, earlier versions never changed).

Never a silent overwrite: the read answers `version` (the newest narrative version of the
campaign); a write carrying an older one — someone saved the report's words meanwhile — is
refused (422, who changed what and when), nothing written, as an edit conflict elsewhere in
the API.

The report's check of its narrative (GET /report-check): the figures typed in the narratives
the report rests on (progress reports, the report's words, notes filed with figures), each
compared with the records, as the report page shows them before a download — for whoever reads
the report (reports.access.require_report_reader)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema

from shigan.campaigns.access import campaign_for_user
from shigan.campaigns.models import Campaign
from shigan.core.params import BadValue, parse_date
from shigan.reports.access import (
    can_write_narrative,
    require_own_narrative,
    require_report_reader,
)
from shigan.reports.compose import build_summary
from shigan.reports.forms import NarrativeForm, ReportForm, period_or_default, period_problem
from shigan.reports.narrative_check import Finding, narrative_check
from shigan.reports.queries import narrative_current, narrative_version
from shigan.reports.services import narrative_save
from shigan.tasks.models import Task, TaskOrigin

from ..body import body_documented, body_parsed
from ..pageforms import form_refused, refused, service_refused
from ..params import known_only
from ..schemas import RECORD_ERRORS, WRITE_ERRORS, Version

router = Router(tags=["总结报告"])

REFUSED = "只有专班可以撰写报告文字。"


class NarrativeQuery(Schema):
    campaign: str | None = Field(None, max_length=40, description="活动编号（默认本区当前活动）")
    period: str | None = Field(None, max_length=20, description="月份，YYYY-MM（默认本月）")


class NarrativeFieldOut(Schema):
    name: str = Field(description="字段名：写入时作为 texts 的键")
    label: str
    value: str = Field(description="当前适用的文字（或默认文字、据记录生成的草稿）")
    max_length: int | None


class NarrativeOut(Schema):
    campaign_id: int
    period: datetime.date = Field(description="月份（该月第一天）")
    version: int = Field(description="编辑版本：写入时回传，其间若有他人修改则拒绝")
    fields: list[NarrativeFieldOut]
    restorable: list[int] = Field(
        description="本月改写过、可恢复为系统生成草稿的“下一步工作计划”部分（restore 可填）"
    )


class NarrativeIn(Schema):
    """The page's form as a body: the fields to change (the rest keep what applies)."""

    version: Version = Field(
        description="GET /report-narrative 返回的 version（必填）：其间若有他人修改则拒绝"
    )
    texts: dict[str, str] = Field(
        {}, description="要修改的字段（字段名 → 文字）；未列出的字段保持不变"
    )
    restore: list[int] = Field([], max_length=10, description="恢复为系统生成草稿的部分（序号）")
    note: str = Field("", max_length=200, description="修改说明")


def _caller_campaign(request, raw) -> Campaign:
    if not can_write_narrative(request.user):
        raise PermissionDenied(REFUSED)
    campaign = campaign_for_user(request.user, raw)
    if campaign is None:
        raise Http404("还没有活动。")
    return campaign


def _period(raw, campaign) -> datetime.date:
    """?period= as the page's write reads it: a month it may not be written for is refused."""
    problem = period_problem(raw, campaign)
    if problem:
        raise refused({"period": [f"{problem}。"]})
    return period_or_default(raw, campaign)[0]


def _form(campaign: Campaign, period, data=None) -> NarrativeForm:
    tasks = Task.objects.filter(campaign=campaign, origin=TaskOrigin.LIST)
    return NarrativeForm(
        data,
        campaign=campaign,
        current=narrative_current(campaign, period),
        tasks=list(tasks.order_by("category__sort_order", "number", "id")),
        period=period,
    )


def _out(campaign: Campaign, period, form: NarrativeForm) -> dict:
    restore = set(form.restore_fields.values())
    fields = [
        {
            "name": name,
            "label": str(field.label),
            "value": form.initial.get(name, ""),
            "max_length": field.max_length,
        }
        for name, field in form.fields.items()
        if name != "note" and name not in restore
    ]
    return {
        "campaign_id": campaign.pk,
        "period": period,
        "version": narrative_version(campaign),
        "fields": fields,
        "restorable": sorted(form.restore_fields),
    }


@router.get(
    "/report-narrative",
    response={200: NarrativeOut, **RECORD_ERRORS},
    summary="报告文字",
    url_name="report_narrative",
)
def narrative_read(request, query: Query[NarrativeQuery]):
    """Every narrative field of the campaign's report for the month, as the 报告文字 page
    shows it, with the `version` a write must carry back. A month the page may not write
    (not YYYY-MM, or outside the campaign's year ±1) is refused (422)."""
    known_only(request, NarrativeQuery)
    campaign = _caller_campaign(request, query.campaign)
    period = _period(query.period, campaign)
    return _out(campaign, period, _form(campaign, period))


def _posted(form: NarrativeForm, payload: NarrativeIn) -> dict:
    """The page's form as it would be posted: what applies, the body's changes over it."""
    restore = {order: name for order, name in form.restore_fields.items()}
    known = {n for n in form.fields if n != "note" and n not in restore.values()}
    errors = {f"texts.{name}": ["没有这个字段。"] for name in payload.texts if name not in known}
    missing = [f"第{o}部分没有可恢复的修改。" for o in payload.restore if o not in restore]
    if missing:
        errors["restore"] = missing
    if errors:
        raise refused(errors)
    data = {name: form.initial.get(name, "") for name in known} | payload.texts
    data |= {restore[o]: "on" for o in payload.restore}
    return data | {"note": payload.note}


@router.put(
    "/report-narrative",
    response={200: NarrativeOut, **WRITE_ERRORS},
    summary="修改报告文字",
    url_name="report_narrative",
    openapi_extra=body_documented(NarrativeIn),
)
def narrative_write(request, query: Query[NarrativeQuery]):
    """Save the report's words for the month as the 报告文字 page does: the fields given in
    `texts` (each a field's `name` from the read), the next-step draft parts to `restore`, a
    `note`; only what differs from what applies becomes a new version (audited, the earlier
    kept). Refused (422), nothing written: a stale `version`, an unknown field, a month the
    page refuses, the form's limits and the service's rules (unknown 【指标】 placeholders),
    each naming its field."""
    known_only(request, NarrativeQuery)
    campaign = _caller_campaign(request, query.campaign)
    require_own_narrative(request.user, campaign)  # a district's words: read-only to its county
    period = _period(query.period, campaign)
    payload = body_parsed(request, NarrativeIn)
    # The campaign's row locked: two writes of its words queue and the second sees the first's.
    campaign = Campaign.objects.select_for_update().select_related("organiser").get(pk=campaign.pk)
    form = _form(campaign, period, _posted(_form(campaign, period), payload))
    fields = {name: f"texts.{name}" for name in form.fields if name != "note"}
    if not form.is_valid():
        raise form_refused(form, fields)
    try:
        narrative_save(
            campaign=campaign, period=period, entries=form.entries(), by=request.user,
            note=form.cleaned_data["note"], version=payload.version,
        )  # fmt: skip
    except ValidationError as error:
        raise service_refused(error, fields) from None
    return _out(campaign, period, _form(campaign, period))


class CheckQuery(Schema):
    campaign: str | None = Field(None, max_length=40, description="活动编号（默认当前活动）")
    as_of: str | None = Field(None, max_length=20, description="截至日期，YYYY-MM-DD（默认今天）")


class FindingOut(Schema):
    agrees: bool = Field(description="与记录一致")
    kind: str = Field(description="文字类别：任务进展 / 报告文字 / …")
    title: str = Field(description="所在文字，如 任务“招商引资”2023年7月进展")
    author: str
    in_report: bool = Field(description="报告是否引用该文字")
    sentence: str = Field(description="所在句子（原文）")
    label: str = Field(description="所述项目，如 签订协议项目")
    stated: str = Field(description="文字所写的数字，如5个")
    recorded: str = Field(description="记录中的数字，如4个")
    converted: str = Field(description="按文字所用单位换算的记录数字（单位不同时）")
    record_label: str = Field(description="记录是什么，如 招商协议（截至2023年7月31日签约）")


class CheckOut(Schema):
    campaign_id: int
    as_of: datetime.date
    narratives: int = Field(description="读取的文字篇数")
    disagreements: int = Field(description="与记录不一致的数字个数")
    findings: list[FindingOut] = Field(description="核对过的数字，不一致的在前")


def _finding(finding: Finding) -> dict:
    narrative = finding.narrative
    return {
        "agrees": finding.agrees, "kind": narrative.kind, "title": narrative.title,
        "author": narrative.author, "in_report": narrative.in_report,
        "sentence": finding.sentence, "label": finding.label, "stated": finding.stated,
        "recorded": finding.recorded, "converted": finding.converted,
        "record_label": finding.known.record_label,
    }  # fmt: skip


@router.get(
    "/report-check",
    response={200: CheckOut, **RECORD_ERRORS},
    summary="报告文字与记录的核对",
    url_name="report_check",
)
def report_check(request, query: Query[CheckQuery]):
    """The report page's check of the narrative against the records, as of a date: for
    whoever reads the report (403 otherwise, as the report page); a campaign whose report the
    caller does not read is 404; a malformed date is refused (422), not replaced by today."""
    known_only(request, CheckQuery)
    require_report_reader(request.user)
    try:
        parse_date(query.as_of)
    except BadValue as bad:
        raise refused({"as_of": [f"截至日期{bad}。"]}) from None
    form, _ = ReportForm.chosen(request.GET, user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    campaign, as_of = form.cleaned_data["campaign"], form.cleaned_data["as_of"]
    document = build_summary(campaign=campaign, as_of=as_of, options=form.options())
    checked = narrative_check(document=document, campaign=campaign, as_of=as_of)
    ordered = checked.disagreements + checked.agreements
    return {
        "campaign_id": campaign.pk,
        "as_of": as_of,
        "narratives": checked.narratives,
        "disagreements": len(checked.disagreements),
        "findings": [_finding(f) for f in ordered],
    }
