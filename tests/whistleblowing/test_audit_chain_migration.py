"""The migration that splits the one audit chain into a chain per report:
rows written under 0001 verify afterwards, each report's history is its own
chain, and an open report without a deletion date gets one."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from whistleblowing.services.audit import GENESIS, _digest

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("whistleblowing", "0001_initial")]
# Through 0002 (the split) to the newest migration, so the schema is whole again.
AFTER = None


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes("whistleblowing")
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_one_chain_becomes_a_chain_per_report():
    old = _migrate(BEFORE)
    Event, Head, Report = (old.get_model("whistleblowing", name)
                           for name in ("AuditEvent", "AuditHead", "Report"))
    report = Report.objects.create(public_key=b"k", receipt_lookup="x" * 64, receipt_salt=b"s",
                                   receipt_kdf={}, sk_reporter=b"r",
                                   received_on=date(2026, 1, 5))
    previous = GENESIS
    for action, uuid in (("enrolled", ""), ("submitted", str(report.uuid)),
                         ("opened", str(report.uuid)), ("enrolled", "")):
        fields = {"on": "2026-01-05", "actor": "system", "action": action, "report": uuid,
                  "detail": ""}
        digest = _digest(previous, fields)
        Event.objects.create(on=date(2026, 1, 5), actor_label="system", action=action,
                             report_uuid=uuid, detail="", prev_hash=previous, hash=digest)
        previous = digest
    Head.objects.create(pk=1, hash=previous)

    _migrate(AFTER)
    from whistleblowing.models import AuditEvent, AuditHead
    from whistleblowing.models import Report as NewReport
    from whistleblowing.services.audit import audit_verify

    assert audit_verify()
    chain = list(AuditEvent.objects.filter(chain=str(report.uuid)).order_by("id"))
    assert [e.action for e in chain] == ["submitted", "opened"]
    assert chain[0].prev_hash == GENESIS
    assert AuditHead.objects.get(chain=str(report.uuid)).hash == chain[-1].hash
    assert AuditEvent.objects.filter(chain="").count() == 2
    assert NewReport.objects.get(pk=report.pk).purge_after == date(2028, 1, 5)
