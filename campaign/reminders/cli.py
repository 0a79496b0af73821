"""``flask --app wsgi reminders ...``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

reminders_cli = AppGroup("reminders", help="Deadline reminders and case updates.")


@reminders_cli.command("send-due")
def send_due() -> None:
    """Send the reminders due now, as the beat does every minute; safe to run any number of times."""
    from campaign.reminders.tasks import SCAN_TASK
    from campaign.tasks import app_task

    click.echo(app_task(SCAN_TASK)())
