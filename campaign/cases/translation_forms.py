"""The console's form for a case's words in another language; it validates and never writes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, ValidationError

MAX_ASKS = 20


class CaseTranslationForm(FlaskForm):
    headline = StringField(_l("Headline"), validators=[Length(max=300)])
    summary = TextAreaField(_l("Summary"), validators=[Length(max=2_000)])
    story_markdown = TextAreaField(_l("Story"), validators=[Length(max=50_000)])
    additional_information_markdown = TextAreaField(_l("Additional information"), validators=[Length(max=50_000)])
    asks = TextAreaField(
        _l("Asks"),
        description=_l("One ask a line, in the order of the original. Leave empty to show the original's asks."),
        validators=[Length(max=20_000)],
    )
    letter = TextAreaField(
        _l("Model letter"),
        description=_l(
            "The whole letter in this language, greeting included: the officials' salutations are kept in English."
        ),
        validators=[Length(max=20_000)],
    )

    def validate_asks(self, field) -> None:
        if len(self.ask_lines()) > MAX_ASKS:
            raise ValidationError(_l("At most %(count)d asks.", count=MAX_ASKS))

    def ask_lines(self) -> list[str]:
        return [line.strip() for line in (self.asks.data or "").splitlines() if line.strip()]
