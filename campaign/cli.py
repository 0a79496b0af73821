"""Commands under ``flask --app wsgi``: demo data, UA import."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from campaign.actions.cli import totals_cli
from campaign.reminders.cli import reminders_cli
from campaign.supporters.cli import supporters_cli

demo_cli = AppGroup("demo", help="Demo data built from the seed documents.")
cases_cli = AppGroup("cases", help="Cases.")
database_cli = AppGroup("database", help="The database server.")


@database_cli.command("create")
def database_create() -> None:
    """Create the PostgreSQL database named in DATABASE_URL if it does not exist yet."""
    from flask import current_app

    from campaign.database import create_postgres_database_if_missing

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if create_postgres_database_if_missing(url):
        click.echo("Created the database.")


@demo_cli.command("load")
def demo_load() -> None:
    """Load the demo cases, targets and reports; running it again changes nothing."""
    from campaign.demo.loader import load_demo

    summary = load_demo(today=date.today())
    click.echo(summary)


@demo_cli.command("accounts")
def demo_accounts() -> None:
    """Create (or reset) a demo organiser, staff and admin account and print their login."""
    from flask import current_app

    from campaign.demo.accounts import ensure_demo_accounts

    accounts, password = ensure_demo_accounts(Path(current_app.instance_path))
    click.echo("  Console: /console/login")
    for email, role in accounts.items():
        click.echo(f"  {role:>9}: {email}  password: {password}")


@cases_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the parsed fields and store nothing.")
@click.option(
    "--as-new",
    is_flag=True,
    help="Create the draft even though its UA number or a person it names already has a case.",
)
def cases_import(file: Path, as_json: bool, as_new: bool) -> None:
    """Parse an Urgent Action's published text into a draft case.

    A text whose UA number or person already has a case (a duplicate, or a follow-up to add to
    that case's timeline in the console's import) is refused with exit status 1 unless --as-new.
    """
    from campaign.ua_import import NotAnUrgentAction, parse_urgent_action

    try:
        parsed = parse_urgent_action(file.read_text(encoding="utf-8", errors="replace"))
    except NotAnUrgentAction as refusal:
        click.echo(str(refusal), err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(parsed.as_json(), ensure_ascii=False, indent=2))
        return
    from campaign.cases.importing import DuplicateCase, create_draft_from_import
    from campaign.extensions import db

    try:
        case = create_draft_from_import(parsed, actor_label="command line", allow_duplicate=as_new)
    except DuplicateCase as duplicate:
        db.session.rollback()
        existing = duplicate.existing.case
        click.echo(f"{duplicate} Nothing was stored.", err=True)
        click.echo(f"  The case: {existing.slug!r}, /console/cases/{existing.id} ({existing.status}).", err=True)
        if parsed.is_follow_up:
            click.echo("  This text is a follow-up: add it to that case's timeline in the console's import.", err=True)
        click.echo("  To create a separate case all the same, run the command again with --as-new.", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Draft case {case.slug!r} created from {file.name}; review and publish it in the console.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(demo_cli)
    app.cli.add_command(cases_cli)
    app.cli.add_command(database_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(totals_cli)
    app.cli.add_command(supporters_cli)
