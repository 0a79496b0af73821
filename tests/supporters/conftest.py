"""The outbox and SMTP fixtures of the reminder tests serve the supporter tests too."""

from tests.reminders.conftest import outbox, smtp_app, smtp_server

__all__ = ["outbox", "smtp_app", "smtp_server"]
