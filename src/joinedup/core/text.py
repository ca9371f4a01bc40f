"""Text no database column can store: a NUL character, or half of a UTF-16 surrogate pair.

PostgreSQL refuses both (SQLite stores NUL but cuts text at it in places); neither is anything a person
types. The API's body parser and the request guard middleware refuse them with a message from here.
"""

from __future__ import annotations


def unstorable_reason(value: str) -> str | None:
    """Why `value` cannot be stored, in words a caller can act on, or None if it can."""
    if "\x00" in value:
        return "Contains a NUL character (\\u0000), which cannot be stored: remove it."
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        char = value[exc.start]
        return (
            f"Contains half of a UTF-16 surrogate pair (\\u{ord(char):04x}), which is not a character: "
            "send the whole character."
        )
    return None
