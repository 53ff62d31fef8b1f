"""Body fields an operation does not take are refused (422 naming each), not dropped, as the
query parameters are (params.known_only): Pydantic ignores them, so a client that sends back
a detail's names (`supporting_unit_ids`, `leader_id`, an exemplar's `unit_ids`) where the body
takes `supporting_units`, `leader`, `units` had the field's default saved — the task's
supporting units and leader cleared with a 200. Fields of nested objects (a milestone, an
exemplar) are checked against their own schema and named with their place
(`milestones.0.done_on`)."""

import typing

from pydantic import BaseModel

from shigan.core.params import shown

from .problems import Problem

# A body of many unknown fields is answered with the first ones, not with an answer as long.
MAX_NAMED = 20


def _model_in(annotation) -> type[BaseModel] | None:
    """The schema a field's value holds (itself, or as a list's items, or optional); None for
    a plain value or a mapping (whose keys are data, not field names)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) is dict:
        return None
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def unknown_fields(data, schema: type[BaseModel]) -> list[str]:
    """The dotted paths of `data`'s keys that `schema` (and its nested schemas) do not declare,
    sorted; walked without recursion (a body may nest as deep as the parser allows)."""
    found: list[str] = []
    stack = [((), data, schema)]
    while stack:
        path, node, model = stack.pop()
        if not isinstance(node, dict):
            continue
        fields = {}
        for name, field in model.model_fields.items():
            fields[name] = field
            if field.alias:
                fields[field.alias] = field
        for key, value in node.items():
            field = fields.get(key)
            if field is None:
                found.append(".".join((*path, str(key))))
                continue
            inner = _model_in(field.annotation)
            if inner is None:
                continue
            if isinstance(value, dict):
                stack.append(((*path, key), value, inner))
            elif isinstance(value, list):
                stack.extend(((*path, key, str(i)), item, inner) for i, item in enumerate(value))
    return sorted(found)


def known_fields_only(data, schema: type[BaseModel]) -> None:
    """422 naming every field of `data` that `schema` does not take."""
    unknown = unknown_fields(data, schema)
    if unknown:
        named = unknown[:MAX_NAMED]
        names = "、".join(f"“{shown(name)}”" for name in named)
        more = f"等{len(unknown)}个" if len(unknown) > MAX_NAMED else ""
        errors = [{"field": shown(name), "detail": "未知的字段"} for name in named]
        raise Problem(422, f"未知的字段：{names}{more}（字段名见接口文档）。", errors=errors)
