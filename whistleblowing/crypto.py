"""The cryptographic primitives of the channel (PyNaCl / libsodium), and
nothing else: no models, no settings.

* AEAD: XChaCha20-Poly1305 (``nacl.secret.Aead``) with associated data that
  names the row a ciphertext belongs to, so a ciphertext copied to another
  row, field or case fails to decrypt.
* Sealing: X25519 ``SealedBox`` (anonymous sender) for data keys and case keys.
* Key derivation: Argon2id (``nacl.pwhash.argon2id``).
* Files: ``crypto_secretstream_xchacha20poly1305`` in fixed-size chunks, the
  last tagged FINAL, so a truncated or reordered file fails.

Every failure raises ``CryptoError``.
"""

import secrets
import struct
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import nacl.bindings as sodium
import nacl.pwhash.argon2id as argon2id
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import Aead

from whistleblowing.conf import KdfParams

__all__ = [
    "CHUNK_BYTES", "CryptoError", "KEY_BYTES", "aead_decrypt", "aead_encrypt", "derive_key",
    "generate_keypair", "pad", "random_key", "seal", "stream_decrypt", "stream_encrypt",
    "unpad", "unseal",
]

KEY_BYTES = 32
SALT_BYTES = argon2id.SALTBYTES
PAD_BLOCK = 256
CHUNK_BYTES = 64 * 1024
_HEADER = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
_ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE


def random_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def random_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def aead_encrypt(key: bytes, plaintext: bytes, aad: str) -> bytes:
    """nonce || ciphertext, with a random 24-byte nonce."""
    return bytes(Aead(key).encrypt(plaintext, aad.encode()))


def aead_decrypt(key: bytes, blob: bytes, aad: str) -> bytes:
    if len(key) != KEY_BYTES:
        raise CryptoError("Wrong key size.")
    return Aead(key).decrypt(bytes(blob), aad.encode())


def generate_keypair() -> tuple[bytes, bytes]:
    """(public key, private key), 32 bytes each (X25519)."""
    private = PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def seal(public_key: bytes, data: bytes) -> bytes:
    return bytes(SealedBox(PublicKey(bytes(public_key))).encrypt(data))


def unseal(private_key: bytes, blob: bytes) -> bytes:
    return SealedBox(PrivateKey(bytes(private_key))).decrypt(bytes(blob))


def derive_key(secret: str | bytes, salt: bytes, params: KdfParams) -> bytes:
    """A 32-byte key from a password, receipt or recovery key (Argon2id)."""
    if isinstance(secret, str):
        secret = secret.encode()
    return argon2id.kdf(KEY_BYTES, secret, bytes(salt), opslimit=params.ops, memlimit=params.mem)


def pad(data: bytes, block: int = PAD_BLOCK) -> bytes:
    """Length prefix plus zero padding to a multiple of ``block``: the stored
    length tells only the size class of a text, not its length."""
    body = struct.pack(">I", len(data)) + data
    return body + b"\0" * (-len(body) % block)


def unpad(padded: bytes) -> bytes:
    (length,) = struct.unpack(">I", padded[:4])
    if length > len(padded) - 4:
        raise CryptoError("Bad padding.")
    return padded[4 : 4 + length]


def stream_encrypt(key: bytes, chunks: Iterable[bytes], aad: str) -> Iterator[bytes]:
    """Encrypt a byte stream: header, then one frame per CHUNK_BYTES of input.

    Every frame holds exactly CHUNK_BYTES of plaintext (the last one zero
    padded), so the file size tells the size only to the next 64 KiB; the real
    size lives in the encrypted metadata. The last frame is tagged FINAL.
    """
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    yield sodium.crypto_secretstream_xchacha20poly1305_init_push(state, key)
    ad = aad.encode()
    buffer = b""
    for chunk in chunks:
        buffer += chunk
        while len(buffer) > CHUNK_BYTES:
            frame, buffer = buffer[:CHUNK_BYTES], buffer[CHUNK_BYTES:]
            yield sodium.crypto_secretstream_xchacha20poly1305_push(state, frame, ad, _MESSAGE)
    last = buffer + b"\0" * (CHUNK_BYTES - len(buffer))
    yield sodium.crypto_secretstream_xchacha20poly1305_push(state, last, ad, _FINAL)


def stream_decrypt(key: bytes, source: BinaryIO, aad: str, size: int) -> Iterator[bytes]:
    """Decrypt what ``stream_encrypt`` wrote; yields ``size`` plaintext bytes.

    Raises CryptoError on any altered frame, and when the stream ends before
    a FINAL frame (truncation) or goes on after it.
    """
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    header = source.read(_HEADER)
    if len(header) != _HEADER:
        raise CryptoError("Truncated stream header.")
    sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
    ad = aad.encode()
    remaining = size
    while True:
        frame = source.read(CHUNK_BYTES + _ABYTES)
        if not frame:
            raise CryptoError("Stream truncated: no final frame.")
        plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, frame, ad)
        out = plain[: max(remaining, 0)]
        remaining -= len(out)
        if out:
            yield out
        if tag == _FINAL:
            if source.read(1):
                raise CryptoError("Data after the final frame.")
            if remaining:
                raise CryptoError("Stream shorter than its recorded size.")
            return
