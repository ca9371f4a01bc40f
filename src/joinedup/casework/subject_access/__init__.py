"""Subject access: everything casework holds about one person, for an authorised officer (ADR 0009)."""
