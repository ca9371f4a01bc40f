"""The Police and Crime Panel: its recommendations to the Commissioner, comments, members and link members,
work programme and meetings (docs/adr/0042 rule 6: a body with its own members, permissions and screens)."""
