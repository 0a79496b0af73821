"""Case-change notices: a held update to a case's subscribers for each deadline extension, close and follow-up.

They hang off the timeline, in one place: whichever operation adds a timeline entry of one of
these kinds (``extend_deadline``, ``close_case``, an imported follow-up), the flush that stores
the entry also stores a pending update reminder naming it, due ``CASE_NOTICE_HOLD_MINUTES``
later, with its text written in every language the product ships. Until then staff can edit the
text or cancel it in the console (it is an ordinary pending reminder); after that the scan sends
it through the delivery ledger like any reminder: once per confirmed, consenting subscriber, in
each one's language, with the one-click unsubscribe link and header.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, has_app_context
from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

from campaign.cases.models import Case, CaseStatus, TimelineEntry, TimelineKind
from campaign.cases.translations import localised_case
from campaign.database import utcnow
from campaign.extensions import db
from campaign.reminders.models import Reminder, ReminderKind, ReminderState, ReminderText

#: The timeline entries that subscribers are told about.
NOTICE_KINDS = frozenset({TimelineKind.DEADLINE_EXTENDED, TimelineKind.CLOSED, TimelineKind.FOLLOW_UP})

#: An extension or a close dated further back than this is history being recorded (the demo's), not news to send.
#: The console's operations never date them; a follow-up may carry its own (older) date and is always news.
RECORDED_HISTORY_AGE = timedelta(days=1)

#: Outcomes the console offers, in words a supporter reads; any other outcome is quoted as written.
OUTCOME_SENTENCES = {
    "released": _l("Good news: the person this case is about was released."),
    "sentenced": _l("The person this case is about was sentenced."),
    "no further action": _l("The organisation will take no further action on this case."),
}


def notice_hold() -> timedelta:
    """How long a notice waits for staff before it goes out."""
    return timedelta(minutes=current_app.config["CASE_NOTICE_HOLD_MINUTES"])


def _date(value) -> str:
    return format_date(value, "long") if value else _("no deadline")


def notice_text(entry: TimelineEntry, case: Case) -> tuple[str, str]:
    """The subject and body of the notice for one timeline entry, in the current locale (the headline too, where translated)."""
    headline = localised_case(case, get_locale()).headline
    if entry.kind == TimelineKind.DEADLINE_EXTENDED:
        subject = _("Deadline extended: %(headline)s", headline=headline)
        lines = [
            _(
                "The deadline to act for this case was extended from %(old)s to %(new)s. "
                "There is still time to write: every action counts.",
                old=_date(entry.old_deadline_on),
                new=_date(entry.new_deadline_on),
            )
        ]
        if entry.text and entry.text != "The deadline was extended.":
            lines.append(entry.text)
    elif entry.kind == TimelineKind.CLOSED:
        subject = _("Case closed: %(headline)s", headline=headline)
        outcome = (case.outcome or entry.text or "").strip()
        sentence = OUTCOME_SENTENCES.get(outcome.lower())
        lines = [str(sentence) if sentence else _("This case was closed. Outcome: %(outcome)s", outcome=outcome)]
        lines.append(_("Thank you for every action you took. We no longer ask for actions on this case."))
    else:
        subject = _("New information: %(headline)s", headline=headline)
        lines = [_("There is new information about this case."), entry.text]
        if entry.new_deadline_on:
            lines.append(_("The new deadline is %(new)s.", new=_date(entry.new_deadline_on)))
    return subject[:200], "\n\n".join(line for line in lines if line)


def notice_for(entry: TimelineEntry, case: Case) -> Reminder:
    """A pending update reminder for this timeline entry, held for staff, its text in every language."""
    notice = Reminder(
        case_id=case.id,
        kind=ReminderKind.UPDATE,
        state=ReminderState.PENDING,
        send_at=utcnow() + notice_hold(),
        is_skipping_reporters=False,
        timeline_entry=entry,
    )
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            subject, body = notice_text(entry, case)
        notice.texts.append(ReminderText(language=language, version=1, subject=subject, body=body))
    return notice


def _add_notices(session: Session, _flush_context: object, _instances: object) -> None:
    """Before a flush stores a timeline entry subscribers are told about, add its notice to the same flush."""
    if not has_app_context():
        return
    for entry in [item for item in session.new if isinstance(item, TimelineEntry) and item.kind in NOTICE_KINDS]:
        is_recorded_history = entry.happened_at is not None and entry.happened_at < utcnow() - RECORDED_HISTORY_AGE
        if is_recorded_history and entry.kind != TimelineKind.FOLLOW_UP:
            continue
        case = entry.case if entry.case is not None else session.get(Case, entry.case_id)
        if case is None or case.id is None or case.status == CaseStatus.DRAFT:
            continue
        session.add(notice_for(entry, case))


def init_app(app: Flask) -> None:
    """Listen for the timeline entries that make a notice (once per process: the session is shared)."""
    if not event.contains(db.session, "before_flush", _add_notices):
        event.listen(db.session, "before_flush", _add_notices)
