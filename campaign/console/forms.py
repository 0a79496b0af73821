"""Console forms: they parse and check what an organiser typed, and never write."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from campaign.actions.models import ActionType
from campaign.actions.validation import GROUP_CODE

MAX_IMPORT_CHARACTERS = 200_000


class ButtonForm(FlaskForm):
    """A form with nothing but its CSRF token, for one-button actions such as publish."""


class ImportForm(FlaskForm):
    text = TextAreaField(
        _l("Urgent Action text"),
        description=_l("Paste the whole text as copied from the PDF or the web page."),
        validators=[DataRequired(), Length(max=MAX_IMPORT_CHARACTERS)],
    )


class EventTallyForm(FlaskForm):
    action_type = SelectField(_l("Action type"), choices=[SelectChoice(t.value, t.value) for t in ActionType])
    count = IntegerField(_l("Number of actions"), validators=[InputRequired(), NumberRange(min=1, max=100_000)])
    country = SelectField(_l("Country"), validators=[DataRequired()])
    held_on = DateField(_l("Date of the event"), validators=[InputRequired()])
    group = StringField(
        _l("Group code"),
        description=_l("Lower-case letters, digits and hyphens, e.g. almaty-school-12."),
        validators=[Optional(), Regexp(GROUP_CODE.pattern), Length(max=60)],
    )

    def report_fields(self) -> dict:
        fields = {"action_type": self.action_type.data, "count": self.count.data, "country": self.country.data}
        if self.group.data:
            fields["group"] = self.group.data.strip()
        return fields


class GroupLinkForm(FlaskForm):
    class Meta:
        csrf = False

    group = StringField(_l("Group code"), validators=[DataRequired(), Regexp(GROUP_CODE.pattern), Length(max=60)])
