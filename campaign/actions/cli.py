"""``flask --app wsgi totals ...``: bring the rollup up to date, recount, and show where it stands."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

totals_cli = AppGroup("totals", help="The public totals and their rollup.")


@totals_cli.command("recount")
def totals_recount() -> None:
    """Roll up, recount the totals from the counted reports, print and repair any drift; exit 1 if there was any."""
    from campaign.actions.rollup import recount
    from campaign.cases.models import Case
    from campaign.extensions import db

    drift = recount(repair=True)
    db.session.commit()
    if not drift:
        click.echo("The totals agree with a recount of the counted reports.")
        return
    slugs = {case.id: case.slug for case in db.session.query(Case).filter(Case.id.in_({d.case_id for d in drift}))}
    for difference in drift:
        case = slugs.get(difference.case_id, difference.case_id)
        if difference.received_hour is not None:
            what = f"{case} received in the hour from {difference.received_hour.isoformat(timespec='minutes')}"
        else:
            target = "all targets" if difference.target_key == 0 else f"target {difference.target_key}"
            day = f" on {difference.acted_on.isoformat()}" if difference.acted_on else ""
            what = f"{case} {difference.action_type} to {target} from {difference.country}{day}"
        click.echo(f"{difference.table}: {what}: stored {difference.stored}, recounted {difference.recounted}")
    click.echo(f"{len(drift)} stored totals differed from the recount and were repaired.", err=True)
    sys.exit(1)


@totals_cli.command("rollup")
def totals_rollup() -> None:
    """Fold everything committed since the watermark into the totals now (what the Celery task does)."""
    from campaign.actions.rollup import run_rollup
    from campaign.extensions import db

    run_rollup(wait=True)
    db.session.commit()
    click.echo("The rollup is up to date.")


@totals_cli.command("status")
def totals_status() -> None:
    """Say how far the rollup has got: when it last ran and how many reports wait above the watermark."""
    from campaign.actions.rollup import rollup_status

    status = rollup_status()
    last = status.rolled_up_at.isoformat(timespec="seconds") if status.rolled_up_at else "never"
    click.echo(f"Last rollup: {last}; reports waiting for the rollup: {status.waiting_reports}.")
    if status.oldest_waiting_at is not None:
        click.echo(f"Oldest waiting report: {status.oldest_waiting_at.isoformat(timespec='seconds')}.")
