"""The Celery app: ``celery -A worker worker`` and ``celery -A worker beat``.

Tasks live in the features that own them (``campaign/<feature>/tasks.py``) as ``@shared_task``;
this module only builds the app and holds the beat schedule.
"""

from wsgi import app as flask_app

celery = flask_app.extensions["celery"]
celery.conf.imports = [*celery.conf.imports, "campaign.actions.tasks"]
celery.conf.imports = [*celery.conf.imports, "campaign.reminders.tasks", "campaign.supporters.tasks"]
celery.conf.beat_schedule = {
    # Totals: a trigger every second, so the reports above the watermark (what each report's answer and each
    # figures read sums) stay about a second's worth; one older than 10 s is dropped, as the next does the same work.
    "rollup-totals": {"task": "actions.rollup_totals", "schedule": 1.0, "options": {"expires": 10}},
    # Daily totals: the days that are over leave the table the rollup writes into; moves rows once a day.
    "settle-daily-totals": {"task": "actions.settle_daily_totals", "schedule": 3600.0, "options": {"expires": 3000}},
    # Idempotency keys: answers older than IDEMPOTENCY_KEY_TTL_HOURS are forgotten, hourly.
    "purge-idempotency-records": {"task": "actions.purge_idempotency_records", "schedule": 3600.0},
    # Reminders: due ones started, stale claims returned, stalled fan-outs re-queued; each run is idempotent.
    "reminders-scan": {"task": "reminders.scan", "schedule": 60.0, "options": {"expires": 50}},
    # Retention: supporters' personal data past SUPPORTER_RETENTION_DAYS after their last case closed, daily.
    "purge-expired-supporters": {"task": "supporters.purge_expired", "schedule": 86400.0},
}
