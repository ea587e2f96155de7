"""Member login: password and TOTP, then the private key is unwrapped and
held for the session as described in ``whistleblowing.session``."""

import base64

from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.exceptions import ApplicationError
from whistleblowing import ratelimit, session
from whistleblowing.exceptions import KeyLocked
from whistleblowing.forms import (
    MemberLoginForm,
    PasswordChangeForm,
    PasswordForm,
    RecoveryForm,
    RecoveryKeyConfirmForm,
    TotpConfirmForm,
)
from whistleblowing.roles import role_of
from whistleblowing.services import members
from whistleblowing.views.guards import RK_PENDING, channel_view, member_view


def _failed():
    return _("The user name, password or code is wrong.")


@channel_view
@require_http_methods(["GET", "POST"])
def login(request):
    user = request.user
    if user.is_authenticated and role_of(user) is None:
        raise PermissionDenied  # e.g. a superuser: no role here, ever
    form = MemberLoginForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not ratelimit.member_login_attempt(request, data["username"]):
            return render(request, "whistleblowing/committee/login.html",
                          {"form": MemberLoginForm(), "error": _failed()}, status=429)
        user = authenticate(request, username=data["username"], password=data["password"])
        response = _login(request, user, data) if user is not None and role_of(user) else None
        if response is not None:
            ratelimit.member_login_succeeded(data["username"])
            return response
        ratelimit.member_login_failed(data["username"])
        error = _failed()
        form = MemberLoginForm(initial={"username": data["username"]})
    return render(request, "whistleblowing/committee/login.html", {"form": form, "error": error})


def _login(request, user, data):
    devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    if not devices.exists():
        auth_login(request, user)
        return redirect("wb_committee:totp")
    device = next((d for d in devices if d.verify_token(data["otp_token"] or "")), None)
    if device is None:
        return None
    auth_login(request, user)
    otp_login(request, device)
    session.member_touch(request)
    holder = members.holder_for(user)
    if holder is None:
        return redirect("wb_committee:key")
    try:
        private_key = members.holder_unlock(holder=holder, password=data["password"])
    except KeyLocked:
        return redirect("wb_committee:recover")
    response = redirect("wb_committee:dashboard")
    session.member_session_start(request, response, private_key)
    return response


@channel_view
@require_http_methods(["GET", "POST"])
def totp(request):
    """First login: set up the authenticator app (TOTP is mandatory)."""
    user = request.user
    if not user.is_authenticated or role_of(user) is None:
        raise PermissionDenied
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("wb_committee:login")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="varde", confirmed=False)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            session.member_touch(request)
            return redirect("wb_committee:key")
        form.add_error("otp_token", _("The code is wrong. Check the time on your phone."))
    return render(request, "whistleblowing/committee/totp.html", {
        "form": form, "secret": base64.b32encode(device.bin_key).decode(),
        "config_url": device.config_url,
    })


@member_view(unlocked=False, enrolled=False)
@require_http_methods(["GET", "POST"])
def key(request):
    """Create the key pair (first time) or unlock it with the password."""
    holder = request.wb.holder
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"]
        try:
            if holder is None:
                holder, private_key, recovery_key = members.holder_enroll(
                    user=request.user, password=password
                )
                request.session[RK_PENDING] = True
                response = render(request, "whistleblowing/committee/recovery_key.html", {
                    "recovery_key": recovery_key, "form": RecoveryKeyConfirmForm(),
                })
            else:
                private_key = members.holder_unlock(holder=holder, password=password)
                response = redirect("wb_committee:dashboard")
        except KeyLocked:
            return redirect("wb_committee:recover")
        except ApplicationError:
            form.add_error("password", _("The password is wrong."))
        else:
            session.member_session_start(request, response, private_key)
            return response
    return render(request, "whistleblowing/committee/key.html", {
        "form": form, "enrolling": holder is None,
    })


@member_view(recovery_key_gate=False)
@require_http_methods(["GET", "POST"])
def recovery_key_confirm(request):
    """The new member types the printed recovery key back before going on."""
    form = RecoveryKeyConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if members.recovery_key_matches(holder=request.wb.holder,
                                        recovery_key=form.cleaned_data["recovery_key"]):
            request.session.pop(RK_PENDING, None)
            return redirect("wb_committee:dashboard")
        form.add_error("recovery_key", _("That is not your recovery key."))
    return render(request, "whistleblowing/committee/recovery_key_confirm.html", {"form": form})


@member_view(recovery_key_gate=False)
@require_POST
def recovery_key_renew(request):
    recovery_key = members.holder_recovery_key_renew(
        holder=request.wb.holder, private_key=request.wb.private_key
    )
    request.session[RK_PENDING] = True
    return render(request, "whistleblowing/committee/recovery_key.html", {
        "recovery_key": recovery_key, "form": RecoveryKeyConfirmForm(),
    })


@member_view(unlocked=False)
@require_http_methods(["GET", "POST"])
def recover(request):
    """After an administrator's password reset: recovery key + new password."""
    holder = request.wb.holder
    form = RecoveryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            private_key = members.holder_recover(
                holder=holder, recovery_key=form.cleaned_data["recovery_key"],
                new_password=form.cleaned_data["new_password"],
            )
        except ApplicationError as exc:
            form.add_error("recovery_key", exc.message)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, holder.user)
            response = redirect("wb_committee:dashboard")
            session.member_session_start(request, response, private_key)
            return response
    return render(request, "whistleblowing/committee/recover.html", {"form": form})


@member_view()
@require_http_methods(["GET", "POST"])
def password_change(request):
    holder = request.wb.holder
    form = PasswordChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            private_key = members.holder_password_change(
                holder=holder, old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ApplicationError:
            form.add_error("old_password", _("The password is wrong."))
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, holder.user)
            response = redirect("wb_committee:dashboard")
            session.member_session_start(request, response, private_key)
            return response
    return render(request, "whistleblowing/committee/password.html", {"form": form})


@require_POST
@member_view(unlocked=False, enrolled=False, recovery_key_gate=False)
def extend(request):
    """"Stay logged in" in the warning before the idle logout: member_view has
    started the idle time again. A session that already ended is sent to the
    login page by member_view instead."""
    return JsonResponse({"signed_in": True})


@channel_view
@require_POST
def logout(request):
    response = redirect("wb_committee:login")
    session.member_session_end(request, response)
    return response
