"""Console forms of the figures: freezing a snapshot and recording a delivery. They validate, never write."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from campaign.cases.models import Case
from campaign.figures.models import FiguresSnapshot
from campaign.form_fields import ChosenSelectField

CHANNEL_CHOICES = [
    SelectChoice("email", _l("Email")),
    SelectChoice("fax", _l("Fax")),
    SelectChoice("post", _l("Post")),
    SelectChoice("in_person", _l("In person")),
    SelectChoice("tweet", _l("Tweet")),
]


def official_choices(case: Case) -> list[SelectChoice]:
    """The case's officials; "Whole case" is the fields' explicit ``none_choice``."""
    return [SelectChoice(str(link.target_id), link.target.display_name) for link in case.target_links]


class SnapshotForm(FlaskForm):
    target_id = ChosenSelectField(
        _l("Figures for"),
        placeholder=_l("Choose the whole case or an official"),
        message=_l("Choose whose figures to freeze: the whole case or one official."),
        none_choice=_l("Whole case"),
    )
    language = SelectField(_l("Language of the document"), validators=[InputRequired()])

    def for_case(self, case: Case, languages: list[tuple[str, str]]) -> SnapshotForm:
        self.target_id.choices = official_choices(case)
        self.language.choices = [SelectChoice(code, name) for code, name in languages]
        return self


class DeliveryForm(FlaskForm):
    """Which snapshot went to whom and how: each chosen by the person recording it, none preselected."""

    snapshot_id = ChosenSelectField(
        _l("Snapshot"), placeholder=_l("Choose a snapshot"), message=_l("Choose the snapshot that was delivered.")
    )
    channel = ChosenSelectField(
        _l("How it was delivered"),
        placeholder=_l("Choose how"),
        message=_l("Choose how it was delivered."),
        choices=CHANNEL_CHOICES,
    )
    target_id = ChosenSelectField(
        _l("To whom"),
        placeholder=_l("Choose an official or the whole case"),
        message=_l("Choose to whom it was delivered: one official or the officials of the whole case."),
        none_choice=_l("Whole case"),
    )
    delivered_at = DateTimeLocalField(
        _l("When"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"], validators=[InputRequired()]
    )
    note = TextAreaField(_l("Note (staff only)"), validators=[Optional(), Length(max=2000)])

    def for_case(self, case: Case, snapshots: list[FiguresSnapshot]) -> DeliveryForm:
        self.target_id.choices = official_choices(case)
        self.snapshot_id.choices = [
            SelectChoice(str(snapshot.id), f"{snapshot.created_at:%Y-%m-%d %H:%M} UTC · {snapshot.sha256[:12]}…")
            for snapshot in snapshots
        ]
        return self


class EmailSnapshotForm(FlaskForm):
    """Send one snapshot's PDF to one of the case's officials by email."""

    target_id = ChosenSelectField(
        _l("Official"),
        placeholder=_l("Choose an official"),
        message=_l("Choose the official to send it to."),
        validate_choice=False,
    )
