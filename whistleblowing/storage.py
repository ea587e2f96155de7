"""Encrypted attachment files: random names in a private directory (never
under MEDIA or STATIC), overwritten before they are unlinked."""

import os
import secrets
import uuid
from collections.abc import Iterable
from pathlib import Path

from whistleblowing import conf


def root() -> Path:
    path = Path(conf.files_dir())
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _path(name: str) -> Path:
    if not name or not all(c in "0123456789abcdef" for c in name):
        raise ValueError("Not a blob name.")
    return root() / name


def new_name() -> str:
    return uuid.uuid4().hex


def write(name: str, frames: Iterable[bytes]) -> int:
    path = _path(name)
    written = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        for frame in frames:
            handle.write(frame)
            written += len(frame)
        handle.flush()
        os.fsync(handle.fileno())
    return written


def open_blob(name: str):
    return open(_path(name), "rb")  # noqa: SIM115 - the caller closes it


def shred(name: str) -> None:
    """Overwrite the file with random bytes, sync, then unlink it.

    On journaling or copy-on-write file systems and SSDs old blocks may
    survive; the file was ciphertext already, so this is defence in depth.
    """
    path = _path(name)
    if not path.exists():
        return
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        remaining = size
        while remaining > 0:
            step = min(remaining, 1024 * 1024)
            handle.write(secrets.token_bytes(step))
            remaining -= step
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
