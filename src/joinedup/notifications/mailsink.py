"""A local SMTP server that keeps every message it is sent as a file, for development and the demo.

`joinedup mailsink` (started by `./run`) writes each message to `<data dir>/mail/` as an `.eml` file a
developer can open; tests use `MailCatcher` to read what a real SMTP conversation delivered.
"""

from __future__ import annotations

import email
import email.policy
import itertools
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session
from django.utils import timezone

_counter = itertools.count(1)


def _parse(envelope: Envelope) -> EmailMessage:
    raw = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


class FolderHandler:
    """Write each accepted message to a folder as `<time>-<n>.eml`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        raw = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
        name = f"{timezone.now():%Y%m%d-%H%M%S}-{next(_counter):04d}.eml"
        (self.folder / name).write_bytes(raw)
        return "250 Message accepted for delivery"


@dataclass
class CatchingHandler:
    """Keep messages in memory; `refuse` makes the server answer every message with that SMTP reply."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: str = ""
    received: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        if self.refuse:
            return self.refuse
        self.messages.append(_parse(envelope))
        self.received.set()
        return "250 Message accepted for delivery"


class MailCatcher:
    """A real SMTP server on a loopback port (a free one unless given), as a context manager."""

    def __init__(self, *, refuse: str = "", port: int = 0) -> None:
        self.handler = CatchingHandler(refuse=refuse)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port or _free_port())

    @property
    def port(self) -> int:
        return int(self.controller.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def __enter__(self) -> MailCatcher:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_folder(folder: Path, *, host: str, port: int) -> Controller:
    controller = Controller(FolderHandler(folder), hostname=host, port=port)
    controller.start()
    return controller
