"""Police data imports (docs/adr/0042): the import itself (`importer`), its staff pages and their services.

Reference data (IMD and Crime Severity weights) are imported here too."""
