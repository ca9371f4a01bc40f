"""`joinedup tokens ...`: API bearer tokens for partner systems and scripts."""

from __future__ import annotations

import click


@click.group()
def tokens() -> None:
    """API bearer tokens (stored hashed; a new token is shown once)."""


@tokens.command("create")
@click.option("--user", "email", required=True, help="Email address of the staff account the token acts as.")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
def create(email: str, name: str) -> None:
    """Create a token for USER and print it as the last line of output."""
    from joinedup.api.services import create_token
    from joinedup.core.models import User

    try:
        user = User.objects.get(email__iexact=email, is_active=True)
    except User.DoesNotExist:
        raise click.ClickException(f"No active staff account has the email address {email}.") from None
    _token, raw = create_token(user=user, name=name, actor=None)
    click.echo(f"Created API token {name!r} for {user.email}. It is shown only once; keep it safe:")
    click.echo(raw)


commands = [tokens]
