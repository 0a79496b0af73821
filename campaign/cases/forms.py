"""The import review form: every parsed field of an Urgent Action, editable; it checks and never writes."""

from __future__ import annotations

import re
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from campaign.actions.schemas import CONTROL_CHARACTERS
from campaign.actions.validation import LANGUAGE_TAG
from campaign.cases.importing import OUTCOMES
from campaign.ua_import import Official, ParsedUrgentAction, Person

#: The same bound as the paste form's: the pasted text travels in a hidden field.
MAX_TEXT_CHARACTERS = 200_000
#: More officials than any Urgent Action names; a bound on what one request may carry.
MAX_OFFICIALS = 40


def _without_control_characters(value):
    """Text as typed or pasted, without the control characters (NUL …) a database cannot store."""
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


class _TextMeta:
    """Every text field of these forms drops control characters before it is checked."""

    def bind_field(self, form, unbound_field, options):
        if issubclass(unbound_field.field_class, StringField):
            options = {**options, "filters": (*unbound_field.kwargs.get("filters", ()), _without_control_characters)}
        return super().bind_field(form, unbound_field, options)


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _codes(text: str | None) -> list[str]:
    return [part.strip() for part in re.split(r"[,\n;]", text or "") if part.strip()]


class OfficialForm(Form):
    """One target or copy with every channel; one value a line where there may be several."""

    class Meta(_TextMeta):
        pass

    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=300)])
    address = TextAreaField(_l("Postal address"), validators=[Optional(), Length(max=2000)])
    emails = TextAreaField(_l("Emails"), validators=[Optional(), Length(max=1000)])
    faxes = TextAreaField(_l("Faxes"), validators=[Optional(), Length(max=500)])
    phones = TextAreaField(_l("Phones"), validators=[Optional(), Length(max=500)])
    twitter = StringField(_l("Twitter"), validators=[Optional(), Regexp(r"^@?\w{1,30}$"), Length(max=31)])
    salutation = StringField(_l("Salutation"), validators=[Optional(), Length(max=200)])

    def validate_emails(self, field) -> None:
        from email_validator import EmailNotValidError, validate_email

        for address in _lines(field.data):
            try:
                validate_email(address, check_deliverability=False)
            except EmailNotValidError:
                raise ValidationError(_l("%(address)s is not an email address.", address=address)) from None

    def official(self) -> Official | None:
        """The official as edited, or None when every field was left empty (the official is left out)."""
        official = Official(
            name=(self.name.data or "").strip() or None,
            title=(self.title.data or "").strip() or None,
            organisation=(self.organisation.data or "").strip() or None,
            address_lines=_lines(self.address.data),
            emails=_lines(self.emails.data),
            faxes=_lines(self.faxes.data),
            phones=_lines(self.phones.data),
            twitter=[self.twitter.data.strip()] if self.twitter.data else [],
            salutation=(self.salutation.data or "").strip() or None,
        )
        return None if official.is_empty else official


def official_values(official: Official) -> SimpleNamespace:
    """An official's fields as the review form shows them; hidden addresses ("*") are left for the organiser."""
    return SimpleNamespace(
        name=official.name,
        title=official.title,
        organisation=official.organisation,
        address="\n".join(official.address_lines),
        emails="\n".join(email for email in official.emails if email != "*"),
        faxes="\n".join(official.faxes),
        phones="\n".join(official.phones),
        twitter=official.twitter[0] if official.twitter else None,
        salutation=official.salutation,
    )


OUTCOME_CHOICES = [SelectChoice("", _l("No outcome stated"))] + [
    SelectChoice(code, label) for code, label in OUTCOMES.items()
]


