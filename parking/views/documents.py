"""Handing out a documentation file: checked and logged in the service."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from parking.services.documents import document_read


@never_cache
@login_required
@require_GET
def document_download(request, pk):
    """The file for the applicant or a physiotherapist; 404 for everyone else
    (also a case officer), so nobody learns that a document exists."""
    try:
        document, data = document_read(reader=request.user, document_id=pk)
    except PermissionDenied:
        raise Http404 from None
    response = HttpResponse(data, content_type=document.content_type)
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png",
                 "image/webp": "webp"}.get(document.content_type, "bin")
    response["Content-Disposition"] = f'inline; filename="document-{document.pk}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
