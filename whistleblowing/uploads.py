"""Uploads that never touch the disk in plaintext.

Django writes uploads over 2.5 MB to a temporary file; here every upload is
kept in memory (up to the channel's caps) and encrypted straight to storage.
"""

from django.core.files.uploadhandler import MemoryFileUploadHandler, StopUpload

from whistleblowing import conf


class InMemoryOnlyUploadHandler(MemoryFileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > conf.max_case_bytes() + 1024 * 1024:
            raise StopUpload(connection_reset=True)
        self.activated = True


def use_memory_uploads(request) -> None:
    """Call before request.POST or request.FILES is read."""
    request.upload_handlers = [InMemoryOnlyUploadHandler(request)]
