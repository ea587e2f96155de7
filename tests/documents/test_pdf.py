"""The print template renders to a PDF whose text can be read back."""

from documents.pdf import html_to_pdf, pdf_text, render_pdf


def test_pdf_keeps_norwegian_text():
    pdf = html_to_pdf("<h1>Oppfølgingsplan</h1><p>Arbeidsoppgaver og arbeidsevne</p>")
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Oppfølgingsplan" in text and "Arbeidsoppgaver og arbeidsevne" in text


def test_print_base_template_renders(settings):
    pdf = render_pdf("documents/base_print.html", {})
    assert pdf.startswith(b"%PDF")
