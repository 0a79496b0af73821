"""Console test helpers: accounts, logins and CSRF tokens through the real pages."""

from __future__ import annotations

import contextvars
import re

from flask.globals import _cv_app
from flask.testing import FlaskClient

from campaign.accounts.models import User
from campaign.accounts.operations import create_account
from campaign.extensions import db

PASSWORD = "correct horse battery staple 木"
CSRF_FIELD = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


class FreshContextClient(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    The ``db`` fixture keeps an app context open for the whole test, and a request made inside it
    reuses it: ``g`` (where Flask-Login caches the user and Flask-Security notes how they logged
    in) would then leak from one request to the next.
    """

    def open(self, *args, **kwargs):
        return contextvars.copy_context().run(self._open_in_own_context, *args, **kwargs)

    def _open_in_own_context(self, *args, **kwargs):
        _cv_app.set(None)  # type: ignore[arg-type]
        kwargs.setdefault("buffered", True)  # a streamed body is read and closed in this same context
        return super().open(*args, **kwargs)


def make_account(email: str, *roles: str, password: str = PASSWORD) -> User:
    user = create_account(email, password, list(roles), actor_label="test")
    db.session.commit()
    return user


def csrf_token(client: FlaskClient, path: str = "/console/login") -> str:
    page = client.get(path)
    match = CSRF_FIELD.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def log_in(client: FlaskClient, email: str, password: str = PASSWORD):
    token = csrf_token(client)
    return client.post("/console/login", data={"email": email, "password": password, "csrf_token": token})


def log_out(client: FlaskClient):
    return client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/")})


def session_cookie(client: FlaskClient) -> str | None:
    cookie = client.get_cookie("uat_session")
    return cookie.value if cookie else None
