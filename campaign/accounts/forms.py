"""The console's login form (Flask-Security's checks, labelled "Email" and "Password", no "remember me") and an admin's account forms."""

from __future__ import annotations

import typing as t

from flask import request
from flask_babel import lazy_gettext as _l
from flask_security import LoginForm, TwoFactorRescueForm, TwoFactorSetupForm
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Regexp
from wtforms.widgets import CheckboxInput, ListWidget


class ConsoleLoginForm(LoginForm):
    """Same answer for a known and an unknown email; a session never outlives the browser's idle limit."""

    password = PasswordField(
        _l("Password"), validators=[InputRequired()], render_kw={"autocomplete": "current-password"}
    )
    remember = None
    submit = SubmitField(_l("Log in"))

    def __init__(self, *args: t.Any, **kwargs: t.Any):
        super().__init__(*args, **kwargs)
        self.email.label.text = str(_l("Email"))

    def validate(self, **kwargs: t.Any) -> bool:
        valid = super().validate(**kwargs)
        if not valid and self.user is None and request.method == "POST" and self.email.data:
            from campaign.accounts.operations import record_unknown_login

            record_unknown_login()
        return valid


class ConsoleTwoFactorSetupForm(TwoFactorSetupForm):
    """Flask-Security's two-factor set-up offering the authenticator app only, with current WTForms choices."""

    setup = RadioField(
        _l("Available methods"),
        choices=[
            SelectChoice("disable", _l("Disable two-factor authentication")),
            SelectChoice("authenticator", _l("Authenticator app")),
        ],
        validate_choice=False,
    )


class ConsoleTwoFactorRescueForm(TwoFactorRescueForm):
    """Flask-Security's rescue form: the only way out of a lost device is an administrator."""

    help_setup = RadioField(
        _l("Trouble accessing your account or lost your device?"),
        choices=[SelectChoice("help", _l("Contact an administrator"))],
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


ACCOUNT_ROLE_CHOICES = [
    SelectChoice("organiser", _l("Organiser")),
    SelectChoice("staff", _l("Staff")),
    SelectChoice("admin", _l("Admin")),
]


class AccountForm(FlaskForm):
    email = StringField(_l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=255)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8, max=128)])
    roles = MultiCheckboxField(_l("Roles"), choices=ACCOUNT_ROLE_CHOICES, validators=[DataRequired()])


class AccountRolesForm(FlaskForm):
    roles = MultiCheckboxField(_l("Roles"), choices=ACCOUNT_ROLE_CHOICES, validators=[DataRequired()])


class AccountActiveForm(FlaskForm):
    active = HiddenField(validators=[DataRequired(), Regexp("^(yes|no)$")])
