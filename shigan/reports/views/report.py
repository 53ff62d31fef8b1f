"""The report page (preview with traceable figures, downloads) and the narrative form.

Who may do what (reports.access): the report is the district's document — coordinators,
inspectors and the campaign's leading-group members read it, in every format (it states every
unit's figures); anyone else is refused (403). Only coordinators write its narrative.
"""

import tempfile
from pathlib import Path
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from shigan.campaigns.access import campaign_for_user, campaigns_visible_to
from shigan.campaigns.models import Campaign
from shigan.campaigns.queries import campaigns_current_first, mixes_levels
from shigan.core.editing import EditConflict
from shigan.tasks.models import Task, TaskOrigin

from ..access import (
    can_write_narrative,
    links_openable_by,
    require_own_narrative,
    require_report_reader,
)
from ..compose import BLOCKS, build_summary
from ..forms import (
    NARRATIVE_BODY_MAX_CHARS,
    NARRATIVE_TITLE_MAX_CHARS,
    NarrativeForm,
    ReportForm,
    period_or_default,
    period_problem,
)
from ..narrative_check import NarrativeCheck, narrative_check
from ..queries import narrative_current, narrative_history, narrative_version
from ..render.html import STYLE, render_fragment
from ..services import narrative_save, narrative_slots_since
from ..writers import CONTENT_TYPES, FORMATS, RendererMissing, write_report


def _require_writer(user) -> None:
    if not can_write_narrative(user):
        raise PermissionDenied("只有专班可以撰写报告文字。")


@login_required
@require_GET
def report_page(request):
    """Choose campaign, date and options; the preview shows every figure's sources, linked to
    the pages this user may open."""
    require_report_reader(request.user)
    form, as_of_error = ReportForm.chosen(request.GET, user=request.user)
    no_campaign = not form.data["campaign"]
    if no_campaign:  # none to report on yet: the form unbound, nothing 必填 before a choice
        form = ReportForm(initial=form.data, user=request.user)
    context = {
        "form": form,
        "no_campaign": no_campaign,
        "as_of_error": as_of_error,
        "formats": FORMATS,
        "may_write": can_write_narrative(request.user),
        "report_style": mark_safe(STYLE),
    }
    if form.is_valid():
        options = form.options()
        campaign, as_of = form.cleaned_data["campaign"], form.cleaned_data["as_of"]
        document = build_summary(campaign=campaign, as_of=as_of, options=options)
        checked = narrative_check(document=document, campaign=campaign, as_of=as_of)
        urls = [s.url for fig in document.figures for s in fig.sources]
        openable = links_openable_by(request.user, urls + _check_urls(checked))
        preview = render_fragment(
            document, appendix=options.appendix, may_open=openable.__contains__
        )
        context |= {
            "document": document,
            "preview": preview,
            "query": _query(form),
            "figure_count": len(document.figures),
            "checked": checked,
            "openable": openable,
        }
    return render(request, "reports/report_page.html", context)


def _check_urls(checked: NarrativeCheck) -> list[str]:
    """The narratives' and records' pages the narrative check links to."""
    return [u for f in checked.findings for u in (f.narrative.url, f.known.url)]


def _query(form: ReportForm) -> str:
    """The chosen campaign, date and options as a query string, for the download links."""
    data = form.cleaned_data
    query = {"campaign": data["campaign"].pk, "as_of": data["as_of"].isoformat()}
    query["percent"] = data.get("percent") or "％"
    if data.get("appendix"):
        query["appendix"] = "on"
    return urlencode(query)


def _filename(document, fmt: str) -> str:
    return f"{document.title}（截至{document.as_of:%Y-%m-%d}）.{fmt}"


