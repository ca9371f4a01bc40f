"""Text from forms, the API and imports: nothing invisible passes for a name, an email address must be one."""

from __future__ import annotations

import pytest

from joinedup.core.models import Organisation, User
from joinedup.core.services.validation import Errors, apply_fields, visible_text

INVISIBLE = ["\u200b", "\u200b\u200c\u200d", "\ufeff", "\u00a0\u200b\u2003", "\u2060\u200e\u200f", "\u00ad"]


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_name_of_invisible_characters_is_refused(name: str) -> None:
    errors: Errors = {}
    organisation = Organisation(name="Before")
    apply_fields(organisation, {"name": name}, ("name",), errors)
    assert errors["name"] == ["Enter the name in characters a reader can see."]


def test_invisible_characters_at_the_ends_are_removed_and_an_optional_field_left_empty() -> None:
    errors: Errors = {}
    organisation = Organisation()
    apply_fields(
        organisation,
        {"name": "\u200bTyne Housing\ufeff", "description": "\u200b\u200b"},
        ("name", "description"),
        errors,
    )
    assert not errors
    assert organisation.name == "Tyne Housing" and organisation.description == ""
    assert visible_text("a\u200bb") == "a\u200bb", "characters inside the text are the writer's business"


@pytest.mark.parametrize("email", ["not-an-email", "pat@", "pat@example", "pat example@example.org"])
def test_an_email_address_that_is_not_one_is_refused(email: str) -> None:
    errors: Errors = {}
    apply_fields(User(), {"email": email}, ("email",), errors)
    assert errors["email"] == ["Enter a valid email address."]


def test_an_over_long_value_is_named_with_the_others() -> None:
    errors: Errors = {}
    apply_fields(
        Organisation(), {"name": "x" * 201, "company_number": "\u200b"}, ("name", "company_number"), errors
    )
    assert "name" in errors and "201" in errors["name"][0]
    assert "company_number" not in errors
