"""The console's login form: Flask-Security's checks, labelled "Email" and "Password", no "remember me"."""

from __future__ import annotations

import typing as t

from flask import request
from flask_babel import lazy_gettext as _l
from flask_security import LoginForm, TwoFactorRescueForm, TwoFactorSetupForm
from wtforms import PasswordField, RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired


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
