"""The 回访 of a 办实事 item (a tasks.Task of origin 办实事事项): asked of the people it was
promised to before the item may be closed (办结销号)."""

from django.conf import settings
from django.db import models

from shigan.core.models import TimeStamped
from shigan.tasks.models import Task

from .concerns import Satisfaction


class PromiseFollowUp(TimeStamped):
    """The follow-up (回访) of one 办实事 item: when, what the people said, how satisfied they
    were, who asked. One per item (re-recording replaces it, audited); 办结销号 of the item is
    refused until it exists and evidence is filed (tasks.services.changes.completion_error)."""

    task = models.OneToOneField(
        Task, verbose_name="办实事事项", on_delete=models.CASCADE, related_name="promise_follow_up"
    )
    on = models.DateField("回访日期")
    result = models.TextField("回访情况")
    satisfaction = models.CharField("群众满意度", max_length=16, choices=Satisfaction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="回访人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "办实事回访"
        verbose_name_plural = "办实事回访"

    def __str__(self) -> str:
        return f"{self.task} 回访"
