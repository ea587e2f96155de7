"""Member key material: wrap and unwrap a holder's private key with the
password, the recovery key, or a per-session key.

The recovery key (RK) is 32 random bytes shown once as 52 base32 symbols in
groups of four; only ``AEAD(RK, sk)`` is stored.
"""

import base64
import re
from dataclasses import dataclass

from whistleblowing import crypto
from whistleblowing.conf import KdfParams


@dataclass(frozen=True)
class WrappedKey:
    public_key: bytes
    kdf_salt: bytes
    kdf_params: dict
    sk_pw: bytes
    sk_rec: bytes


def _aad(user_id: int, what: str) -> str:
    return f"member:{user_id}:{what}"


def wrap_new_keypair(*, user_id: int, password: str, params: KdfParams) -> tuple[WrappedKey, str]:
    """A fresh key pair wrapped twice; returns it and the recovery key to print."""
    public_key, private_key = crypto.generate_keypair()
    recovery = crypto.random_key()
    salt = crypto.random_salt()
    kek = crypto.derive_key(password, salt, params)
    wrapped = WrappedKey(
        public_key=public_key,
        kdf_salt=salt,
        kdf_params=params.as_json(),
        sk_pw=crypto.aead_encrypt(kek, private_key, _aad(user_id, "pw")),
        sk_rec=crypto.aead_encrypt(recovery, private_key, _aad(user_id, "rec")),
    )
    return wrapped, format_recovery_key(recovery)


def unwrap_with_password(*, user_id: int, password: str, salt: bytes, params: dict,
                         sk_pw: bytes) -> bytes:
    kek = crypto.derive_key(password, bytes(salt), KdfParams.from_json(params))
    return crypto.aead_decrypt(kek, bytes(sk_pw), _aad(user_id, "pw"))


def unwrap_with_recovery(*, user_id: int, recovery_key: str, sk_rec: bytes) -> bytes:
    return crypto.aead_decrypt(parse_recovery_key(recovery_key), bytes(sk_rec),
                               _aad(user_id, "rec"))


def rewrap_password(*, user_id: int, private_key: bytes, password: str,
                    params: KdfParams) -> tuple[bytes, bytes, dict]:
    """(salt, sk_pw, params) for a new password; a new salt every time."""
    salt = crypto.random_salt()
    kek = crypto.derive_key(password, salt, params)
    return salt, crypto.aead_encrypt(kek, private_key, _aad(user_id, "pw")), params.as_json()


def format_recovery_key(raw: bytes) -> str:
    text = base64.b32encode(raw).decode().rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(text: str) -> bytes:
    cleaned = re.sub(r"[\s\-]", "", text or "").upper()
    if len(cleaned) != 52:
        raise crypto.CryptoError("A recovery key has 52 characters.")
    try:
        raw = base64.b32decode(cleaned + "====")
    except ValueError as exc:
        raise crypto.CryptoError("Not a recovery key.") from exc
    return raw


def session_wrap(private_key: bytes, *, context: str) -> tuple[bytes, bytes]:
    """(K_s, AEAD(K_s, sk)): the blob may sit in a session store; K_s only in
    the browser's HttpOnly cookie. Neither alone yields the key."""
    session_key = crypto.random_key()
    return session_key, crypto.aead_encrypt(session_key, private_key, f"session:{context}")


def session_unwrap(session_key: bytes, blob: bytes, *, context: str) -> bytes:
    return crypto.aead_decrypt(session_key, blob, f"session:{context}")
