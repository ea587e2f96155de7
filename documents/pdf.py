"""Printable pages as PDF: the same template renders the HTML page and the
PDF (WeasyPrint), so the decision letter, plan or minutes a user sees is the
document that is sent."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify


def html_to_pdf(html: str, *, base_url: str = "") -> bytes:
    from weasyprint import HTML  # imported lazily: loads system libraries (pango)

    return HTML(string=html, base_url=base_url or None).write_pdf()


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    html = render_to_string(template_name, {**context, "for_pdf": True}, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else ""
    return html_to_pdf(html, base_url=base_url)


def pdf_response(template_name: str, context: dict, *, request, filename: str) -> HttpResponse:
    response = HttpResponse(
        render_pdf(template_name, context, request=request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{slugify(filename) or "document"}.pdf"'
    return response


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF, for tests that check what a document says."""
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages)
