"""How people's names are compared: in lower case, without accents, spaces collapsed (the name search)."""

from __future__ import annotations

import unicodedata

_BY_HAND = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ŧ": "t"})  # no decomposition to fold


def fold_name(text: str) -> str:
    """`text` in lower case without accents ("Zoë Ó Briain" → "zoe o briain"), spaces collapsed.

    Folding a folded name changes nothing, so a query folded as the names were finds them: the text is
    decomposed before it is lowered as well as after (a compatibility letter such as "ᴬ" decomposes to a
    capital), and the letters folded by hand are replaced once the accents are gone ("ǿ" is an "ø" with an
    acute)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_BY_HAND)
    return " ".join(plain.split())
