"""Keep a generated data set as generated: remove what a measurement wrote."""


class Cleanup:
    """Deletes the progress reports, audit entries and chain links written while measuring."""

    def __enter__(self):
        from django.apps import apps
        from django.db.models import Max

        from shigan.core.models import AuditEntry, ChainHead, ChainLink
        from shigan.tasks.models import ProgressReport

        self.models = [ProgressReport, AuditEntry]
        if apps.is_installed("shigan.indicators"):
            self.models.append(apps.get_model("indicators", "Actual"))
        self.models.append(ChainLink)
        self.marks = {m: m.objects.aggregate(x=Max("id"))["x"] or 0 for m in self.models}
        # The tamper-evident chain's heads go back to where they were, with the links cut off.
        self.heads = {h.district: (h.seq, h.hash) for h in ChainHead.objects.all()}
        return self

    def __exit__(self, *exc) -> None:
        from shigan.core.models import ChainHead

        for model in self.models:
            written = model.objects.filter(id__gt=self.marks[model])
            if hasattr(model, "corrects"):
                written.update(corrects=None)  # PROTECT would refuse deleting a chain at once
            written.delete()
        ChainHead.objects.exclude(district__in=self.heads).delete()
        for district, (seq, hash_) in self.heads.items():
            ChainHead.objects.filter(district=district).update(seq=seq, hash=hash_)
