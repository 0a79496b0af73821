"""Rendering a reminder or case update once per language; each supporter's link and Message-ID are put in when sending."""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from campaign.cases.models import Case
from campaign.cases.translations import localised_case
from campaign.mail import (
    PreparedEmail,
    build_email,
    mail_domain,
    public_url,
)
from campaign.reminders.models import (
    Reminder,
    ReminderKind,
    ReminderText,
)

#: Stand-ins put in a rendered reminder, replaced by each supporter's own unsubscribe link.
UNSUBSCRIBE_PLACEHOLDER = "UNSUBSCRIBE-URL-PLACEHOLDER"
MESSAGE_ID_PLACEHOLDER = "<message-id-placeholder@invalid>"
TOKEN_PLACEHOLDER = "TOKEN-PLACEHOLDER"  # noqa: S105 (a stand-in, not a secret)


class ReminderRenderer:
    """Renders a reminder once per language; each supporter's link and Message-ID are put in when sending."""

    def __init__(self, reminder: Reminder, case: Case):
        self.reminder = reminder
        self.case = case
        #: Kept as plain values: each row's commit expires the ORM objects, and reloading them per message is waste.
        self.reminder_id = reminder.id
        self.domain = mail_domain()
        self.action_url = public_url("cases.action_page", slug=case.slug)
        self.unsubscribe_base = public_url("supporters.unsubscribe_page", token=TOKEN_PLACEHOLDER, case=case.slug)
        latest: dict[str, ReminderText] = {}
        for text in reminder.texts:
            latest[text.language] = text
        self.texts = latest
        self._prepared: dict[str | None, tuple[PreparedEmail, int | None]] = {}
        safe_headline = re.sub(r'[\r\n"\\<>]', " ", case.headline)[:120]
        self.list_id = f'"{safe_headline}" <{case.slug}.cases.{self.domain}>'

    def _text_for(self, language: str | None) -> ReminderText | None:
        default = current_app.config["BABEL_DEFAULT_LOCALE"]
        return self.texts.get(language or default) or self.texts.get(default) or next(iter(self.texts.values()), None)

    def _prepare(self, language: str | None) -> tuple[PreparedEmail, int | None]:
        text = self._text_for(language)
        languages = current_app.config["LANGUAGES"]
        locale = (text.language if text else language) or ""
        if locale not in languages:
            locale = current_app.config["BABEL_DEFAULT_LOCALE"]
        with force_locale(locale):
            is_update = self.reminder.kind == ReminderKind.UPDATE
            headline = localised_case(self.case, locale).headline
            if text is not None:
                subject = text.subject
            elif is_update:
                subject = _("Update: %(headline)s", headline=headline)
            else:
                subject = _("Reminder: %(headline)s", headline=headline)
            email = build_email(
                "case_update" if is_update else "reminder",
                to="",
                subject=subject,
                headers={
                    "Message-ID": MESSAGE_ID_PLACEHOLDER,
                    "List-Id": self.list_id,
                    "List-Unsubscribe": f"<{UNSUBSCRIBE_PLACEHOLDER}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    "Auto-Submitted": "auto-generated",
                },
                case=self.case,
                headline=headline,
                body=text.body if text else "",
                deadline=self.case.deadline_on,
                action_url=self.action_url,
                unsubscribe_url=UNSUBSCRIBE_PLACEHOLDER,
            )
        stand_ins = {"unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER, "message_id": MESSAGE_ID_PLACEHOLDER}
        return PreparedEmail(email, stand_ins), text.id if text else None

    def prepared_for(self, language: str | None) -> tuple[PreparedEmail, int | None]:
        if language not in self._prepared:
            self._prepared[language] = self._prepare(language)
        return self._prepared[language]

    def values_for(self, ledger_id: int, unsubscribe_token: str) -> dict[str, str]:
        """The stable Message-ID of this delivery and the supporter's own unsubscribe link."""
        return {
            "message_id": f"<reminder-{self.reminder_id}.delivery-{ledger_id}@{self.domain}>",
            "unsubscribe_url": self.unsubscribe_base.replace(f"/{TOKEN_PLACEHOLDER}", f"/{unsubscribe_token}", 1),
        }
