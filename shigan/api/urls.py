"""/api/v1/ (the API; every answer of it problem+json when it is an error, 405 and unknown
addresses included) and the account's token pages."""

import functools

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from . import views, webhook_views
from .api import api
from .problems import problem_response

app_name = "api"


def _problem_405(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 405
            and response.get("Content-Type") != "application/problem+json"
        ):
            allowed = response.get("Allow", "")
            detail = f"该地址不支持{request.method}请求（可用：{allowed}）。"
            response = problem_response(405, detail, headers={"Allow": allowed})
        return response

    # The API authenticates itself (token or session, auth.py): no redirect to the login page.
    return login_not_required(csrf_exempt(wrapped))


@login_not_required
@csrf_exempt
def unknown(request, rest=""):
    return problem_response(404, f"没有这个接口地址：{request.path}")


def _api_patterns():
    patterns = api.urls[0]
    for pattern in patterns:
        # django-ninja's root (named for its reverse()) raises an HTML 404: answer a problem.
        view = unknown if pattern.name == "api-root" else pattern.callback
        pattern.callback = _problem_405(view)
    return patterns


urlpatterns = [
    path("v1/", include((_api_patterns(), "api-v1"))),
    re_path(r"^v1/(?P<rest>.*)$", unknown, name="unknown"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("webhooks/", webhook_views.webhook_list, name="webhooks"),
    path("webhooks/<int:pk>/", webhook_views.webhook_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/delete/", webhook_views.webhook_delete_view, name="webhook_delete"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        webhook_views.webhook_redeliver_view,
        name="webhook_redeliver",
    ),
]
