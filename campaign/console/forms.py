"""Console forms: they parse and check what an organiser typed, and never write."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from campaign.actions.forms import action_type_choices
from campaign.actions.schemas import GROUP_CODE
from campaign.form_fields import ChosenSelectField

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
    """A group's tally: type, country and date are chosen by the organiser, never preselected."""

    action_type = ChosenSelectField(
        _l("Action type"),
        placeholder=_l("Choose an action type"),
        message=_l("Choose the type of action."),
        choices=action_type_choices(),
    )
    count = IntegerField(
        _l("Number of actions"),
        validators=[InputRequired(_l("Give the number of actions.")), NumberRange(min=1, max=100_000)],
    )
    country = ChosenSelectField(
        _l("Country"),
        placeholder=_l("Choose a country"),
        message=_l("Choose the country the actions came from."),
    )
    held_on = DateField(_l("Date of the event"), validators=[InputRequired(_l("Give the date of the event."))])
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
