"""Test 7: a member without a grant cannot decrypt; an unlocked member's
grant lets a new member read *old* cases; revocation removes access; the
break-glass command re-wraps every case key for a new member."""

import pytest
from django.core.management import call_command

from tests.whistleblowing.conftest import enroll
from whistleblowing import crypto
from whistleblowing.exceptions import NoAccess
from whistleblowing.models import AuditEvent, CaseGrant
from whistleblowing.services import committee as work
from whistleblowing.services import grants, reporting

pytestmark = pytest.mark.django_db


def read_body(member, report):
    view = work.case_open(holder=member.holder, private_key=member.private_key, report=report)
    return view.body.data["what_happened"]


def test_new_member_reads_old_cases_only_after_a_grant(committee, report_form):
    old = reporting.report_submit(data=report_form).report
    newcomer = enroll("frida")
    with pytest.raises(NoAccess):
        read_body(newcomer, old)
    anna = committee["anna"]
    assert grants.grant_all(granter=anna.holder, private_key=anna.private_key,
                            grantee=newcomer.holder) == 1
    assert read_body(newcomer, old) == report_form["what_happened"]
    assert AuditEvent.objects.filter(action="granted", report_uuid=str(old.uuid)).exists()

    grants.revoke_access(actor=anna.holder, report=old, holder=newcomer.holder)
    with pytest.raises(NoAccess):
        read_body(newcomer, old)


def test_excluded_member_cannot_decrypt(committee, report_form):
    dag = committee["dag"]
    report = reporting.report_submit(data=report_form,
                                     excluded_holder_id=dag.holder.pk).report
    assert not CaseGrant.objects.filter(report=report, holder=dag.holder).exists()
    with pytest.raises(NoAccess):
        read_body(dag, report)
    assert read_body(committee["anna"], report) == report_form["what_happened"]


def test_a_member_without_a_grant_cannot_grant(committee, report_form):
    dag = committee["dag"]
    report = reporting.report_submit(data=report_form,
                                     excluded_holder_id=dag.holder.pk).report
    with pytest.raises(NoAccess):
        grants.grant_access(granter=dag.holder, private_key=dag.private_key, report=report,
                            grantee=dag.holder)


def test_breakglass_command_rewraps_every_case(committee, report_form, settings, tmp_path,
                                               capsys):
    public, private = crypto.generate_keypair()
    settings.VARDE_BREAKGLASS_PUBLIC_KEY = public.hex()
    first = reporting.report_submit(data=report_form).report
    second = reporting.report_submit(data=report_form).report
    newcomer = enroll("gunnar")
    key_file = tmp_path / "breakglass.key"
    key_file.write_text(private.hex())
    call_command("whistleblowing_breakglass", "grant", "--to", "gunnar",
                 "--private-key-file", str(key_file))
    assert "2" in capsys.readouterr().out
    assert read_body(newcomer, first) == report_form["what_happened"]
    assert read_body(newcomer, second) == report_form["what_happened"]


def test_breakglass_command_generates_a_key_pair(capsys):
    call_command("whistleblowing_breakglass", "generate")
    out = capsys.readouterr().out
    assert "VARDE_BREAKGLASS_PUBLIC_KEY=" in out
