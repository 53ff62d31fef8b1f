"""Every error of the API as `application/problem+json` (RFC 9457): `status`, a Chinese `title`
and `detail`, and for invalid input `errors: [{field, detail}]`, the field named as the client
sent it (a query parameter, a path parameter or a key of the JSON body)."""

import json
import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

CONTENT_TYPE = "application/problem+json"
logger = logging.getLogger("shigan.api")

TITLES = {
    400: "请求有误",
    401: "未登录或令牌无效",
    403: "无权操作",
    404: "不存在或无权查看",
    405: "不支持该请求方法",
    413: "请求体过大",
    422: "数据未通过校验",
    429: "请求过于频繁",
    500: "服务器内部错误",
}


_DEFAULT = {
    400: "请求无法解析，请检查请求体（JSON）与参数。",
    401: "请登录，或在 Authorization 头中提供有效的令牌（Bearer）。",
    403: "无权进行该操作。",
    404: "所请求的记录不存在或无权查看。",
    405: "该地址不支持此请求方法。",
    413: "请求体过大。",
    422: "数据未通过校验。",
    429: "请求过于频繁，请稍后再试。",
}


class Problem(Exception):
    """An error answered as it is: status, detail, optional field errors and headers."""

    def __init__(self, status: int, detail: str, *, errors=None, headers=None) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail
        self.errors, self.headers = errors, headers or {}


def entry_refused(problems, names: dict[str, str]) -> Problem:
    """A service's refusal of one entry (its problems, each with a field and a message) as a 422
    naming the API's fields (`names`: the service's field → the body's)."""
    errors = [{"field": names.get(p.field, p.field), "detail": p.message} for p in problems]
    return Problem(422, "；".join(e["detail"] for e in errors), errors=errors)


def problem_response(
    status: int, detail: str, *, errors: list[dict] | None = None, headers: dict | None = None
) -> HttpResponse:
    body = {"type": "about:blank", "title": TITLES.get(status, TITLES[400])}
    body |= {"status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# A body's `version` is always the edited record's edit version (schemas.Version).
VERSION_MISSING = "请提供读取时返回的version（防止覆盖他人的修改）"


def _message(error: dict) -> str:
    """A Chinese message for one of pydantic's errors (its `type` and `ctx`)."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        loc = error.get("loc") or ()
        return VERSION_MISSING if loc and loc[0] == "body" and loc[-1] == "version" else "必填"
    if kind.startswith("int_") or kind == "int_type":
        return "应为整数"
    if kind in {"less_than_equal", "less_than"}:
        return f"不能大于{ctx.get('le', ctx.get('lt'))}"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"不能小于{ctx.get('ge', ctx.get('gt'))}"
    if kind.startswith("date"):
        return "应为日期（YYYY-MM-DD）"
    if kind in {"string_too_long"}:
        return f"不能超过{ctx.get('max_length')}个字符"
    if kind in {"string_too_short"}:
        return "不能为空"
    if kind in {"enum", "literal_error"}:  # pydantic's "'a', 'b' or 'c'" as a Chinese list
        expected = str(ctx.get("expected", "")).replace(" or ", ", ").replace("'", "")
        return f"取值应为{'、'.join(part.strip() for part in expected.split(','))}之一"
    if kind == "value_error" and ctx.get("error") is not None:  # a validator's own message
        return str(ctx["error"])
    if kind.startswith("json"):
        return "请求体不是有效的JSON"
    if kind in {"model_attributes_type", "dict_type", "model_type"}:
        return "应为JSON对象"
    if kind in {"list_type"}:
        return "应为列表"
    if kind == "too_long":  # a list (or object) with more items than allowed
        return f"最多{ctx.get('max_length')}项"
    if kind == "too_short":
        return f"至少{ctx.get('min_length')}项"
    return "取值无效"


def _field(loc) -> str:
    """The field as the client named it: the location's parts after query/path/body and the
    schema's own argument name."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"query", "path", "body", "header", "cookie"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "filters", "body"}:
        parts = parts[1:]
    return ".".join(parts) or "请求体"


def field_errors(errors: list[dict]) -> list[dict]:
    return [{"field": _field(e.get("loc", ())), "detail": _message(e)} for e in errors]


def _detail(errors: list[dict]) -> str:
    return "；".join(f"{e['field']}：{e['detail']}" for e in errors)


def install(api) -> None:
    """Replace django-ninja's exception handlers: every error is problem+json."""

    @api.exception_handler(Problem)
    def on_problem(request, exc: Problem):
        return problem_response(exc.status, exc.detail, errors=exc.errors, headers=exc.headers)

    @api.exception_handler(NinjaValidationError)
    def on_invalid(request, exc: NinjaValidationError):
        errors = field_errors(exc.errors)
        return problem_response(422, _detail(errors), errors=errors)

    @api.exception_handler(DjangoValidationError)
    def on_refused(request, exc: DjangoValidationError):
        # A service's refusal: the rules of the page, in its words.
        field = getattr(exc, "api_field", None) or "请求体"
        errors = [{"field": field, "detail": message} for message in exc.messages]
        return problem_response(422, "；".join(exc.messages), errors=errors)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc):
        detail = "请登录，或在 Authorization 头中提供有效的令牌（Bearer）。"
        return problem_response(401, detail, headers={"WWW-Authenticate": 'Bearer realm="shigan"'})

    @api.exception_handler(AuthorizationError)
    @api.exception_handler(PermissionDenied)
    def on_forbidden(request, exc):
        detail = str(exc) if str(exc) and str(exc) != "Forbidden" else "无权进行该操作。"
        return problem_response(403, detail)

    @api.exception_handler(Http404)
    def on_missing(request, exc):
        detail = str(exc) if str(exc) else "所请求的记录不存在或无权查看。"
        return problem_response(404, detail)

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request, exc):
        return problem_response(413, "请求体过大。")

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        # django-ninja's own messages are English (an unparsable body, a CSRF refusal).
        message = str(exc)
        chinese = any("\u4e00" <= ch <= "\u9fff" for ch in message)
        default = _DEFAULT.get(exc.status_code, _DEFAULT[400])
        return problem_response(exc.status_code, message if chinese else default)

    @api.exception_handler(Exception)
    def on_crash(request, exc):
        logger.exception("API error on %s %s", request.method, request.path)
        return problem_response(500, "服务器处理请求时出错，请稍后再试或联系管理员。")
