"""The REST API, version 1 (/api/v1/): django-ninja, every error problem+json (problems.py),
every caller a token or a session (auth.py). Each endpoint reads through its app's access
module and writes through its app's services, as the pages do."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import idempotency, problems
from .auth import ApiAuth
from .endpoints import (
    campaigns,
    chasing,
    directives,
    files,
    grassroots,
    indicators,
    investment,
    meetings,
    notices,
    orgs,
    pairing,
    practice,
    projects,
    promises,
    publicity,
    reception,
    reports,
    rollover,
    series,
    spot_checks,
    supervision,
    tasks,
    timebank,
    visits,
    workdays,
)
from .problems import CONTENT_TYPE


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese readable in curl's output


class ShiganAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """django-ninja's schema, with the errors documented as what they are:
        application/problem+json (problems.py), and the writes' Idempotency-Key header."""
        schema = idempotency.documented(super().get_openapi_schema(*args, **kwargs))
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        response["content"] = {CONTENT_TYPE: content["application/json"]}
        return schema


api = ShiganAPI(
    title="实干 Shigan API",
    version="1",
    description=(
        "令牌在“修改密码”页的“API令牌”中创建，请求时放在 Authorization: Bearer <令牌> 头中。"
        "错误均为 application/problem+json（title、detail 为中文，校验错误附 errors 列表）。"
        "POST、PUT、DELETE 可带 Idempotency-Key 头（建议用UUID）：重试时用同一键，返回首次的应答，不重复写入。"
    ),
    auth=ApiAuth(),
    renderer=Renderer(),
    urls_namespace="api:api-v1",  # nested in shigan.api.urls (app_name "api")
    docs_url=None,  # the interactive docs load scripts from a CDN, which the CSP forbids
)
problems.install(api)
idempotency.install(api)
api.add_router("", orgs.router)
api.add_router("", campaigns.router)
api.add_router("", tasks.router)
api.add_router("", indicators.router)
api.add_router("", projects.router)
api.add_router("", meetings.router)
api.add_router("", series.router)
api.add_router("", supervision.router)
api.add_router("", notices.router)
api.add_router("", files.router)
api.add_router("", directives.router)
api.add_router("", publicity.router)
api.add_router("", grassroots.router)
api.add_router("", visits.router)
api.add_router("", reception.router)
api.add_router("", investment.router)
api.add_router("", promises.router)
api.add_router("", pairing.router)
api.add_router("", practice.router)
api.add_router("", timebank.router)
api.add_router("", spot_checks.router)
api.add_router("", chasing.router)
api.add_router("", workdays.router)
api.add_router("", reports.router)
api.add_router("", rollover.router)
