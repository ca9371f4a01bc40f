"""Information-sharing agreements between agencies: writing, proposing, signing, reviewing, ending (ADR 0012)."""
