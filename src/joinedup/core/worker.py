"""`joinedup worker`: django-tasks' database worker, with a heartbeat and recovery of abandoned work.

A thread beside the worker's loop records the worker's heartbeat every few seconds, and every minute (and
once at start) fails the tasks of workers that died, with the reason (core.services.work, ADR 0015).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from joinedup.core.services import work

logger = logging.getLogger(__name__)


class HeartbeatWorker(Worker):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stop = threading.Event()

    def run(self) -> None:
        thread = threading.Thread(target=self._heartbeat, name="joinedup-heartbeat", daemon=True)
        try:  # a stop signal may arrive at any point from here: record the stop whenever it does
            work.beat(worker_id=self.worker_id)
            self._recover()
            thread.start()
            super().run()
        finally:
            self._stop.set()
            if thread.is_alive():
                thread.join(timeout=work.HEARTBEAT_SECONDS)
            try:
                work.stopped(worker_id=self.worker_id)
            except Exception:
                logger.exception("Could not record the worker's stop")

    def _recover(self) -> None:
        try:
            for line in work.recover_abandoned_work(current_worker=self.worker_id):
                logger.warning("Recovered abandoned work: %s", line)
        except Exception:
            logger.exception("Recovering abandoned work failed; it is tried again in a minute")

    def _heartbeat(self) -> None:
        since_recovery = 0.0
        try:
            while not self._stop.wait(work.HEARTBEAT_SECONDS):
                close_old_connections()
                try:
                    work.beat(worker_id=self.worker_id)
                except Exception:  # a locked or unreachable database: try again at the next beat
                    logger.exception("Could not record the worker's heartbeat")
                since_recovery += work.HEARTBEAT_SECONDS
                if since_recovery >= work.RECOVERY_SECONDS:
                    since_recovery = 0.0
                    self._recover()
        finally:
            connection.close()


def run_worker(*, max_tasks: int | None = None, interval: float = 1.0, queue: str = "default") -> None:
    """Run the worker in this process until it is stopped (Ctrl+C, SIGTERM) or has run `max_tasks`."""
    for name in ("django_tasks", "django_tasks_db", __name__, "joinedup.core.services.work"):
        named = logging.getLogger(name)
        named.setLevel(logging.INFO)
        if not named.hasHandlers():
            named.addHandler(logging.StreamHandler())
    worker = HeartbeatWorker(
        queue_names=queue.split(","),
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=True,
        max_tasks=max_tasks,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()
