"""The words the pages use for the same fact, written once (docs/style.md, 用语)."""


def days_left_words(days: int | None) -> str:
    """A deadline seen from today: “剩N天”, “今天到期” or “逾期N天” (no spaces, never 超期)."""
    if days is None:
        return "—"
    if days < 0:
        return f"逾期{-days}天"
    if days == 0:
        return "今天到期"
    return f"剩{days}天"


def milestone_days_words(days: int) -> str:
    """The next undone milestone seen from today: “节点剩N天”, “节点今天到期” or “节点逾期N天”."""
    return "节点" + days_left_words(days)


def no_progress_words(*, finished: bool) -> str:
    """A task with no progress report: “尚无进展” while one is awaited, “未填报进展” once the task
    is closed (办结 or 取消) and none will come."""
    return "未填报进展" if finished else "尚无进展"
