"""``flask --app wsgi supporters ...``: data requests and the retention rule, for scripts."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

supporters_cli = AppGroup("supporters", help="Supporters' data: export, erasure, retention.")

COMMAND_LINE = "command line"


def _supporter_or_exit(address: str):
    from campaign.supporters.queries import supporter_by_email

    supporter = supporter_by_email(address)
    if supporter is None:
        click.echo("No supporter has this email address.", err=True)
        sys.exit(1)
    return supporter


@supporters_cli.command("export")
@click.argument("email")
def export(email: str) -> None:
    """Print everything held about the supporter with this address, as JSON."""
    from campaign.extensions import db
    from campaign.supporters.operations import record_export
    from campaign.supporters.queries import supporter_export

    supporter = _supporter_or_exit(email)
    document = supporter_export(supporter)
    record_export(supporter, actor_label=COMMAND_LINE)
    db.session.commit()
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@supporters_cli.command("erase")
@click.argument("email")
def erase(email: str) -> None:
    """Remove the supporter's address, the names on their reports, their tokens and subscriptions; counts stay."""
    from campaign.extensions import db
    from campaign.supporters.operations import erase_supporter, forget_outbox_copies

    supporter = _supporter_or_exit(email)
    address = supporter.email
    erasure = erase_supporter(supporter, actor_label=COMMAND_LINE)
    db.session.commit()
    forget_outbox_copies(address)
    click.echo(
        f"Supporter erased: {erasure.reports_anonymised} reports kept without name or address, "
        f"{erasure.subscriptions_removed} subscriptions removed."
    )


@supporters_cli.command("purge-expired")
def purge_expired() -> None:
    """Apply the retention rule now: delete personal data SUPPORTER_RETENTION_DAYS after a supporter's last case closed."""
    from campaign.extensions import db
    from campaign.supporters.operations import purge_expired as purge

    result = purge(actor_label=COMMAND_LINE)
    db.session.commit()
    click.echo(
        f"{result.supporters_erased} supporters erased, names removed from {result.report_names_removed} reports."
    )
