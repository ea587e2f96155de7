"""Test 11 (audit) and the batch: events exist for open, grant and export,
with no content; the hash chain verifies and detects tampering. The batch
starts cases at slot times and tells members about reporter activity."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from notifications.models import Notification
from tests.whistleblowing.conftest import enroll, start_cases
from tests.whistleblowing.scan import database_hits
from whistleblowing.models import AuditEvent, BatchSchedule, Entry, Report
from whistleblowing.services import batch, grants, reporting
from whistleblowing.services import committee as work
from whistleblowing.services.audit import audit_verify

pytestmark = pytest.mark.django_db
CANARY = "CANARY-audit-31c9"


def test_audit_events_for_open_grant_and_export(committee, report_form):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report_form["what_happened"] = CANARY
    report = reporting.report_submit(
        data=report_form, uploads=[SimpleUploadedFile(f"{CANARY}.txt", CANARY.encode())]
    ).report
    anna = committee["anna"]
    work.case_open(holder=anna.holder, private_key=anna.private_key, report=report)
    grants.grant_access(granter=anna.holder, private_key=anna.private_key, report=report,
                        grantee=enroll("frida").holder)
    entry = Entry.objects.get(kind="attachment")
    _meta, chunks = work.attachment_export(holder=anna.holder, private_key=anna.private_key,
                                           report=report, entry_uuid=entry.uuid)
    assert b"".join(chunks) == CANARY.encode()
    actions = set(AuditEvent.objects.filter(report_uuid=str(report.uuid))
                  .values_list("action", flat=True))
    assert {"submitted", "opened", "granted", "exported"} <= actions
    assert database_hits(CANARY) == []
    assert audit_verify()


def test_the_hash_chain_detects_a_changed_or_deleted_row(committee, report_form):
    reporting.report_submit(data=report_form)
    reporting.report_submit(data=report_form)
    assert audit_verify()
    first = AuditEvent.objects.order_by("id").first()
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = %s WHERE id = %s", ["opened", first.pk])
    assert not audit_verify()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = %s WHERE id = %s",
                       [first.action, first.pk])
    assert audit_verify()
    middle = AuditEvent.objects.order_by("id")[1]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [middle.pk])
    assert not audit_verify()


def test_batch_starts_cases_at_slot_times_and_notifies_activity(committee, report_form,
                                                                settings):
    settings.VARDE_WB_BATCH_HOURS = 4
    oslo = ZoneInfo("Europe/Oslo")
    with time_machine.travel(datetime(2026, 5, 4, 13, 37, 12, tzinfo=oslo), tick=False):
        submission = reporting.report_submit(data=report_form)
        assert not Report.objects.filter(case__isnull=False).exists()
        slot = batch.batch_ensure_scheduled()
    assert slot == datetime(2026, 5, 4, 16, 0, tzinfo=oslo)
    assert BatchSchedule.objects.get().next_run == slot
    with time_machine.travel(slot, tick=False):
        result = batch.batch_run()
    assert result["started"] == 1
    report = Report.objects.get()
    assert report.case.created_at == slot  # the slot's time, not 13:37:12

    Notification.objects.all().delete()
    reporting.reporter_post(report_id=report.pk, text="An answer")
    assert not Notification.objects.exists()  # not at the time the reporter wrote
    assert batch.activity_notices_send() == 1
    users = set(Notification.objects.values_list("user__username", flat=True))
    assert users == {"anna", "bjorn", "cecilie", "dag"}
    assert submission.receipt


def test_next_slot():
    oslo = ZoneInfo("Europe/Oslo")
    assert batch.next_slot(datetime(2026, 5, 4, 23, 59, tzinfo=oslo)) == datetime(
        2026, 5, 5, 0, 0, tzinfo=oslo)
    assert batch.next_slot(datetime(2026, 5, 4, 4, 0, tzinfo=oslo)) == datetime(
        2026, 5, 4, 8, 0, tzinfo=oslo)


def test_dashboard_visit_starts_waiting_cases(committee, report_form, client):
    from django.urls import reverse

    from tests.whistleblowing.conftest import login_member

    reporting.report_submit(data=report_form)
    login_member(client, committee["anna"])
    page = client.get(reverse("wb_committee:dashboard"))
    report = Report.objects.get()
    assert report.case is not None
    assert report.case.reference.encode() in page.content
    assert start_cases() == 0


def test_seed_committee_demo_is_idempotent(wb_definitions, capsys):
    from django.core.management import call_command

    from whistleblowing.models import HolderRole, KeyHolder

    call_command("seed_committee_demo")
    first = capsys.readouterr().out
    assert first.count("recovery key") == 5
    call_command("seed_committee_demo")
    assert capsys.readouterr().out.count("(key exists)") == 5
    assert KeyHolder.objects.filter(role=HolderRole.COMMITTEE).count() == 4
    assert KeyHolder.objects.filter(role=HolderRole.DECISION_MAKER).count() == 1
