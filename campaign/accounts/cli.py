"""``flask --app wsgi users create EMAIL --role ROLE``: a console account, password asked twice."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

users_cli = AppGroup("users", help="Console accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(["organiser", "staff", "admin"]),
    help="A role of the account; repeat for several.",
)
@click.password_option("--password", prompt="Password", confirmation_prompt="Repeat the password")
def users_create(email: str, roles: tuple[str, ...], password: str) -> None:
    """Create a console account with these roles."""
    from campaign.accounts.operations import AccountInvalid, create_account
    from campaign.extensions import db

    try:
        user = create_account(email, password, list(roles), actor_label="command line")
    except AccountInvalid as refusal:
        click.echo(str(refusal), err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Created {user.email} ({', '.join(user.role_names)}).")
