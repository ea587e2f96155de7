"""Uploading documentation: PDF or image only, at most 10 MB a file.

The type is decided by the file's first bytes (its signature), never by its
name or the browser's content type, which anyone can set.

A file over the limit must not fill the server's memory or disk, and the
rest of the form must survive. ``SizeLimitUploadHandler`` therefore keeps
reading the request (the fields after the file still arrive) but stops
passing the file's bytes on once the limit is passed; the form then gets an
``OversizeUpload`` that knows its name and size, holds no content, and fails
validation with a clear message.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cases.exceptions import UploadNotStored
from varde.uploads import UnstoredUpload

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_FILES = 10

# (leading bytes, content type); WebP is RIFF....WEBP, checked apart.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def detect_content_type(head: bytes) -> str | None:
    """The content type the leading bytes prove, or None for anything else."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


class OversizeUpload(UploadedFile):
    """Stands in for a file that was too large to keep: name and size only."""

    def __init__(self, name: str, size: int):
        super().__init__(file=None, name=name, size=size)

    def read(self, *args, **kwargs):  # pragma: no cover - never read
        return b""

    def chunks(self, chunk_size=None):  # pragma: no cover - never read
        return iter(())


class SizeLimitUploadHandler(FileUploadHandler):
    """First upload handler of the document views (see the module docstring)."""

    def __init__(self, request=None, limit: int = MAX_DOCUMENT_BYTES):
        super().__init__(request)
        self.limit = limit

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            return None  # later handlers get nothing more of this file
        return raw_data

    def file_complete(self, file_size):
        if self.too_large:
            return OversizeUpload(self.file_name, file_size)
        return None  # a later handler (memory or temporary file) has the file


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class DocumentFilesField(forms.FileField):
    """One or more documentation files, each checked by size and signature."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        accept = ".pdf,.jpg,.jpeg,.png,.webp"
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("Send at most %(limit)d files at a time."), code="too_many",
                params={"limit": MAX_FILES},
            )
        errors, cleaned = [], []
        for upload in files:
            try:
                cleaned.append(check_document(super().clean(upload, initial)))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned


def check_document(upload):
    """Refuse a file over the size limit or whose content is no PDF or image."""
    name = upload.name
    if isinstance(upload, UnstoredUpload):  # the disk was full while it arrived
        raise ValidationError(UploadNotStored.default_message, code="not_stored")
    if isinstance(upload, OversizeUpload) or upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _(
                "“%(name)s” is %(size)s, but a file may be at most %(limit)s. Scan fewer "
                "pages at a time or at a lower resolution, or take a photo instead."
            ),
            code="too_large",
            params={"name": name, "size": filesizeformat(upload.size),
                    "limit": filesizeformat(MAX_DOCUMENT_BYTES)},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = detect_content_type(head)
    if content_type is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a PDF or an image (JPEG, PNG or WebP). Only those are "
                "accepted; what counts is the file's content, not its name."
            ),
            code="not_pdf_or_image",
            params={"name": name},
        )
    upload.detected_content_type = content_type
    return upload
