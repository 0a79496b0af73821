"""Staff forms for supporters' data requests: they parse and check, and never write."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length


class FindSupporterForm(FlaskForm):
    """Sent by POST, so that the address never appears in a URL or an access log."""

    email = StringField(_l("Email"), validators=[DataRequired(), Length(max=320)])


class ExportSupporterForm(FlaskForm):
    """Nothing but the CSRF token."""


class EraseSupporterForm(FlaskForm):
    is_confirmed = BooleanField(
        _l("I understand that the address and names are deleted for good; the counts stay."),
        validators=[DataRequired(_l("Tick the box to confirm the erasure."))],
    )
