"""Recording media reports (宣传报道), refusing duplicates."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.audit import audit_record, diff, snapshot
from shigan.core.models import AuditAction
from shigan.tasks.models import Task

from .models import MediaLevel, MediaReport, link_key, text_key


def duplicate_error(
    *, campaign: Campaign, title: str, outlet: str, link: str = "", exclude: int | None = None
) -> str | None:
    """Why a report of `campaign` with this title, outlet and link would be a duplicate (of a
    report of the campaign other than `exclude`, the one being corrected), or None."""
    others = MediaReport.objects.filter(campaign=campaign).exclude(pk=exclude)
    key = link_key(link)
    if key:
        same_link = others.filter(link_key=key).first()
        if same_link is not None:
            return (
                f"该链接已登记为{same_link.date:%Y-%m-%d} {same_link.outlet}"
                f"《{same_link.title}》，请勿重复登记。"
            )
    same_title = others.filter(outlet_key=text_key(outlet), title_key=text_key(title)).first()
    if same_title is not None:
        return (
            f"{same_title.outlet}《{same_title.title}》已于{same_title.date:%Y-%m-%d}登记，"
            "请勿重复登记。"
        )
    return None


def _errors(title: str, outlet: str, level: str, date, link: str) -> dict:
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "请填写报道标题。"
    if not outlet:
        errors["outlet"] = "请填写发表媒体。"
    if level not in MediaLevel.values:
        errors["level"] = "请选择媒体级别。"
    if date is None:
        errors["date"] = "请填写发表日期。"
    elif date > clock.today():  # a report is registered once it has appeared
        errors["date"] = f"发表日期{date:%Y-%m-%d}晚于今天，报道见报后再登记。"
    if link:
        try:
            URLValidator()(link)
        except ValidationError:
            errors["link"] = "链接格式不正确，请填写以 http:// 或 https:// 开头的完整网址。"
    return errors


def _report_errors(campaign, title, outlet, level, date, link, task) -> dict:
    errors = _errors(title, outlet, level, date, link)
    if task is not None and task.campaign_id != campaign.pk:
        errors["task"] = f"任务“{task.title}”不属于{campaign}。"
    return errors


@transaction.atomic
def media_report_record(
    *,
    campaign: Campaign,
    title: str,
    outlet: str,
    level: str,
    date: datetime.date,
    by,
    link: str = "",
    task: Task | None = None,
    activity: str = "",
) -> MediaReport:
    """Record a media report, audited.

    Raises ValidationError and saves nothing when a field is missing, the task belongs to another
    campaign, or the report duplicates one already recorded (same link, or same title and outlet
    ignoring case, width and spaces).
    """
    title, outlet, link, activity = title.strip(), outlet.strip(), link.strip(), activity.strip()
    errors = _report_errors(campaign, title, outlet, level, date, link, task)
    if errors:
        raise ValidationError(errors)
    if problem := duplicate_error(campaign=campaign, title=title, outlet=outlet, link=link):
        raise ValidationError(problem)
    report = MediaReport(
        campaign=campaign,
        title=title,
        outlet=outlet,
        level=level,
        date=date,
        link=link,
        task=task,
        activity=activity,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Two people recording the same report at once: the unique keys decide.
        raise ValidationError("该报道刚刚已被他人登记，请勿重复登记。") from None
    audit_record(actor=by, obj=report, action=AuditAction.CREATE, task_id=task.pk if task else None)
    return report


@transaction.atomic
def media_report_correct(
    *,
    report: MediaReport,
    by,
    reason: str,
    campaign: Campaign,
    title: str,
    outlet: str,
    level: str,
    date: datetime.date,
    link: str = "",
    task: Task | None = None,
    activity: str = "",
) -> MediaReport:
    """Correct a media report after entry, with a reason: one transaction, audited with
    before/after and the reason as the note.

    The rules of entry hold: raises ValidationError and saves nothing when the reason or a field
    is missing, the task belongs to another campaign, the corrected report would duplicate
    another one (same link, or same title and outlet; the message names it), or nothing changes.
    """
    report = MediaReport.objects.select_for_update().get(pk=report.pk)
    title, outlet, link, activity = title.strip(), outlet.strip(), link.strip(), activity.strip()
    reason = reason.strip()
    errors = _report_errors(campaign, title, outlet, level, date, link, task)
    if not reason:
        errors["reason"] = "请填写更正原因。"
    if errors:
        raise ValidationError(errors)
    if problem := duplicate_error(
        campaign=campaign, title=title, outlet=outlet, link=link, exclude=report.pk
    ):
        raise ValidationError(problem)
    before = snapshot(report)
    report.campaign, report.title, report.outlet, report.level = campaign, title, outlet, level
    report.date, report.link, report.task, report.activity = date, link, task, activity
    if not diff(before, snapshot(report)):
        raise ValidationError("没有修改任何内容，无需更正。")
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError("刚刚有人登记了相同的报道，请核对后再更正。") from None
    audit_record(
        actor=by,
        obj=report,
        action=AuditAction.UPDATE,
        before=before,
        note=f"更正原因：{reason}",
        task_id=report.task_id,
    )
    return report
