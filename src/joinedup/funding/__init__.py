"""Funding and commissioning: funds, allocations, grant rounds, awards, contracts and open data."""
