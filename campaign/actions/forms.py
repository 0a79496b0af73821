"""The action page's report form: labels, CSRF and that each counted field was chosen; the checks live in
``schemas`` and ``validation``."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import lru_cache

from babel import support
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import BooleanField, EmailField, HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import Select, html_params

from campaign.actions.models import ActionType, ReviewState
from campaign.form_fields import NONE_IN_PARTICULAR, ChosenSelectField

ACTION_TYPE_LABELS = {
    ActionType.LETTER: _l("Letter"),
    ActionType.EMAIL: _l("Email"),
    ActionType.FAX: _l("Fax"),
    ActionType.CALL: _l("Phone call"),
    ActionType.TWEET: _l("Tweet or social media post"),
    ActionType.OTHER: _l("Other"),
}


class ReusedOptionsSelect(Select):
    """A ``<select>`` whose options are rendered once per list and selected value, then reused.

    The country list has about 250 options, and rendering them through WTForms option by option
    took more time than the rest of the action page.
    """

    def __call__(self, field, **kwargs):
        if self.multiple or not all(isinstance(choice, SelectChoice) for choice in field.choices):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for name in self.validation_attrs:
            if name not in kwargs and getattr(flags, name, False):
                kwargs[name] = True
        choices = tuple((str(choice.value), str(choice.label)) for choice in field.choices)
        if field.data is None:
            selected = NONE_IN_PARTICULAR if getattr(field, "none_choice", None) is not None else None
        else:
            selected = str(field.data)
        select = f"<select {html_params(name=field.name, **kwargs)}>{_options_html(choices, selected)}</select>"
        return Markup(select)  # noqa: S704 (html_params escapes the attributes, _options_html the labels)


@lru_cache(maxsize=256)
def _options_html(choices: tuple[tuple[str, str], ...], selected: str | None) -> str:
    return "".join(
        f"<option {html_params(value=value, selected=value == selected)}>{escape(label or value)}</option>"
        for value, label in choices
    )


def action_type_choices() -> list[SelectChoice]:
    return [SelectChoice(t.value, label) for t, label in ACTION_TYPE_LABELS.items()]


@lru_cache(maxsize=32)
def _wtforms_translations(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _PageLanguageTranslations:
    """WTForms' own messages in the page's language, looked up when one is shown: a form without errors, the
    common case on the report path, then never asks which language the page is in."""

    def gettext(self, string: str) -> str:
        return _wtforms_translations(str(get_locale())).gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_translations(str(get_locale())).ngettext(singular, plural, n)


_PAGE_LANGUAGE_TRANSLATIONS = _PageLanguageTranslations()


class ReportForm(FlaskForm):
    """Every field that decides a figure starts empty and must be chosen; the schema checks the values."""

    class Meta:
        #: An anonymous report carries no one's authority; the view refuses a submission from another site.
        csrf = False

        def get_translations(self, form):
            """WTForms' own messages in the page's language, loaded once per process (Flask-WTF reads the
            catalogue from disk on every request that builds a form, and this form is on the hot path)."""
            return _PAGE_LANGUAGE_TRANSLATIONS

    action_type = ChosenSelectField(
        _l("Action type"),
        placeholder=_l("Choose an action type"),
        message=_l("Choose the type of action."),
        choices=action_type_choices(),
        validate_choice=False,
    )
    target_id = ChosenSelectField(
        _l("Target"),
        placeholder=_l("Choose a target"),
        message=_l("Choose a target, or all targets."),
        none_choice=_l("All targets"),
        validate_choice=False,
        widget=ReusedOptionsSelect(),
    )
    count = StringField(_l("Number of actions"))
    country = ChosenSelectField(
        _l("Country"),
        placeholder=_l("Choose your country"),
        message=_l("Choose a country from the list (its ISO 3166 code, such as FR or KZ)."),
        validate_choice=False,
        widget=ReusedOptionsSelect(),
    )
    name = StringField(_l("Name"))
    email = EmailField(_l("Email"))
    remind_me = BooleanField(_l("Remind me before the deadline"))
    #: A fresh id per rendered form, so a double-clicked submit stores one report.
    submission_id = HiddenField()
    group = HiddenField()

    def for_case(self, targets: Iterable[tuple[str, str]], countries: list[tuple[str, str]]) -> ReportForm:
        """Fill the choices that depend on the case: its targets as (id, name), and every country."""
        self.target_id.choices = [SelectChoice(target_id, name) for target_id, name in targets]
        self.country.choices = [SelectChoice(code, name) for code, name in countries]
        if not self.submission_id.data:
            self.submission_id.data = uuid.uuid4().hex
        return self

    def report_fields(self) -> dict:
        """The submitted values in the shape ``validate_report`` takes ("all targets" is no ``target_id``)."""
        count_text = (self.count.data or "").strip()
        target_text = (self.target_id.data or "").strip()
        fields: dict = {
            "action_type": self.action_type.data,
            "count": int(count_text) if count_text.isdigit() and len(count_text) < 7 else count_text,
            "country": self.country.data or None,
            "name": self.name.data or None,
            "email": self.email.data or None,
            "remind_me": bool(self.remind_me.data),
        }
        if target_text:
            fields["target_id"] = int(target_text) if target_text.isdigit() and len(target_text) < 12 else target_text
        if self.group.data:
            fields["group"] = self.group.data
        return fields


DECISIONS = [
    SelectChoice(str(ReviewState.COUNTED), _l("Accept (count them)")),
    SelectChoice(str(ReviewState.REJECTED), _l("Reject")),
]
SCOPES = [
    SelectChoice("selected", _l("The reports selected below")),
    SelectChoice("matching", _l("Every held report that matches the filter")),
]


class ReviewDecisionForm(FlaskForm):
    """One decision on many held reports: those ticked, or every one matching the queue's filter."""

    scope = RadioField(_l("Decide on"), choices=SCOPES, default="selected", validators=[Optional()])
    decision = RadioField(_l("Decision"), choices=DECISIONS, validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])

    def validate_reason(self, field) -> None:
        if self.decision.data == ReviewState.REJECTED and not (field.data or "").strip():
            raise ValidationError(_l("A rejection needs a reason."))


class FlagForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
