"""A write's body through the page's own form: the same choices (a campaign, unit or person of
the caller's own level, campaigns.access.narrow_choices), the same parsing and the same Chinese
messages, so the API does not keep a second copy of the rules. The body is first read as its
documented schema (body.body_parsed), then given to the form as the page would post it; the
form's and the service's refusals are 422 problems naming the body's fields (the forms' field
names are the body's)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.datastructures import MultiValueDict
from pydantic import BaseModel

from shigan.core.editing import EditConflict

from .problems import Problem

WHOLE = "请求体"


def form_data(payload: BaseModel, **extra) -> MultiValueDict:
    """`payload` as a form posts it: text values, a list as repeated values, null left out."""
    data = MultiValueDict()
    for name, value in (payload.model_dump(mode="json") | extra).items():
        if value is None:
            continue
        if isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        elif isinstance(value, bool):
            data[name] = "on" if value else ""
        else:
            data[name] = str(value)
    return data


def refused(errors: dict[str, list[str]], fields: dict[str, str] | None = None) -> Problem:
    """A 422 problem from messages keyed by field (a form's errors, a service's message_dict);
    `fields` renames a key to the body's name, NON_FIELD_ERRORS is the whole body."""
    fields = {NON_FIELD_ERRORS: WHOLE} | (fields or {})
    found = [
        {"field": fields.get(key, key), "detail": str(message)}
        for key, messages in errors.items()
        for message in messages
    ]
    return Problem(422, joined([e["detail"] for e in found]), errors=found)


def joined(messages: list[str]) -> str:
    """Messages as one detail: “甲。；乙。” reads as “甲；乙。” (each message its own sentence)."""
    if len(messages) < 2:
        return "".join(messages)
    ends = messages[-1].endswith("。")
    text = "；".join(m.removesuffix("。") for m in messages)
    return text + "。" if ends else text


def form_refused(form, fields: dict[str, str] | None = None) -> Problem:
    return refused(form.errors, fields)


# An edit conflict's message is the page's (core.editing.conflict_message): it speaks of the
# page the user opened and of his input kept below the form; an API client has neither.
_PAGE_WORDS = (
    ("您打开此页后，", "您读取该记录后，"),
    (
        "下面保留了您填写的内容，请与当前内容核对后再提交。",
        "请重新读取详情（新的version），核对后再提交。",
    ),
)


def _for_the_api(message: str) -> str:
    for page, api in _PAGE_WORDS:
        message = message.replace(page, api)
    return message


def service_refused(error: ValidationError, fields: dict[str, str] | None = None) -> Problem:
    """A service's ValidationError: keyed messages on their fields, plain ones on the body
    (an edit conflict's in the API's words, not the page's)."""
    if isinstance(error, EditConflict):
        error = ValidationError(
            {k: [_for_the_api(m) for m in v] for k, v in error.message_dict.items()}
        )
    if hasattr(error, "error_dict"):
        return refused(error.message_dict, fields)
    return refused({NON_FIELD_ERRORS: error.messages}, fields)
