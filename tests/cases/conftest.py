"""The cases tests use the console's account fixtures (tests/accounts)."""

from tests.accounts.conftest import client, organiser, organiser_client  # noqa: F401
