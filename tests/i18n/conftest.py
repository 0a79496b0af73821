"""The language tests use the console's account fixtures too (editing a case's translations)."""

from tests.accounts.conftest import client, organiser, organiser_client  # noqa: F401
