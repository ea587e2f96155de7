"""Test 8: the member key lifecycle. A password change keeps access; an
administrator's set_password lets the member log in but not decrypt until
the recovery key is entered; a wrong recovery key fails; the session row
never holds the private key."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.whistleblowing.conftest import login_member, totp_code, totp_device
from whistleblowing import crypto
from whistleblowing.exceptions import KeyLocked, RecoveryKeyWrong
from whistleblowing.services import members

pytestmark = pytest.mark.django_db


def test_password_change_keeps_access(committee):
    anna = committee["anna"]
    key = members.holder_password_change(holder=anna.holder, old_password=anna.password,
                                         new_password="a new Passw0rd!")
    assert key == anna.private_key
    anna.holder.refresh_from_db()
    assert members.holder_unlock(holder=anna.holder, password="a new Passw0rd!") == key
    with pytest.raises(KeyLocked):
        members.holder_unlock(holder=anna.holder, password=anna.password)


def test_admin_reset_needs_the_recovery_key(committee):
    anna = committee["anna"]
    anna.user.set_password("set by admin")  # what the Django admin does
    anna.user.save()
    client = Client()
    response = client.post(reverse("wb_committee:login"), {
        "username": "anna", "password": "set by admin",
        "otp_token": totp_code(totp_device(anna.user)),
    })
    assert response.status_code == 302 and response.url == reverse("wb_committee:recover")
    assert client.get(reverse("wb_committee:dashboard")).url == reverse("wb_committee:key")

    wrong = client.post(reverse("wb_committee:recover"), {
        "recovery_key": crypto_key_text(), "new_password": "Fresh passw0rd!",
        "new_password2": "Fresh passw0rd!",
    })
    assert wrong.status_code == 200 and b"does not unlock" in wrong.content
    with pytest.raises(RecoveryKeyWrong):
        members.holder_recover(holder=anna.holder, recovery_key=crypto_key_text(),
                               new_password="x")
    ok = client.post(reverse("wb_committee:recover"), {
        "recovery_key": anna.recovery_key.lower(), "new_password": "Fresh passw0rd!",
        "new_password2": "Fresh passw0rd!",
    })
    assert ok.status_code == 302 and ok.url == reverse("wb_committee:dashboard")
    assert client.get(reverse("wb_committee:dashboard")).status_code == 200
    anna.holder.refresh_from_db()
    assert members.holder_unlock(holder=anna.holder,
                                 password="Fresh passw0rd!") == anna.private_key


def crypto_key_text():
    from whistleblowing.keys import format_recovery_key

    return format_recovery_key(crypto.random_key())


def test_session_row_never_holds_the_private_key(committee):
    anna = committee["anna"]
    client = Client()
    login_member(client, anna)
    client.get(reverse("wb_committee:dashboard"))
    for session in Session.objects.all():
        raw = session.session_data.encode()
        decoded = str(session.get_decoded()).encode()
        for form in (anna.private_key, anna.private_key.hex().encode()):
            assert form not in raw and form not in decoded
    # Without the cookie the session alone unlocks nothing.
    del client.cookies["wbk"]
    assert client.get(reverse("wb_committee:dashboard")).url == reverse("wb_committee:key")


def test_first_login_enrolls_totp_and_key_and_confirms_the_recovery_key(committee):
    from tests.conftest import make_user
    from whistleblowing.roles import COMMITTEE

    make_user("newbie", roles=[COMMITTEE])
    client = Client()
    response = client.post(reverse("wb_committee:login"),
                           {"username": "newbie", "password": "pw-newbie"})
    assert response.url == reverse("wb_committee:totp")
    client.get(reverse("wb_committee:totp"))
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username="newbie")
    response = client.post(reverse("wb_committee:totp"), {"otp_token": totp_code(device)})
    assert response.url == reverse("wb_committee:key")
    page = client.post(reverse("wb_committee:key"), {"password": "pw-newbie"})
    import re

    recovery_key = re.search(rb'id="recovery-key">([A-Z2-7-]+)<', page.content).group(1)
    assert client.get(reverse("wb_committee:dashboard")).url == reverse(
        "wb_committee:recovery_key_confirm")
    wrong = client.post(reverse("wb_committee:recovery_key_confirm"), {"recovery_key": "X"})
    assert wrong.status_code == 200
    ok = client.post(reverse("wb_committee:recovery_key_confirm"),
                     {"recovery_key": recovery_key.decode()})
    assert ok.url == reverse("wb_committee:dashboard")
    assert client.get(reverse("wb_committee:dashboard")).status_code == 200


def test_login_without_the_totp_code_fails(committee):
    anna = committee["anna"]
    totp_device(anna.user)
    client = Client()
    response = client.post(reverse("wb_committee:login"),
                           {"username": "anna", "password": anna.password, "otp_token": "000000"})
    assert response.status_code == 200 and b"wrong" in response.content
    assert client.get(reverse("wb_committee:dashboard")).status_code == 302


def test_production_argon2_parameters(settings):
    """One run with the real cost: MODERATE for member keys (256 MiB)."""
    from whistleblowing.conf import MEMBER_KDF_DEFAULT, KdfParams
    from whistleblowing.keys import unwrap_with_password, wrap_new_keypair

    params = KdfParams.from_json(MEMBER_KDF_DEFAULT)
    assert params.mem == 256 * 1024 * 1024 and params.ops == 3
    wrapped, _recovery = wrap_new_keypair(user_id=1, password="pw", params=params)
    assert wrapped.kdf_params == MEMBER_KDF_DEFAULT
    assert len(unwrap_with_password(user_id=1, password="pw", salt=wrapped.kdf_salt,
                                    params=wrapped.kdf_params, sk_pw=wrapped.sk_pw)) == 32
