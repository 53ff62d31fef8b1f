"""API令牌: an account's own tokens — the list, creating one (its value shown once, on the
answer to the form), revoking one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .access import can_hold_tokens, get_token_for_user, tokens_of
from .forms import TokenCreateForm
from .services import token_create, token_revoke


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    if not can_hold_tokens(request.user):
        raise PermissionDenied("没有角色的账号不能创建API令牌。")
    posted = request.method == "POST"
    form = TokenCreateForm(request.POST if posted else None)
    created = raw = None
    if posted and form.is_valid():
        try:
            created, raw = token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            form = TokenCreateForm()
    context = {"form": form, "tokens": tokens_of(request.user), "created": created, "raw": raw}
    return render(request, "api/token_list.html", context, status=200)


@login_required
@require_POST
def token_revoke_view(request, pk):
    token = get_token_for_user(request.user, pk)
    token_revoke(token=token, by=request.user)
    messages.success(request, f"令牌“{token.name}”已撤销。")
    return redirect("api:tokens")
