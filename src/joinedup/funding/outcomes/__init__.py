"""The outcome view of a funded grant or contract: crime and ASB before and after, against similar areas
(docs/adr/0035, 0042)."""
