"""Query parameters the operation does not document are refused (422 naming them), not ignored:
a misspelt filter (?campain=3) would otherwise answer the unfiltered list as if it were the
filtered one. django-ninja reads only the declared names, so the check is made here."""

from ninja import Schema

from shigan.core.params import shown

from .problems import Problem


def known_only(request, query: type[Schema]) -> None:
    """422 when the request's query string holds a name `query` does not declare."""
    unknown = sorted(set(request.GET) - set(query.model_fields))
    if unknown:
        names = "、".join(f"“{shown(name)}”" for name in unknown)
        errors = [{"field": shown(name), "detail": "未知的查询参数"} for name in unknown]
        raise Problem(422, f"未知的查询参数：{names}。", errors=errors)
