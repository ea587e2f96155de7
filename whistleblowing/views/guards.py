"""What every view of the channel wraps itself in.

* Headers: no caching, no referrer to other sites, a strict CSP, no framing.
  ("same-origin", not "no-referrer": with no-referrer browsers send
  ``Origin: null`` on form posts, which Django's CSRF check rightly refuses.)
* Error reports carry no request headers, cookies, POST data or local
  variables (which may hold decrypted text): ``ChannelExceptionFilter``.
* No pepper in production: the channel answers 503 instead of working with a
  guessable lookup key.
* Members: an account with a channel role (superusers never), a TOTP-verified
  session, idle timeout (warned before: varde/idle.py), and the private key
  unwrapped for this request only.
"""

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter
from django.views.decorators.debug import sensitive_post_parameters

from varde.idle import idle_logout_mark
from whistleblowing import conf, session
from whistleblowing.models import KeyHolder
from whistleblowing.roles import role_of

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
}


class ChannelExceptionFilter(SafeExceptionReporterFilter):
    """Error reports of channel views keep nothing the reporter or member sent."""

    def is_active(self, request):
        return True

    def get_safe_request_meta(self, request):
        return {}

    def get_safe_cookies(self, request):
        return {}

    def get_post_parameters(self, request):
        return {}

    def get_traceback_frame_variables(self, request, tb_frame):
        return []


def _headers(response):
    for name, value in SECURITY_HEADERS.items():
        response[name] = value
    return response


def channel_view(view):
    @sensitive_post_parameters()
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.exception_reporter_filter = ChannelExceptionFilter()
        try:
            conf.receipt_pepper()
        except conf.ChannelNotConfigured:
            return _headers(render(request, "whistleblowing/not_configured.html", status=503))
        return _headers(view(request, *args, **kwargs))

    return wrapper


def otp_verified(request) -> bool:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.models import Device

    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return bool(device and device.user_id == request.user.pk and device.confirmed)


@dataclass
class Member:
    holder: KeyHolder | None
    private_key: bytes | None
    role: str


RK_PENDING = "wb_rk_pending"


def member_view(*, roles: tuple = (), unlocked: bool = True, enrolled: bool = True,
                recovery_key_gate: bool = True):
    """Gate a member view; sets ``request.wb`` (a Member).

    A new member who has not typed the printed recovery key back yet is sent
    to that page first (``recovery_key_gate``).
    """

    def decorate(view):
        @channel_view
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect("wb_committee:login")
            role = role_of(user)
            if role is None or (roles and role not in roles):
                raise PermissionDenied
            if not otp_verified(request):
                return redirect("wb_committee:totp" if not _has_device(user)
                                else "wb_committee:login")
            if session.member_idle_expired(request):
                response = redirect("wb_committee:login")
                session.member_session_end(request, response)
                return response
            session.member_touch(request)
            idle_logout_mark(request, seconds=conf.MEMBER_IDLE_SECONDS,
                             extend_url=reverse("wb_committee:extend"),
                             login_url=reverse("wb_committee:login"))
            holder = KeyHolder.objects.filter(user=user).select_related("user").first()
            if enrolled and holder is None:
                return redirect("wb_committee:key")
            key = session.member_key(request) if holder is not None else None
            if unlocked and key is None:
                return redirect("wb_committee:key")
            if recovery_key_gate and request.session.get(RK_PENDING):
                return redirect("wb_committee:recovery_key_confirm")
            request.wb = Member(holder, key, role)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _has_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
