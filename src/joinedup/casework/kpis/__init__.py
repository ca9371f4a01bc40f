"""Casework KPIs, as partnerships measure themselves; read by the Police and Crime Panel and performance."""
