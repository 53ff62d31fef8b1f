"""{% api_token_section %}: the account's 「API令牌」 section, on its own page (修改密码)."""

from django import template

from ..access import can_hold_tokens, tokens_of
from ..forms import TokenCreateForm

register = template.Library()


@register.inclusion_tag("api/_token_section.html", takes_context=True)
def api_token_section(context):
    user = context["request"].user
    if not can_hold_tokens(user):
        return {"hidden": True}
    return {
        "tokens": tokens_of(user),
        "form": TokenCreateForm(),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
