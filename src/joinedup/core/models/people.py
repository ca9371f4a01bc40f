"""Staff accounts: people who sign in with their email address and belong to an organisation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from joinedup.core.roles import Role

from .base import RestrictedQuerySet


class UserQuerySet(RestrictedQuerySet):
    pass


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("role", Role.OPCC_ADMIN)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("Email address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(max_length=20, choices=Role.choices, db_index=True)
    areas = models.ManyToManyField(
        "core.Area",
        blank=True,
        related_name="staff",
        help_text="The areas this person works for; CSP managers and analysts are limited to them.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "Django admin access", default=False, help_text="Only superusers use the Django admin."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=[areas])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else ""
