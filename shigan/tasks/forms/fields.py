"""Reading posted ids with core.params, the one parser of ids, dates and months."""

from shigan.core import params


def posted_id(raw: str | None) -> tuple[int | None, str]:
    """A posted record id (such as the report a card last saw): (id or None, Chinese problem)."""
    try:
        return params.parse_id(raw), ""
    except params.BadValue as bad:
        return None, f"提交的数据有误：{bad}，请刷新页面后重新填写。"
