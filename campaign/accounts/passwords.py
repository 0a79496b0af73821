"""Password rules for console accounts: 8 to 128 characters of any script, and not a common one."""

from __future__ import annotations

import typing as t
from functools import cache
from pathlib import Path

from flask import has_request_context
from flask_babel import gettext
from flask_security import PasswordUtil

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
MIN_LENGTH = 8
#: Flask-Security's own ceiling; the issue asks for at least 64.
MAX_LENGTH = 128


def _(text: str, **values: object) -> str:
    """Translated in a request; as written on the command line, where there is no visitor's language."""
    return gettext(text, **values) if has_request_context() else text % values


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, lower case; lines starting with ``#`` are comments."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problems(password: str) -> list[str]:
    """What is wrong with a password; empty when it is acceptable. Never asks a remote service."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return [_("Use from %(min)d to %(max)d characters.", min=MIN_LENGTH, max=MAX_LENGTH)]
    if password.strip().lower() in common_passwords():
        return [_("This password is one of the most common ones; choose another.")]
    return []


class ConsolePasswordUtil(PasswordUtil):
    """Flask-Security's normalisation and length check, then the common-password list."""

    def validate(self, password: str, is_register: bool, **kwargs: t.Any) -> tuple[list | None, str]:
        normalised = self.normalize(password)
        problems = password_problems(normalised)
        return (problems or None), normalised
