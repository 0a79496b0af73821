"""The case workspace's forms: they parse and check what an organiser typed, and never write."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from campaign.actions.schemas import CONTROL_CHARACTERS
from campaign.actions.validation import LANGUAGE_TAG
from campaign.cases.models import TargetRole
from campaign.ua_import import Official


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _list(text: str | None) -> list[str]:
    return [part.strip() for part in re.split(r"[,\n;]", text or "") if part.strip()]


class CaseForm(FlaskForm):
    headline = StringField(_l("Headline"), validators=[DataRequired(), Length(max=300)])
    ua_number = StringField(_l("UA number"), validators=[Optional(), Length(max=40)])
    ai_index = StringField(_l("AI index"), validators=[Optional(), Length(max=60)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=1000)])
    story_markdown = TextAreaField(_l("Story (Markdown)"), validators=[Optional(), Length(max=50_000)])
    additional_information_markdown = TextAreaField(
        _l("Additional information (Markdown)"), validators=[Optional(), Length(max=50_000)]
    )
    people = TextAreaField(
        _l("People at risk"),
        description=_l("One a line: name | name in its own script | pronouns."),
        validators=[Optional(), Length(max=5000)],
    )
    asks = TextAreaField(
        _l("Asks"), description=_l("One a line, in order."), validators=[Optional(), Length(max=10_000)]
    )
    preferred_languages = StringField(
        _l("Preferred languages"),
        description=_l("BCP 47 codes, most preferred first: zh, en."),
        validators=[Optional()],
    )
    issued_on = DateField(_l("Issued on"), validators=[Optional()])
    deadline_on = DateField(_l("Deadline"), validators=[Optional()])
    goal = IntegerField(_l("Goal (number of actions)"), validators=[Optional(), NumberRange(min=1, max=100_000_000)])

    def validate_people(self, field) -> None:
        for line in _lines(field.data):
            name = line.split("|")[0].strip()
            if not name or len(name) > 200:
                raise ValidationError(_l("Each line needs a name of at most 200 characters."))

    def validate_preferred_languages(self, field) -> None:
        for code in _list(field.data):
            if not LANGUAGE_TAG.match(code):
                raise ValidationError(_l("%(code)s is not a language code such as en or zh-Hans.", code=code))

    def validate_deadline_on(self, field) -> None:
        if field.data and self.issued_on.data and field.data < self.issued_on.data:
            raise ValidationError(_l("The deadline cannot be before the issue date."))

    def case_fields(self):
        from campaign.cases.operations import CaseFields

        people = []
        for line in _lines(self.people.data):
            parts = [part.strip() or None for part in line.split("|")] + [None, None]
            people.append((parts[0][:200], (parts[1] or None) and parts[1][:200], (parts[2] or None) and parts[2][:40]))
        return CaseFields(
            headline=self.headline.data.strip(),
            ua_number=(self.ua_number.data or "").strip() or None,
            ai_index=(self.ai_index.data or "").strip() or None,
            summary=(self.summary.data or "").strip() or None,
            story_markdown=self.story_markdown.data or "",
            additional_information_markdown=self.additional_information_markdown.data or "",
            people=people,
            asks=_lines(self.asks.data),
            preferred_languages=_list(self.preferred_languages.data),
            issued_on=self.issued_on.data,
            deadline_on=self.deadline_on.data,
            goal=self.goal.data,
        )

    def fill_from(self, case) -> None:
        for name in (
            "headline",
            "ua_number",
            "ai_index",
            "summary",
            "story_markdown",
            "additional_information_markdown",
        ):
            getattr(self, name).data = getattr(case, name)
        self.people.data = "\n".join(
            " | ".join(part or "" for part in (p.name, p.native_name, p.pronouns)).rstrip(" |") for p in case.people
        )
        self.asks.data = "\n".join(ask.text for ask in case.asks)
        self.preferred_languages.data = ", ".join(case.preferred_languages or [])
        self.issued_on.data = case.issued_on
        self.deadline_on.data = case.deadline_on
        self.goal.data = case.goal


class CloseForm(FlaskForm):
    outcome = StringField(
        _l("Outcome"),
        description=_l("For example: released, sentenced, no further action."),
        validators=[DataRequired(), Length(max=500)],
    )


class ExtendDeadlineForm(FlaskForm):
    new_deadline = DateField(_l("New deadline"), validators=[InputRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


ROLE_CHOICES = [SelectChoice(str(TargetRole.TARGET), _l("Target")), SelectChoice(str(TargetRole.COPY), _l("Copy"))]


class LinkTargetForm(FlaskForm):
    target_id = IntegerField(_l("Stored target"), validators=[InputRequired(), NumberRange(min=1)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)


class NewTargetForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=300)])
    address = TextAreaField(_l("Postal address"), validators=[Optional(), Length(max=2000)])
    emails = StringField(
        _l("Email addresses"), description=_l("Separated by commas."), validators=[Optional(), Length(max=1000)]
    )
    faxes = StringField(_l("Fax numbers"), validators=[Optional(), Length(max=500)])
    phones = StringField(_l("Phone numbers"), validators=[Optional(), Length(max=500)])
    twitter = StringField(_l("Twitter"), validators=[Optional(), Regexp(r"^@?\w{1,30}$"), Length(max=31)])
    salutation = StringField(_l("Salutation"), validators=[Optional(), Length(max=200)])
    name_in_own_language = StringField(
        _l("Name in their own language"),
        description=_l(
            "The name and title as the official writes them in their preferred language, for example in Chinese "
            "characters. Shown on the action page, and in the figures in that language."
        ),
        validators=[Optional(), Length(max=300)],
    )
    preferred_language = StringField(
        _l("Their language"),
        description=_l("A language code such as zh or kk: the figures in that language name the official as above."),
        validators=[Optional(), Regexp(LANGUAGE_TAG.pattern, message=_l("Must be a language code such as en or zh."))],
    )
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)

    def validate_name_in_own_language(self, field) -> None:
        if CONTROL_CHARACTERS.search(field.data or ""):
            raise ValidationError(_l("Must not contain control characters."))

    def validate_emails(self, field) -> None:
        from email_validator import EmailNotValidError, validate_email

        for address in _list(field.data):
            try:
                validate_email(address, check_deliverability=False)
            except EmailNotValidError:
                raise ValidationError(_l("%(address)s is not an email address.", address=address)) from None

    def official(self) -> Official:
        return Official(
            name=self.name.data.strip(),
            title=(self.title.data or "").strip() or None,
            organisation=(self.organisation.data or "").strip() or None,
            address_lines=_lines(self.address.data),
            emails=_list(self.emails.data),
            faxes=_list(self.faxes.data),
            phones=_list(self.phones.data),
            twitter=[self.twitter.data.strip()] if self.twitter.data else [],
            salutation=(self.salutation.data or "").strip() or None,
            name_in_own_language=(self.name_in_own_language.data or "").strip() or None,
        )


class LetterForm(FlaskForm):
    language = StringField(_l("Language"), validators=[DataRequired(), Regexp(LANGUAGE_TAG.pattern)])
    body = TextAreaField(_l("Letter"), validators=[DataRequired(), Length(max=20_000)])
