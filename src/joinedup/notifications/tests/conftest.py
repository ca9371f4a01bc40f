"""Casework's small partnership (police and council share under an agreement; housing does not)."""

from joinedup.casework.tests.conftest import case, world  # noqa: F401  (fixtures reused here)
