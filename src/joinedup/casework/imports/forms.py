"""The incident import's upload form. The file is checked by the services."""

from __future__ import annotations

from typing import Any

from django import forms

from ..forms import _helper


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV or Excel file",
        help_text="An Excel workbook (.xlsx, the first sheet) or a CSV file, with the template's headings",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
