import io

import pypdf
from django.template import engines

from joinedup.core.pdf import render_pdf


def test_render_pdf_makes_a_pdf_with_the_text_of_the_template(tmp_path, settings):
    template_dir = tmp_path / "templates"
    (template_dir / "probe").mkdir(parents=True)
    (template_dir / "probe" / "doc.html").write_text(
        '{% extends "layouts/print.html" %}{% block content %}<h1>{{ heading }}</h1>{% endblock %}'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0].get("DIRS", [])]}
    ]
    engines._engines = {}  # pick up the changed template directories
    try:
        content = render_pdf("probe/doc.html", {"heading": "Strategic assessment", "document_title": "Probe"})
    finally:
        engines._engines = {}
    assert content.startswith(b"%PDF-")
    text = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Strategic assessment" in text
