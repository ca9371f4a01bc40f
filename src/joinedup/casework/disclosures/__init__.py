"""Explicit disclosure of a case to another organisation outside any agreement (ADR 0012, rule (c))."""
