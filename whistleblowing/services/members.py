"""Key holders: enrolment, unlocking at login, password change and recovery.

An administrator can set a member's password, but that unwraps nothing:
only the old password or the printed recovery key opens the private key.
"""

from django.db import transaction
from django.utils import timezone

from cases.exceptions import ApplicationError, NotAllowed
from whistleblowing import crypto, keys
from whistleblowing.conf import member_kdf
from whistleblowing.exceptions import KeyLocked, RecoveryKeyWrong
from whistleblowing.models import HolderRole, KeyHolder
from whistleblowing.roles import role_of
from whistleblowing.services.audit import audit_append


def holder_for(user) -> KeyHolder | None:
    if not user.is_authenticated:
        return None
    return KeyHolder.objects.filter(user=user).select_related("user").first()


def active_holders(role: str):
    """Holders whose accounts may act in the channel now (active, in the
    role's group, not superusers)."""
    from whistleblowing.roles import COMMITTEE, DECISION_MAKER

    group = COMMITTEE if role == HolderRole.COMMITTEE else DECISION_MAKER
    return KeyHolder.objects.filter(
        role=role, user__is_active=True, user__is_superuser=False, user__groups__name=group
    ).select_related("user").distinct()


@transaction.atomic
def holder_enroll(*, user, password: str, public_description: str = "") -> tuple[
    KeyHolder, bytes, str
]:
    """Create the user's key pair; returns (holder, private key, recovery key).

    The recovery key is returned once, to be shown once and printed.
    """
    role = role_of(user)
    if role is None or not user.check_password(password):
        raise NotAllowed()
    if KeyHolder.objects.filter(user=user).exists():
        raise ApplicationError(extra={"reason": "already_enrolled"})
    wrapped, recovery_key = keys.wrap_new_keypair(
        user_id=user.pk, password=password, params=member_kdf()
    )
    holder = KeyHolder.objects.create(
        user=user, role=role, public_description=public_description[:200],
        public_key=wrapped.public_key, kdf_salt=wrapped.kdf_salt,
        kdf_params=wrapped.kdf_params, sk_pw=wrapped.sk_pw, sk_rec=wrapped.sk_rec,
        created_on=timezone.localdate(),
    )
    private_key = keys.unwrap_with_recovery(
        user_id=user.pk, recovery_key=recovery_key, sk_rec=wrapped.sk_rec
    )
    audit_append(actor=holder, action="enrolled")
    return holder, private_key, recovery_key


def holder_unlock(*, holder: KeyHolder, password: str) -> bytes:
    """The private key, unwrapped with the password; KeyLocked if the password
    was set without re-wrapping (an administrator's reset)."""
    try:
        return keys.unwrap_with_password(
            user_id=holder.user_id, password=password, salt=holder.kdf_salt,
            params=holder.kdf_params, sk_pw=holder.sk_pw,
        )
    except crypto.CryptoError:
        raise KeyLocked() from None


def _rewrap(holder: KeyHolder, private_key: bytes, password: str) -> None:
    salt, sk_pw, params = keys.rewrap_password(
        user_id=holder.user_id, private_key=private_key, password=password, params=member_kdf()
    )
    holder.kdf_salt, holder.sk_pw, holder.kdf_params = salt, sk_pw, params
    holder.save(update_fields=["kdf_salt", "sk_pw", "kdf_params"])
    holder.user.set_password(password)
    holder.user.save(update_fields=["password"])


@transaction.atomic
def holder_password_change(*, holder: KeyHolder, old_password: str, new_password: str) -> bytes:
    """Change the login password and re-wrap the key under it."""
    if not holder.user.check_password(old_password):
        raise NotAllowed()
    private_key = holder_unlock(holder=holder, password=old_password)
    _rewrap(holder, private_key, new_password)
    audit_append(actor=holder, action="password_changed")
    return private_key


@transaction.atomic
def holder_recover(*, holder: KeyHolder, recovery_key: str, new_password: str) -> bytes:
    """Unwrap the key with the recovery key, then set and wrap a new password."""
    try:
        private_key = keys.unwrap_with_recovery(
            user_id=holder.user_id, recovery_key=recovery_key, sk_rec=holder.sk_rec
        )
    except crypto.CryptoError:
        raise RecoveryKeyWrong() from None
    _rewrap(holder, private_key, new_password)
    audit_append(actor=holder, action="recovered")
    return private_key


@transaction.atomic
def holder_recovery_key_renew(*, holder: KeyHolder, private_key: bytes) -> str:
    """A new recovery key (the old one stops working); returned once."""
    raw = crypto.random_key()
    holder.sk_rec = crypto.aead_encrypt(raw, private_key, f"member:{holder.user_id}:rec")
    holder.save(update_fields=["sk_rec"])
    audit_append(actor=holder, action="recovery_key_renewed")
    return keys.format_recovery_key(raw)


def recovery_key_matches(*, holder: KeyHolder, recovery_key: str) -> bool:
    try:
        keys.unwrap_with_recovery(
            user_id=holder.user_id, recovery_key=recovery_key, sk_rec=holder.sk_rec
        )
    except crypto.CryptoError:
        return False
    return True
