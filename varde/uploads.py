"""Uploads that cannot be stored (disk full, quota, permissions, read-only).

Two places can fail:

- writing the upload where it is kept (the AMU documents' directory, the
  whistleblowing channel's encrypted files): the services do it inside
  ``storing_files()``, which turns the ``OSError`` into ``UploadNotStored``
  (an ``ApplicationError``): the step's transaction rolls back, and the view
  shows the message above the form it re-renders with what was typed;
- spooling a large upload to a temporary file while the request is read
  (Django writes files over ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to
  ``FILE_UPLOAD_TEMP_DIR``): ``SpoolingUploadHandler`` then reads the rest of
  the request (the form's other fields still arrive) and hands on an
  ``UnstoredUpload`` that knows its name and size; reading it raises
  ``UploadNotStored``, and the parking documentation check refuses it with
  the same message.

Anything else that meets a full disk still gets the 503 page of
``varde.unavailable``.
"""

import contextlib
import errno
import logging

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from cases.exceptions import UploadNotStored
from varde.unavailable import is_storage_failure

logger = logging.getLogger("varde.uploads")


def _refused(exc: OSError) -> UploadNotStored:
    logger.error("Files cannot be stored (%s): the submission was refused",
                 errno.errorcode.get(exc.errno, exc.errno))
    return UploadNotStored()


@contextlib.contextmanager
def storing_files():
    """Around the code that writes uploads (inside the step's transaction)."""
    try:
        yield
    except OSError as exc:
        if not is_storage_failure(exc):
            raise
        raise _refused(exc) from exc


class UnstoredUpload(UploadedFile):
    """Stands in for an upload that could not be spooled: name and size only."""

    def __init__(self, name: str, size: int, error: OSError):
        super().__init__(file=None, name=name, size=size)
        self.error = error

    def _fail(self, *args, **kwargs):
        raise UploadNotStored() from self.error

    open = read = chunks = seek = _fail

    def multiple_chunks(self, chunk_size=None):
        return True

    def close(self):
        pass


class SpoolingUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler, refusing quietly when it cannot write."""

    def new_file(self, *args, **kwargs):
        self.failure = None
        try:
            super().new_file(*args, **kwargs)
        except OSError as exc:
            if not is_storage_failure(exc):
                raise
            self._fail(exc)

    def receive_data_chunk(self, raw_data, start):
        if self.failure is not None:
            return None  # the rest of the file is read and dropped
        try:
            return super().receive_data_chunk(raw_data, start)
        except OSError as exc:
            if not is_storage_failure(exc):
                raise
            self._fail(exc)
            return None

    def file_complete(self, file_size):
        if self.failure is not None:
            return UnstoredUpload(self.file_name, file_size, self.failure)
        return super().file_complete(file_size)

    def _fail(self, exc: OSError) -> None:
        _refused(exc)
        self.failure = exc
        file = getattr(self, "file", None)
        if file is not None:
            with contextlib.suppress(OSError):
                file.close()  # a temporary file is removed when closed
            self.file = None
