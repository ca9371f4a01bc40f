"""CSP statutory duties, partnership plans, domestic homicide reviews and briefing notes to the Panel."""
