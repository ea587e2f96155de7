"""Audit (issue 23): the committee's forms sent back with errors (here the
password change) lead with an error summary and link each error to its
field (aria-describedby, aria-invalid), as the other forms do."""

import pytest
from django.urls import reverse

from tests.forms.markup import error_wiring_problems
from tests.whistleblowing.conftest import login_member


def test_password_change_sent_back_links_every_error(client, committee):
    login_member(client, committee["anna"])
    response = client.post(reverse("wb_committee:password"), {
        "old_password": "", "new_password": "short", "new_password2": "other",
    }, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="field-error"' in html
    assert error_wiring_problems(html) == []


def test_report_sent_back_has_one_summary_for_the_report_and_its_extras(client, committee):
    response = client.post(reverse("whistleblowing:report"), {
        "where": "Kept text", "exclude_member": "999999",
    }, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="error-summary"') == 1
    assert 'href="#id_exclude_member"' in html and 'href="#id_what_happened"' in html
    assert error_wiring_problems(html) == []


@pytest.mark.parametrize("template, form_class, context", [
    ("whistleblowing/committee/key.html", "PasswordForm", {"enrolling": False}),
    ("whistleblowing/committee/totp.html", "TotpConfirmForm",
     {"secret": "ABC", "config_url": "otpauth://totp/x"}),
    ("whistleblowing/committee/recovery_key_confirm.html", "RecoveryKeyConfirmForm", {}),
])
def test_committee_sign_in_steps_link_their_error(rf, template, form_class, context):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from whistleblowing import forms

    request = rf.post("/komite/")
    request.user = AnonymousUser()
    form = getattr(forms, form_class)({})
    assert not form.is_valid()
    html = render_to_string(template, {"form": form, **context}, request=request)
    assert error_wiring_problems(html) == []
