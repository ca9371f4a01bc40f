"""Named leases in the database: one holder at a time for a periodic job, across processes and servers."""

from __future__ import annotations

from django.db import models


class JobLock(models.Model):
    """A lease on a named piece of work (see `joinedup.core.locks`). A row whose `expires_at` has passed is
    free: a holder that died stops blocking others once its lease runs out."""

    name = models.CharField(max_length=100, primary_key=True)
    holder = models.CharField(max_length=64, help_text="A random token naming this acquisition.")
    acquired_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "job lock"

    def __str__(self) -> str:
        return f"{self.name} until {self.expires_at:%Y-%m-%d %H:%M:%S}"
