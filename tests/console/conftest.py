"""The console's tests use the account fixtures of tests/accounts."""

from tests.accounts.conftest import admin, admin_client, client, organiser, organiser_client, staff  # noqa: F401
