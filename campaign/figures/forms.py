"""Console forms of the figures: freezing a snapshot and recording a delivery. They validate, never write."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from campaign.cases.models import Case
from campaign.figures.models import FiguresSnapshot

CHANNEL_CHOICES = [
    SelectChoice("email", _l("Email")),
    SelectChoice("fax", _l("Fax")),
    SelectChoice("post", _l("Post")),
    SelectChoice("in_person", _l("In person")),
    SelectChoice("tweet", _l("Tweet")),
]


def official_choices(case: Case) -> list[SelectChoice]:
    return [SelectChoice("", _l("Whole case"))] + [
        SelectChoice(str(link.target_id), link.target.display_name) for link in case.target_links
    ]


class SnapshotForm(FlaskForm):
    target_id = SelectField(_l("Figures for"), validators=[Optional()])
    language = SelectField(_l("Language of the document"), validators=[InputRequired()])

    def for_case(self, case: Case, languages: list[tuple[str, str]]) -> SnapshotForm:
        self.target_id.choices = official_choices(case)
        self.language.choices = [SelectChoice(code, name) for code, name in languages]
        return self


class DeliveryForm(FlaskForm):
    snapshot_id = SelectField(_l("Snapshot"), validators=[InputRequired()])
    channel = SelectField(_l("How it was delivered"), choices=CHANNEL_CHOICES, validators=[InputRequired()])
    target_id = SelectField(_l("To whom"), validators=[Optional()])
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

    target_id = SelectField(_l("Official"), validators=[InputRequired()], validate_choice=False)
