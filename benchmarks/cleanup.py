"""Keep a generated data set as generated: remove what a measurement wrote."""


class Cleanup:
    """Deletes the progress reports and audit entries written while measuring."""

    def __enter__(self):
        from django.apps import apps
        from django.db.models import Max

        from shigan.core.models import AuditEntry
        from shigan.tasks.models import ProgressReport

        self.models = [ProgressReport, AuditEntry]
        if apps.is_installed("shigan.indicators"):
            self.models.append(apps.get_model("indicators", "Actual"))
        self.marks = {m: m.objects.aggregate(x=Max("id"))["x"] or 0 for m in self.models}
        return self

    def __exit__(self, *exc) -> None:
        for model in self.models:
            written = model.objects.filter(id__gt=self.marks[model])
            if hasattr(model, "corrects"):
                written.update(corrects=None)  # PROTECT would refuse deleting a chain at once
            written.delete()
