"""Every write to the core records goes through these services."""
