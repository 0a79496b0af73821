"""The actions tests log in with the account fixtures of tests/accounts and freeze figures as tests/figures does."""

from tests.accounts.conftest import admin, admin_client, client, organiser, organiser_client, staff  # noqa: F401
from tests.figures.conftest import freeze  # noqa: F401
