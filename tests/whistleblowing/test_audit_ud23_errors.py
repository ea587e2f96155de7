"""Audit (issue 23): the committee's forms sent back with errors (here the
password change) lead with an error summary and link each error to its
field (aria-describedby, aria-invalid), as the other forms do."""

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
