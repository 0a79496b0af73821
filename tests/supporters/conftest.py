"""The outbox and SMTP fixtures of the reminder tests, and the figures tests' report and freeze, serve here too."""

from tests.figures.conftest import freeze, report
from tests.reminders.conftest import outbox, smtp_app, smtp_server

__all__ = ["freeze", "outbox", "report", "smtp_app", "smtp_server"]