@login_required
@require_GET
def report_download(request, fmt: str):
    """The report as a file: html, md, txt, docx or pdf."""
    require_report_reader(request.user)
    if fmt not in FORMATS:
        raise Http404("不支持的格式。")
    form, as_of_error = ReportForm.chosen(request.GET, user=request.user)
    if as_of_error or not form.is_valid():
        messages.error(request, as_of_error or "请先选择活动和截至日期。")
        return redirect("reports:report_page")
    options = form.options()
    document = build_summary(
        campaign=form.cleaned_data["campaign"], as_of=form.cleaned_data["as_of"], options=options
    )
    with tempfile.TemporaryDirectory(prefix="shigan-report-") as folder:
        path = Path(folder) / f"report.{fmt}"
        try:
            write_report(document, path, fmt=fmt, appendix=options.appendix)
        except RendererMissing as exc:
            messages.error(request, str(exc))
            return redirect(f"{reverse('reports:report_page')}?{request.GET.urlencode()}")
        content = path.read_bytes()
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = _filename(document, fmt)
    response["Content-Disposition"] = (
        f"attachment; filename=\"report.{fmt}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


def _campaign(request) -> Campaign:
    chosen = campaign_for_user(request.user, request.GET.get("campaign"))
    if chosen is None:
        raise Http404("还没有活动。")
    return chosen


def _narrative_form(request, campaign: Campaign, period) -> NarrativeForm:
    tasks = Task.objects.filter(campaign=campaign, origin=TaskOrigin.LIST)
    return NarrativeForm(
        request.POST or None,
        campaign=campaign,
        current=narrative_current(campaign, period),
        tasks=list(tasks.order_by("category__sort_order", "number", "id")),
        period=period,
        version=narrative_version(campaign),
    )


def _save(request, form: NarrativeForm, campaign: Campaign, period) -> bool:
    """Save the form's changes; False (with the errors on the form) when refused."""
    try:
        written = narrative_save(
            campaign=campaign,
            period=period,
            entries=form.entries(),
            by=request.user,
            note=form.cleaned_data["note"],
            version=form.seen_version(),
        )
    except EditConflict as exc:
        # Someone saved the campaign's words since this page was shown: nothing written, the
        # user's text kept, the other's current text shown under the fields it touched.
        form.add_error(None, exc)
        seen = form.seen_version() or 0
        form.refused_as_stale(narrative_version(campaign), narrative_slots_since(campaign, seen))
        return False
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, f"已保存{len(written)}处修改，之前的版本已保留。")
    return True


@login_required
@require_http_methods(["GET", "POST"])
def narrative_edit(request):
    """Every narrative slot of a campaign for a month, with the history of changes."""
    _require_writer(request.user)
    campaign = _campaign(request)
    raw_period = request.GET.get("period")
    period, period_error = period_or_default(raw_period, campaign)
    if request.method == "POST":
        require_own_narrative(request.user, campaign)
    refused = request.method == "POST" and period_problem(raw_period, campaign)
    if period_error and not refused:
        messages.warning(request, period_error)
    form = _narrative_form(request, campaign, period)
    if refused:
        # A write is never retargeted to another month: refused, nothing written.
        form.is_valid()
        form.add_error(None, f"{refused}。未保存任何修改。")
    elif request.method == "POST" and form.is_valid() and _save(request, form, campaign, period):
        url = reverse("reports:narrative_edit")
        return redirect(f"{url}?campaign={campaign.pk}&period={period:%Y-%m}")
    campaigns = list(
        campaigns_current_first(campaigns_visible_to(request.user, Campaign.objects.all()))
    )
    context = {
        "campaign": campaign,
        "campaigns": campaigns,
        "campaigns_mixed": mixes_levels(campaigns),
        "period": period,
        "period_refused": bool(refused),
        "form": form,
        "history": narrative_history(campaign),
        "block_names": list(BLOCKS),
        "body_max": NARRATIVE_BODY_MAX_CHARS,
        "title_max": NARRATIVE_TITLE_MAX_CHARS,
    }
    return render(request, "reports/narrative_form.html", context, status=400 if refused else 200)
