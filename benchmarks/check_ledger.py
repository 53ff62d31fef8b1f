"""Check that a generated grassroots ledger and time bank obey the app's rules.

    python -m benchmarks.check_ledger --scale district [--postgres]

- every concern's actions replay through grassroots.steps (受理 first, then only the step
  check_step allows, none before it was received or after today), and the concern's step,
  satisfaction, reopened count, closing day and assigned unit are what they leave;
- every due date is the category's time limit in working days from the received day;
- every time bank transaction's entries sum to zero, no volunteer's balance is below zero, and
  every confirmed service record has its posting.

Prints the concerns by status and exits 1 on the first broken rule. Reads every concern (a
city takes a minute or two).
"""

import argparse
import collections
import datetime
import sys

from .env import add_shape_arguments, configure

TODAY = datetime.date(2023, 10, 31)


def _replay(concern) -> tuple:
    from shigan.grassroots import steps
    from shigan.grassroots.models import ConcernStep, Satisfaction

    actions = list(concern.actions.all())
    if not actions or actions[0].step != ConcernStep.ACCEPTED:
        raise AssertionError(f"{concern.number}: does not start with 受理")
    step, satisfaction, reopened, closed, unit = ConcernStep.ACCEPTED, "", 0, None, None
    for action in actions[1:]:
        steps.check_step(
            step, action.step, to_unit=action.to_unit_id, satisfaction=action.satisfaction
        )
        if not concern.received_on <= action.on <= TODAY:
            raise AssertionError(f"{concern.number}: {action.step} on {action.on}")
        step = steps.step_after(action.step, action.satisfaction)
        if action.step == ConcernStep.FOLLOWED_UP:
            satisfaction = action.satisfaction
            reopened += action.satisfaction == Satisfaction.UNSATISFIED
        closed = action.on if action.step == ConcernStep.CLOSED else closed
        unit = action.to_unit_id if action.step == ConcernStep.ASSIGNED else unit
    return step, satisfaction, reopened, closed, unit


def check_concerns() -> collections.Counter:
    from shigan.core.workdays import NATIONAL
    from shigan.grassroots import steps
    from shigan.grassroots.models import Concern

    found = collections.Counter()
    concerns = Concern.objects.select_related("category").prefetch_related("actions")
    for concern in concerns.order_by("id").iterator(chunk_size=2000):
        stored = (concern.step, concern.satisfaction, concern.reopened, concern.closed_on,
                  concern.assigned_unit_id)  # fmt: skip
        if _replay(concern) != stored:
            raise AssertionError(f"{concern.number}: {stored} is not what its steps leave")
        limit = concern.category.time_limit_workdays
        if concern.due_on != NATIONAL.add_workdays(concern.received_on, limit):
            raise AssertionError(f"{concern.number}: due {concern.due_on}")
        status = steps.concern_status(
            due_on=concern.due_on, closed_on=concern.closed_on, today=TODAY, calendar=NATIONAL
        )
        found[status.label] += 1
        found["重新办理过"] += concern.reopened > 0
    return found


def check_timebank() -> None:
    from django.db.models import Sum

    from shigan.timebank.models import Account, AccountKind, ServiceRecord, Transaction

    unbalanced = Transaction.objects.annotate(total=Sum("entries__amount")).exclude(total=0)
    if unbalanced.exists():
        raise AssertionError(f"{unbalanced.count()} unbalanced transactions")
    volunteers = Account.objects.filter(kind=AccountKind.VOLUNTEER)
    negative = volunteers.annotate(balance=Sum("entries__amount")).filter(balance__lt=0)
    if negative.exists():
        raise AssertionError(f"{negative.count()} volunteers below zero")
    unposted = ServiceRecord.objects.filter(state="confirmed", transaction__isnull=True)
    if unposted.exists():
        raise AssertionError(f"{unposted.count()} confirmed records without a posting")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.check_ledger", description=__doc__)
    add_shape_arguments(parser)
    configure(parser.parse_args(argv))
    try:
        counts = check_concerns()
        check_timebank()
    except AssertionError as error:
        print(f"不符合规则：{error}")
        return 1
    print("诉求：" + "，".join(f"{label} {n:,}" for label, n in counts.items()))
    print("时间银行：每笔记账借贷平衡，志愿者余额均不为负，已确认服务均已记账。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
