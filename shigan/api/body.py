"""A write's JSON body, read after the access check: whoever may not write gets 404 or 403, as
on the pages, whatever he sent — django-ninja would validate a declared body first. The body's
schema is still documented in the OpenAPI schema (body_documented)."""

import json

from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from django.http.multipartparser import MultiPartParserError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from shigan.core.text import clean_text

from .problems import Problem
from .unknown import known_fields_only


class JsonNumber(float):
    """A JSON number with a fraction or an exponent, as float, keeping the text it was sent as
    (`raw`): a figure is read from that text by the project's number rule (number_text), not
    from the float, which turns 1e-999999 into 0.0 and 1e999 into infinity without a word."""

    raw: str

    def __new__(cls, raw: str):
        number = super().__new__(cls, raw)
        number.raw = raw
        return number


def number_text(value) -> str:
    """The text of a figure as the client sent it: a JSON number's own digits, a string as is."""
    return value.raw if isinstance(value, JsonNumber) else str(value)


def _inlined(node, defs: dict):
    """`node` with each reference to `defs` replaced by its definition; keys beside the
    reference (a field's description, default) kept over the definition's: pydantic writes an
    enum field as {"$ref": …, "description": …}, which left as is names a definition the
    OpenAPI document does not hold (schemathesis then made no body at all for the operation)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            return _inlined(defs[ref.removeprefix("#/$defs/")] | siblings, defs)
        return {k: _inlined(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inlined(v, defs) for v in node]
    return node


# Keys whose values are data (a field's default, its examples), not schemas to close.
_DATA_KEYS = frozenset({"default", "examples", "example", "const", "enum"})


def _closed(node):
    """`node` (an inlined JSON schema) with every object of declared fields — the body and each
    nested model (a milestone, an exemplar, a visit's concern) — saying
    `additionalProperties: false`, as the API answers them (unknown.known_fields_only: a field
    the operation does not take is refused, 422 naming it, not dropped). A mapping (its keys
    data, declared with additionalProperties of its own) is left as it is."""
    if isinstance(node, list):
        return [_closed(v) for v in node]
    if not isinstance(node, dict):
        return node
    closed = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            closed[key] = {name: _closed(field) for name, field in value.items()}
        elif key in _DATA_KEYS:
            closed[key] = value
        else:
            closed[key] = _closed(value)
    if isinstance(closed.get("properties"), dict) and closed.get("type", "object") == "object":
        closed.setdefault("additionalProperties", False)
    return closed


def body_documented(schema: type[BaseModel]) -> dict:
    """openapi_extra for an operation whose body is `schema` as JSON (nested models inlined,
    each object closed to the fields it declares: _closed)."""
    document = schema.model_json_schema()
    defs = document.pop("$defs", {})
    content = {"application/json": {"schema": _closed(_inlined(document, defs))}}
    return {"requestBody": {"content": content, "required": True}}


def _cleaned(data):
    """`data` with each text cleaned as a form field's (core.text.clean_text: whitespace and
    invisible characters at either end dropped, bidirectional controls and zero-width
    characters inside too), in place, walked without recursion."""
    if isinstance(data, str):
        return clean_text(data)
    stack = [data]
    while stack:
        node = stack.pop()
        keys = (
            node.keys()
            if isinstance(node, dict)
            else range(len(node))
            if isinstance(node, list)
            else ()
        )
        for key in keys:
            if isinstance(node[key], str):
                node[key] = clean_text(node[key])
            elif isinstance(node[key], dict | list):
                stack.append(node[key])
    return data


def _nul_fields(data) -> list[str]:
    """The fields (dotted paths) of `data` whose text holds a NUL character, walked without
    recursion (a parsed body may be nested nearly as deep as the parser allows)."""
    found, stack = [], [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                found.append(".".join(path) or "请求体")
        elif isinstance(node, dict):
            stack.extend(((*path, str(k)), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend(((*path, str(i)), v) for i, v in enumerate(node))
    return sorted(found)


def body_parsed(request, schema: type[BaseModel]):
    """The request's JSON body as `schema`: 400 when it is not JSON (or nested deeper than the
    parser goes) or not an object (an array or a lone value read as an object of no fields,
    every field 必填), 422 naming the fields in error when it does not fit or a text holds a NUL
    character (no database column stores one; the pages' forms refuse it too). Texts are
    cleaned as the forms clean them (a zero-width space alone is empty); a number with a
    fraction or an exponent keeps its text (JsonNumber)."""
    try:
        data = json.loads(request.body or b"null", parse_float=JsonNumber)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise Problem(400, "请求体不是有效的JSON。") from None
    if data is not None and not isinstance(data, dict):  # an array or a lone value
        raise Problem(400, "请求体应为JSON对象（{…}），不是数组或单个值。")
    return data_parsed(data, schema)


def data_parsed(data, schema: type[BaseModel]):
    """`data` (a parsed body: a dict, or None) as `schema`, by body_parsed's rules (NUL
    characters refused, texts cleaned, 422 naming the fields in error)."""
    nul = _nul_fields(data)
    if nul:
        errors = [{"field": field, "detail": "不能含空字符"} for field in nul]
        raise Problem(422, "；".join(f"{f}：不能含空字符" for f in nul), errors=errors)
    known_fields_only(data, schema)
    try:
        return schema.model_validate(_cleaned(data))
    except PydanticValidationError as error:
        errors = [dict(e, loc=("body", *e["loc"])) for e in error.errors()]
        raise NinjaValidationError(errors) from None


def multipart_parsed(request, schema: type[BaseModel], *, lists=(), objects=()):
    """A multipart/form-data body's fields (its files aside) as `schema`, the same fields as
    its JSON body: a field named in `lists` repeated for each value, one in `objects` (a list
    of objects) sent as JSON text, any other once; an empty value of an optional field is left
    out. 400 when the body does not parse; otherwise as data_parsed (422 naming the field)."""
    try:
        posted = request.POST
    except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent):
        raise Problem(400, "multipart/form-data 请求体无法解析。") from None
    data: dict = {}
    for name in posted:
        values = posted.getlist(name)
        if name in lists:
            data[name] = values
        elif name in objects:
            try:
                data[name] = json.loads(values[-1]) if values[-1].strip() else []
            except (ValueError, RecursionError):
                detail = f"{name} 应为JSON数组文本（[{{…}}, …]）。"
                raise Problem(422, detail, errors=[{"field": name, "detail": detail}]) from None
        else:
            field = schema.model_fields.get(name)
            if values[-1] == "" and field is not None and not field.is_required():
                continue
            data[name] = values[-1]
    return data_parsed(data, schema)