class ImportReviewForm(FlaskForm):
    """What the organiser checks and corrects before a draft is created or a follow-up attached."""

    class Meta(_TextMeta):
        pass

    text = HiddenField(validators=[DataRequired(), Length(max=MAX_TEXT_CHARACTERS)])
    ua_number = StringField(_l("UA number"), validators=[Optional(), Length(max=40)])
    ai_index = StringField(_l("AI index"), validators=[Optional(), Length(max=60)])
    headline = StringField(
        _l("Headline"),
        description=_l("Left empty, the draft is called “Urgent Action for” its first person."),
        validators=[Optional(), Length(max=300)],
    )
    people = TextAreaField(
        _l("People at risk"),
        description=_l("One a line: name | name in its own script | pronouns."),
        validators=[Optional(), Length(max=5000)],
    )
    targets = FieldList(FormField(OfficialForm), label=_l("Targets"), max_entries=MAX_OFFICIALS)
    copies = FieldList(FormField(OfficialForm), label=_l("Copies"), max_entries=MAX_OFFICIALS)
    asks = TextAreaField(
        _l("Asks"), description=_l("One a line, in order."), validators=[Optional(), Length(max=10_000)]
    )
    preferred_languages = StringField(
        _l("Preferred languages"),
        description=_l("BCP 47 codes, most preferred first: zh, en."),
        validators=[Optional(), Length(max=200)],
    )
    language = StringField(
        _l("Language of the text"),
        description=_l("A BCP 47 code; the model letter is stored in it."),
        validators=[Optional(), Regexp(LANGUAGE_TAG.pattern), Length(max=20)],
    )
    issued_on = DateField(_l("Issued on"), validators=[Optional()])
    deadline = DateField(_l("Deadline"), validators=[Optional()])
    story = TextAreaField(_l("Story (Markdown)"), validators=[Optional(), Length(max=50_000)])
    model_letter = TextAreaField(_l("Model letter"), validators=[Optional(), Length(max=20_000)])
    is_follow_up = BooleanField(_l("This text follows up an earlier Urgent Action"))
    follows_ua_number = StringField(_l("UA number it follows"), validators=[Optional(), Length(max=40)])
    outcome = SelectField(_l("Outcome"), choices=OUTCOME_CHOICES, validators=[Optional()])
    note = TextAreaField(
        _l("Update for the timeline"),
        description=_l("What the case's timeline says about this follow-up."),
        validators=[Optional(), Length(max=5000)],
    )
    close_with_outcome = BooleanField(_l("Close the case with this outcome"))
    as_new = BooleanField(_l("It is another person of the same name: create a new case anyway"))
    recheck = SubmitField(_l("Check again"))
    attach = SubmitField(_l("Add to the case's timeline"))
    create = SubmitField(_l("Create the draft case"))

    def validate_people(self, field) -> None:
        for line in _lines(field.data):
            name = line.split("|")[0].strip()
            if not name or len(name) > 200:
                raise ValidationError(_l("Each line needs a name of at most 200 characters."))

    def validate_asks(self, field) -> None:
        if any(len(ask) > 2000 for ask in _lines(field.data)):
            raise ValidationError(_l("Each ask can have at most 2,000 characters."))

    def validate_preferred_languages(self, field) -> None:
        for code in _codes(field.data):
            if not LANGUAGE_TAG.match(code):
                raise ValidationError(_l("%(code)s is not a language code such as en or zh-Hans.", code=code))

    def validate_deadline(self, field) -> None:
        if field.data and self.issued_on.data and field.data < self.issued_on.data:
            raise ValidationError(_l("The deadline cannot be before the issue date."))

    def validate_close_with_outcome(self, field) -> None:
        if field.data and not self.outcome.data:
            raise ValidationError(_l("Choose the outcome to close the case with."))

    def closing_outcome(self) -> str | None:
        """The outcome to close the case with, when the organiser chose to: its name, or for "other" the note's first line."""
        if not (self.close_with_outcome.data and self.outcome.data in OUTCOMES):
            return None
        first_line = (self.note.data or "").strip().split("\n")[0].strip()
        if self.outcome.data == "other" and first_line:
            return first_line[:500]
        return str(OUTCOMES[self.outcome.data])

    def fill_from(self, parsed: ParsedUrgentAction, note: str) -> None:
        """Show a fresh parse; the caller passes the follow-up's default timeline note."""
        self.ua_number.data = parsed.ua_number
        self.ai_index.data = parsed.ai_index
        self.headline.data = parsed.headline
        self.people.data = "\n".join(
            " | ".join(part or "" for part in (p.name, p.native_name, p.pronouns)).rstrip(" |") for p in parsed.people
        )
        for official in parsed.targets[:MAX_OFFICIALS]:
            self.targets.append_entry(official_values(official))
        for official in parsed.copies[:MAX_OFFICIALS]:
            self.copies.append_entry(official_values(official))
        self.asks.data = "\n".join(parsed.asks)
        self.preferred_languages.data = ", ".join(parsed.preferred_languages)
        self.language.data = parsed.language
        self.issued_on.data = parsed.issued_on
        self.deadline.data = parsed.deadline
        self.story.data = parsed.story
        self.model_letter.data = parsed.model_letter
        self.is_follow_up.data = parsed.is_follow_up
        self.follows_ua_number.data = parsed.follows_ua_number
        self.outcome.data = parsed.outcome if parsed.outcome in OUTCOMES else ("other" if parsed.outcome else "")
        self.note.data = note

    def reviewed(self) -> ParsedUrgentAction:
        """The Urgent Action as the organiser corrected it."""
        people = []
        for line in _lines(self.people.data):
            parts = [part.strip() or None for part in line.split("|")] + [None, None]
            people.append(Person(name=parts[0][:200], native_name=parts[1], pronouns=parts[2]))
        return ParsedUrgentAction(
            ua_number=(self.ua_number.data or "").strip() or None,
            ai_index=(self.ai_index.data or "").strip() or None,
            people=people,
            headline=(self.headline.data or "").strip() or None,
            targets=[o for entry in self.targets if (o := entry.form.official()) is not None],
            copies=[o for entry in self.copies if (o := entry.form.official()) is not None],
            asks=_lines(self.asks.data),
            preferred_languages=_codes(self.preferred_languages.data),
            deadline=self.deadline.data,
            issued_on=self.issued_on.data,
            is_follow_up=bool(self.is_follow_up.data),
            follows_ua_number=((self.follows_ua_number.data or "").strip() or None) if self.is_follow_up.data else None,
            outcome=self.outcome.data or None,
            story=self.story.data or None,
            model_letter=(self.model_letter.data or "").strip() or None,
            language=(self.language.data or "").strip() or None,
        )
