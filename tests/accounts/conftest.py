"""Fixtures for console accounts: an account per role and a logged-in client for each."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import FreshContextClient, log_in, make_account


@pytest.fixture
def client(client, app):
    """The suite's client (its address, fresh limits), each request in its own app context (see FreshContextClient)."""
    fresh = FreshContextClient(app, app.response_class, use_cookies=True)
    fresh.environ_base.update(client.environ_base)
    return fresh


@pytest.fixture
def organiser(db):
    return make_account("organiser@example.org", "organiser")


@pytest.fixture
def staff(db):
    return make_account("staff@example.org", "staff")


@pytest.fixture
def admin(db):
    return make_account("admin@example.org", "admin")


@pytest.fixture
def organiser_client(client, organiser):
    response = log_in(client, organiser.email)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


@pytest.fixture
def admin_client(client, admin):
    assert log_in(client, admin.email).status_code == 302
    return client
