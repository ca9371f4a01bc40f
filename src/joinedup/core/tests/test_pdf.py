import io

import pypdf
from django.template import engines

from joinedup.core.pdf import render_pdf


def test_render_pdf_makes_a_pdf_with_the_text_of_the_template(tmp_path, settings):
    template_dir = tmp_path / "templates"
    (template_dir / "probe").mkdir(parents=True)
    (template_dir / "probe" / "doc.html").write_text(
        '{% extends "layouts/print.html" %}{% block content %}<h1>{{ heading }}</h1><p class="page-break">Second page</p>{% endblock %}'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0].get("DIRS", [])]}
    ]
    engines._engines = {}  # pick up the changed template directories
    try:
        content = render_pdf(
            "probe/doc.html",
            {"heading": "Strategic assessment", "document_title": 'Tyne-side "north" assessment'},
        )
    finally:
        engines._engines = {}
    assert content.startswith(b"%PDF-")
    text = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Strategic assessment" in text
    # From the second page on, the running title is shown as written: hyphens and quotes are not escaped.
    second = pypdf.PdfReader(io.BytesIO(content)).pages[1].extract_text()
    assert "Second page" in second
    assert 'Tyne-side "north" assessment' in second
    assert "u002D" not in second
