"""gunicorn's configuration, from the environment: `gunicorn -c python:joinedup.config.gunicorn
joinedup.config.wsgi:application` (the systemd unit and the container run exactly this).

The timeout is long by default (10 minutes) because a police data upload of a few hundred megabytes
over a slow link is one request; the proxy in front must allow as long (README, "Running in
production"). Access lines come from Joined Up's own request log (JSON, no query strings: personal
searches travel in them), so gunicorn's access log is off.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from joinedup.config.deploy import deploy_problems, refusal


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() else default


bind = os.environ.get("JOINEDUP_BIND", "").strip() or "127.0.0.1:8000"
workers = _int("JOINEDUP_WEB_WORKERS", 3)
threads = _int("JOINEDUP_WEB_THREADS", 1)
timeout = _int("JOINEDUP_WEB_TIMEOUT", 600)
graceful_timeout = 30
keepalive = 5
# The proxy's own address: only it may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("JOINEDUP_PROXY_ADDRESSES", "").strip() or "127.0.0.1"
accesslog = None
errorlog = "-"
loglevel = (os.environ.get("JOINEDUP_LOG_LEVEL", "").strip() or "info").lower()
# Workers heartbeat through this directory; memory-backed where there is one (containers' /tmp may not be).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
proc_name = "joinedup-web"


def on_starting(server: Any) -> None:
    """Refuse to start, naming every problem, when the production settings are incomplete or unsafe."""
    if os.environ.get("JOINEDUP_ENV", "local") != "production":
        return
    problems = deploy_problems(os.environ)
    if problems:
        print(refusal(problems), file=sys.stderr)
        sys.exit(2)
