"""提醒规则与日程: a campaign's reminder timing and schedules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from shigan.core import clock
from shigan.tasks.queries import campaign_choices

from ..access import (
    get_rules_campaign_for_user,
)
from ..forms import RuleForm
from ..models import RuleKind
from ..queries.schedules import campaign_schedule, rule_settings_history
from ..rules import RULE_DEFAULTS, rule_settings
from ..services.rules import rule_settings_save


def _rules_url(campaign) -> str:
    return f"{reverse('reminders:rule_settings')}?campaign={campaign.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def rule_settings_page(request):
    campaign = get_rules_campaign_for_user(request.user, request.GET.get("campaign"))
    if campaign is None:
        return render(request, "reminders/rule_settings.html", {"campaign": None})
    settings = rule_settings(campaign)
    data = request.POST if request.method == "POST" else None
    rule_forms = [RuleForm(data, kind=kind, setting=settings[kind]) for kind in RULE_DEFAULTS]
    errors: list[str] = []
    if data is not None and all([form.is_valid() for form in rule_forms]):
        values = {form.kind: form.values() for form in rule_forms}
        try:
            changed = rule_settings_save(campaign=campaign, by=request.user, values=values)
        except ValidationError as exc:
            errors = exc.messages
        else:
            names = "、".join(RuleKind(r.kind).label for r in changed)
            messages.success(request, f"已保存：{names}。" if changed else "设置没有变化。")
            return redirect(_rules_url(campaign))
    context = {
        "campaign": campaign,
        "campaigns": campaign_choices(request.user),
        "forms": rule_forms,
        "filing_form": next(f for f in rule_forms if f.kind == RuleKind.REPORT_MISSING),
        "errors": errors + [e for f in rule_forms for errs in f.errors.values() for e in errs],
        "schedule": campaign_schedule(request.user, campaign, clock.today()),
        "history": rule_settings_history(campaign),
    }
    return render(request, "reminders/rule_settings.html", context)
