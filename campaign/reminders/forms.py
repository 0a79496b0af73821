"""Staff forms for reminders: they parse and check, and never write."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from campaign.actions.validation import LANGUAGE_TAG
from campaign.form_fields import ChosenSelectField

MAX_SUBJECT_LENGTH = 200
MAX_BODY_LENGTH = 20_000


def as_utc(value: datetime | None) -> datetime | None:
    """A datetime-local value, read as UTC."""
    return value.replace(tzinfo=UTC) if value is not None else None


class ReminderTextFields:
    language = StringField(
        _l("Language"), default="en", validators=[DataRequired(), Regexp(LANGUAGE_TAG.pattern), Length(max=20)]
    )
    subject = StringField(_l("Subject"), validators=[Optional(), Length(max=MAX_SUBJECT_LENGTH)])
    body = TextAreaField(_l("Text"), validators=[Optional(), Length(max=MAX_BODY_LENGTH)])


class NewReminderForm(FlaskForm, ReminderTextFields):
    case_id = ChosenSelectField(
        _l("Case"), placeholder=_l("Choose a case"), message=_l("Choose the case."), coerce=int, validate_choice=False
    )
    send_at = DateTimeLocalField(_l("Send at (UTC)"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    is_skipping_reporters = BooleanField(_l("Skip supporters who reported an action since subscribing"))


class EditReminderForm(FlaskForm):
    send_at = DateTimeLocalField(_l("Send at (UTC)"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    is_skipping_reporters = BooleanField(_l("Skip supporters who reported an action since subscribing"))


class ReminderTextForm(FlaskForm, ReminderTextFields):
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=MAX_SUBJECT_LENGTH)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=MAX_BODY_LENGTH)])


class CaseUpdateForm(FlaskForm, ReminderTextFields):
    case_id = ChosenSelectField(
        _l("Case"), placeholder=_l("Choose a case"), message=_l("Choose the case."), coerce=int, validate_choice=False
    )
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=MAX_SUBJECT_LENGTH)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=MAX_BODY_LENGTH)])


class CancelReminderForm(FlaskForm):
    """Nothing but the CSRF token."""
