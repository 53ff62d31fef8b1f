"""The demo writes through the services and backdates behind them; its chain is rebuilt once
loaded, so a fresh demo verifies."""

import io

from django.core.management import call_command

from shigan.core.chain_verify import verify_all
from shigan.core.models import AuditEntry, ChainLink
from shigan.demo.district import load_demo


def test_a_fresh_demo_passes_audit_verify(db):
    load_demo()
    assert (
        ChainLink.objects.filter(record_type="core.auditentry").count()
        == AuditEntry.objects.count()
    )
    assert ChainLink.objects.filter(record_type="tasks.progressreport").exists()
    assert ChainLink.objects.filter(record_type="indicators.actual").exists()
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)  # exits 1 (SystemExit) on any finding
    assert "校验通过" in out.getvalue()
    assert list(verify_all()) == []
