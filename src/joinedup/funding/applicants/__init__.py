"""The public applicant journey: accounts, drafts, documents and submission at /apply/ (docs/adr/0042)."""
