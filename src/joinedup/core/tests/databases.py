"""A migrated database for a server the tests start in a subprocess, copied from the suite's own.

Migrating a new database costs minutes of CPU (Django renders every model state of every migration), and
the test database of each pytest worker was made by those same migrations moments before: copying it gives
the server the same schema, migration records, content types and permissions. The server's own
`joinedup manage migrate` still runs and finds nothing to do, as it does on every deployment after the
first. Migrating from nothing is proved by the suite's own set-up on both databases, and by the backup
restore on PostgreSQL.

pytest-django makes a test database only when a collected test uses one: a run of these modules alone has
none to copy, so the server gets a new, empty database and its `migrate` makes it, as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def sqlite_copy(django_db_blocker: Any, path: Path) -> str:
    """The worker's in-memory SQLite test database written to `path`; its URL."""
    from django.db import connection

    with django_db_blocker.unblock():
        connection.ensure_connection()
        if "django_migrations" in connection.introspection.table_names():
            path.write_bytes(connection.connection.serialize())
    return f"sqlite:///{path}"


def _maintenance(url: str) -> str:
    """The server's maintenance database beside `url`'s (the one it names may exist only as a test copy)."""
    return url.rsplit("/", 1)[0] + "/postgres"


def postgres_copy(django_db_blocker: Any, url: str, name: str) -> str:
    """A new PostgreSQL database `name` made from the worker's test database (CREATE DATABASE ... TEMPLATE,
    which needs no other session on the template: the worker's own connection is closed first); its URL.
    Dropped by `drop_postgres`."""
    import psycopg
    from django.db import connection, connections

    template = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        connections.close_all()
    copy = f' TEMPLATE "{template}"' if template.startswith("test_") else ""  # Django's test database
    with psycopg.connect(_maintenance(url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"{copy}')
    return url.rsplit("/", 1)[0] + "/" + name


def drop_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_maintenance(url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
