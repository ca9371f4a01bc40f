"""What the load benchmarks share to run Joined Up as its own server: a free port, the environment of a
throwaway instance, and the `joinedup` command in it. Kept apart from bench/load.py, which imports locust
(and with it gevent's patching of the standard library) that bench/public_load.py must not load."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """This process's environment without any Joined Up or Django setting, then a local instance's on
    `database_url` and `data_dir`, then `extra`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JOINEDUP_", "DJANGO_")) and key != "DATABASE_URL"
    }
    return {
        **env,
        "JOINEDUP_ENV": "local",
        "DJANGO_SETTINGS_MODULE": "joinedup.config.settings",
        "SECRET_KEY": "load-benchmark-secret-key-not-used-anywhere-else-0123456789",
        "DATABASE_URL": database_url,
        "JOINEDUP_DATA_DIR": str(data_dir),
        "JOINEDUP_LOG_LEVEL": "WARNING",
        **extra,
    }


def joinedup(env: dict[str, str], *args: str) -> str:
    """Run `joinedup ARGS` in `env`; its output, or exit with its error."""
    done = subprocess.run(  # noqa: S603 - this environment's own commands
        [str(BIN / "joinedup"), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"joinedup {' '.join(args[:2])} failed:\n{done.stderr[-3000:]}")
    return done.stdout
