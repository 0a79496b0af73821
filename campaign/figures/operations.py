"""Freezing figures into immutable snapshots, running snapshot jobs, and recording deliveries."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from campaign.actions.schemas import CONTROL_CHARACTERS
from campaign.database import utcnow
from campaign.errors import Refused
from campaign.extensions import db
from campaign.figures import queries
from campaign.figures.models import (
    DeliveryChannel,
    DeliveryRecord,
    FiguresJob,
    FiguresSnapshot,
    JobState,
    JobStep,
)
from campaign.figures.rendering import SnapshotStamp, render_csv, render_pdf, verification_url
from campaign.mail import MailFailure, build_email, public_url, send_email

MAX_NOTE_LENGTH = 2000
#: A delivery may be recorded a little ahead of the server's clock, never in the future beyond that.
CLOCK_SKEW = timedelta(minutes=5)


class FiguresRequestInvalid(Refused):
    """A snapshot or delivery cannot be made as asked; ``fields`` says what is wrong with each field."""


def _checked_case_target_language(case_id: int, target_id: int | None, language: str | None):
    errors: dict[str, object] = {}
    case = queries.case_for_figures(case_id)
    if case is None:
        raise FiguresRequestInvalid({"case": _l("There is no such case.")})
    target = None
    if target_id is not None:
        target = queries.case_target(case, target_id)
        if target is None:
            errors["target"] = _l("This official is not linked to the case.")
    if language is None:
        language = queries.preferred_figures_language(case, target)
    elif language not in queries.figures_languages():
        errors["language"] = _l("The figures are not translated into this language.")
    if errors:
        raise FiguresRequestInvalid(errors)
    return case, target, language


def freeze_snapshot(
    case_id: int,
    target_id: int | None,
    language: str | None,
    *,
    created_by_id: int | None,
    base_url: str | None = None,
    on_progress=None,
) -> FiguresSnapshot:
    """Freeze the figures now into a snapshot and add it to the session; the caller commits.

    The PDF and CSV are rendered from the canonical JSON read back, so they show exactly the
    bytes that were hashed, and both print the hash and the verification address.
    """
    case, target, language = _checked_case_target_language(case_id, target_id, language)
    report = on_progress or (lambda step, percent: None)
    report(JobStep.READING_TOTALS, 10)
    canonical = queries.canonical_json(queries.figures_document(case, target, language))
    sha256 = queries.sha256_of(canonical)
    frozen = json.loads(canonical)
    stamp = SnapshotStamp(sha256=sha256, verify_url=verification_url(sha256, base_url))
    report(JobStep.RENDERING_PDF, 30)
    pdf = render_pdf(frozen, stamp)
    report(JobStep.STORING, 80)
    snapshot = FiguresSnapshot(
        case_id=case.id,
        target_id=target.id if target else None,
        language=language,
        as_of=queries.as_of_of(frozen),
        canonical_json=canonical,
        sha256=sha256,
        pdf=pdf,
        csv=render_csv(frozen, stamp),
        created_by_id=created_by_id,
    )
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def request_snapshot(
    case_id: int, target_id: int | None, language: str | None, *, requested_by_id: int | None
) -> FiguresJob:
    """Queue a snapshot request after checking it; the caller commits, then starts the task."""
    case, target, language = _checked_case_target_language(case_id, target_id, language)
    job = FiguresJob(
        case_id=case.id,
        target_id=target.id if target else None,
        language=language,
        state=JobState.QUEUED,
        progress=0,
        step=JobStep.WAITING,
        requested_by_id=requested_by_id,
    )
    db.session.add(job)
    db.session.flush()
    return job


def run_snapshot_job(job_id: int, base_url: str | None = None) -> int | None:
    """Make the snapshot a job asks for, committing progress as it goes so the console can show it.

    Runs once per job: a job that is already done (a task delivered twice) is left as it is.
    Returns the snapshot's id, or None when the job failed or did not exist.
    """
    job = db.session.get(FiguresJob, job_id, with_for_update=True)
    if job is None:
        return None
    if job.state == JobState.DONE:
        db.session.commit()
        return job.snapshot_id

    def progress(step: JobStep, percent: int) -> None:
        job.state = JobState.RUNNING
        job.step = step
        job.progress = percent
        db.session.commit()

    progress(JobStep.READING_TOTALS, 5)
    try:
        snapshot = freeze_snapshot(
            job.case_id,
            job.target_id,
            job.language,
            created_by_id=job.requested_by_id,
            base_url=base_url,
            on_progress=progress,
        )
    except Exception as error:
        db.session.rollback()
        job = db.session.get(FiguresJob, job_id)
        job.state = JobState.FAILED
        job.error = error.__class__.__name__ if not isinstance(error, FiguresRequestInvalid) else str(error)
        db.session.commit()
        current_app.logger.exception("figures snapshot job %s failed", job_id)
        return None
    job.snapshot_id = snapshot.id
    job.state = JobState.DONE
    job.step = JobStep.FINISHED
    job.progress = 100
    db.session.commit()
    return snapshot.id


def _parse_delivered_at(value: object, errors: dict[str, object]) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            errors["delivered_at"] = _l("Give the date and time as YYYY-MM-DD HH:MM.")
            return None
    else:
        errors["delivered_at"] = _l("Give the date and time of the delivery.")
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=utcnow().tzinfo)
    if moment > utcnow() + CLOCK_SKEW:
        errors["delivered_at"] = _l("A delivery cannot be in the future.")
        return None
    return moment


def record_delivery(
    snapshot: FiguresSnapshot,
    *,
    channel: object,
    target_id: object,
    delivered_at: object,
    note: object,
    recorded_by_id: int | None,
) -> DeliveryRecord:
    """Record that a snapshot reached an official (how, to whom, when, by whom); the caller commits."""
    errors: dict[str, object] = {}
    if channel not in {item.value for item in DeliveryChannel}:
        errors["channel"] = _l("Choose email, fax, post, in person or tweet.")
    target = None
    if target_id not in (None, ""):
        case = queries.case_for_figures(snapshot.case_id)
        try:
            target = queries.case_target(case, int(target_id))
        except (TypeError, ValueError):
            target = None
        if target is None:
            errors["target"] = _l("This official is not linked to the case.")
    moment = _parse_delivered_at(delivered_at, errors)
    note_text = note.strip() if isinstance(note, str) else ""
    if note is not None and not isinstance(note, str):
        errors["note"] = _l("Must be text.")
    elif len(note_text) > MAX_NOTE_LENGTH:
        errors["note"] = _l("Must be at most %(max)d characters.", max=MAX_NOTE_LENGTH)
    elif CONTROL_CHARACTERS.search(note_text):
        errors["note"] = _l("Must not contain control characters.")
    if errors:
        raise FiguresRequestInvalid(errors)
    delivery = DeliveryRecord(
        snapshot_id=snapshot.id,
        channel=channel,
        target_id=target.id if target else None,
        delivered_at=moment,
        recorded_by_id=recorded_by_id,
        note=note_text,
    )
    db.session.add(delivery)
    db.session.flush()
    return delivery


def send_snapshot_by_email(
    snapshot: FiguresSnapshot, target_id: object, *, recorded_by_id: int | None
) -> DeliveryRecord:
    """Email a snapshot's PDF to one of the case's officials through the mailer, then record the delivery.

    The caller commits. Nothing is recorded when the official has no email or the mail server refuses.
    """
    case = queries.case_for_figures(snapshot.case_id)
    try:
        target = queries.case_target(case, int(target_id))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        target = None
    if target is None:
        raise FiguresRequestInvalid({"target": _l("This official is not linked to the case.")})
    if not target.emails:
        raise FiguresRequestInvalid({"target": _l("This official has no email address: deliver it another way.")})
    with force_locale(snapshot.language):
        email = build_email(
            "figures",
            to=target.emails[0],
            subject=str(_l("Actions taken for %(headline)s", headline=case.headline)),
            attachments=((f"figures-{snapshot.sha256[:12]}.pdf", snapshot.pdf, "application/pdf"),),
            case=case,
            target=target,
            snapshot=snapshot,
            verify_url=public_url("figures.verify", sha256=snapshot.sha256),
        )
    try:
        send_email(email)
    except MailFailure as failure:
        raise FiguresRequestInvalid(
            {"email": _l("The email could not be sent: %(reason)s", reason=str(failure))}
        ) from None
    return record_delivery(
        snapshot,
        channel="email",
        target_id=target.id,
        delivered_at=utcnow(),
        note=str(_l("Sent by email with the PDF attached.")),
        recorded_by_id=recorded_by_id,
    )
