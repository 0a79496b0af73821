"""The figures console tests log in with the account fixtures of tests/accounts."""

from tests.accounts.conftest import admin, admin_client, client  # noqa: F401
