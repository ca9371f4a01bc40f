"""`joinedup tokens ...`: API bearer tokens for partner systems and scripts."""

from __future__ import annotations

from typing import Any

import click

SCOPES = {"read": "read", "read-write": "read_write"}


@click.group()
def tokens() -> None:
    """API bearer tokens (stored hashed; a new token is shown once; each expires and has a scope)."""


def _user(email: str) -> Any:
    from joinedup.core.models import User

    try:
        return User.objects.get(email__iexact=email, is_active=True)
    except User.DoesNotExist:
        raise click.ClickException(f"No active staff account has the email address {email}.") from None


@tokens.command("create")
@click.option("--user", "email", required=True, help="Email address of the staff account the token acts as.")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
@click.option(
    "--scope",
    type=click.Choice(sorted(SCOPES)),
    default="read",
    show_default=True,
    help="read: GET only; read-write: whatever the account may do.",
)
@click.option("--days", type=int, default=90, show_default=True, help="How long the token lasts (1 to 365).")
def create(email: str, name: str, scope: str, days: int) -> None:
    """Create a token for USER and print it as the last line of output."""
    from django.core.exceptions import ValidationError

    from joinedup.core.services.tokens import create_token

    user = _user(email)
    try:
        token, raw = create_token(user=user, name=name, actor=None, scope=SCOPES[scope], days=days)
    except ValidationError as exc:
        raise click.ClickException(" ".join(exc.messages)) from None
    click.echo(
        f"Created API token {token.name!r} (id {token.pk}, {token.get_scope_display().lower()}) for "
        f"{token.user.email}, expiring {token.expires_at:%Y-%m-%d %H:%M %Z}. "
        "It is shown only once; keep it safe:"
    )
    click.echo(raw)


@tokens.command("list")
@click.option("--user", "email", required=True, help="Email address of the staff account.")
def list_tokens(email: str) -> None:
    """List USER's tokens: id, name, scope, status, expiry and last use."""
    from joinedup.core.models.tokens import ApiToken

    user = _user(email)
    rows = ApiToken.objects.filter(user=user).order_by("-created_at")
    if not rows:
        click.echo(f"{email} has no API tokens.")
    for token in rows:
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        click.echo(
            f"{token.pk}\t{token.name}\t{token.hint}…\t{token.get_scope_display()}\t{token.status}\t"
            f"expires {token.expires_at:%Y-%m-%d}\tlast used {used}"
        )


@tokens.command("revoke")
@click.argument("token_id", type=int)
def revoke(token_id: int) -> None:
    """Revoke the token with TOKEN_ID (see `joinedup tokens list`): it stops working at once."""
    from joinedup.core.models.tokens import ApiToken
    from joinedup.core.services.tokens import revoke_token

    token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if token is None:
        raise click.ClickException(f"There is no API token with id {token_id}.")
    revoke_token(token=token, actor=None)
    click.echo(f"Revoked API token {token.name!r} (id {token.pk}) of {token.user.email}.")


commands = [tokens]
