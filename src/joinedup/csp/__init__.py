"""CSP statutory duties, partnership plans, domestic homicide reviews and Police and Crime Panel scrutiny."""
