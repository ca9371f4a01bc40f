"""The Welsh catalogue: the compiled .mo the site reads is the .po the translators edit, every string has its
Welsh, and every string the public templates mark is in it (docs/adr/0033). No GNU gettext needed: the .po is
read here and the .mo by Python's own gettext module."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "cy" / "LC_MESSAGES"
TEMPLATES = Path(settings.PACKAGE_DIR)
HOW = "Compile it again: `django-admin compilemessages` (or msgfmt), then commit django.mo."


def read_po(path: Path) -> dict[str | tuple[str, str], str | list[str]]:
    """msgid (or (msgid, msgid_plural)) → msgstr (a list for plurals), fuzzy entries left out as gettext
    leaves them out of the .mo. A msgid with a context (pgettext) is keyed as the .mo keys it:
    "context\x04msgid"."""
    entries: dict[str | tuple[str, str], str | list[str]] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        parts: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            found = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
            if found:
                key = found.group(1)
                parts[key] = ast.literal_eval(found.group(2))
            else:
                parts[key] += ast.literal_eval(line)
        if "msgid" not in parts or not parts["msgid"] or fuzzy:
            continue
        if "msgctxt" in parts:
            parts["msgid"] = f"{parts['msgctxt']}\x04{parts['msgid']}"
        if "msgid_plural" in parts:
            forms = sorted((k for k in parts if k.startswith("msgstr[")), key=lambda k: int(k[7:-1]))
            entries[(parts["msgid"], parts["msgid_plural"])] = [parts[k] for k in forms]
        else:
            entries[parts["msgid"]] = parts["msgstr"]
    return entries


def test_the_compiled_catalogue_is_the_catalogue() -> None:
    po = read_po(CATALOGUE / "django.po")
    with (CATALOGUE / "django.mo").open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    compiled = {key: value for key, value in mo._catalog.items() if key}  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for key, value in po.items():
        if isinstance(key, tuple):
            for n, form in enumerate(value):
                expected[(key[0], n)] = form
        elif value:
            expected[key] = str(value)
    assert compiled == expected, f"django.mo is out of date with django.po. {HOW}"


def test_every_string_has_its_welsh_with_the_same_placeholders() -> None:
    for key, value in read_po(CATALOGUE / "django.po").items():
        english = key[0] if isinstance(key, tuple) else key
        for welsh in value if isinstance(value, list) else [value]:
            assert welsh.strip(), f"No Welsh for {english!r}"
            assert sorted(re.findall(r"%\(\w+\)s", welsh)) == sorted(re.findall(r"%\(\w+\)s", english)), (
                f"The Welsh for {english!r} has other placeholders: {welsh!r}"
            )


def test_every_string_a_template_marks_is_in_the_catalogue() -> None:
    """A cheap stand-in for running makemessages: each {% translate "…" %} literal is in the .po."""
    known = {key if isinstance(key, str) else key[0] for key in read_po(CATALOGUE / "django.po")}
    missing = []
    for template in sorted(TEMPLATES.glob("*/templates/**/*.html")):
        for text in re.findall(r'{% translate "([^"]+)" %}', template.read_text(encoding="utf-8")):
            if text.replace("%", "%%") not in known:  # makemessages doubles a % in a template's text
                missing.append(f"{template.relative_to(TEMPLATES)}: {text}")
    assert not missing, "Marked but not in the Welsh catalogue (run makemessages -l cy):\n" + "\n".join(
        missing
    )
