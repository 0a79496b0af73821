"""Public pages and the public API never act as an account, so they never load an identity, even for a signed-in
organiser; the console still does on every request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import g, request


@contextmanager
def identity_per_request(app) -> Iterator[dict[str, bool]]:
    """For each path requested while the block runs, whether an identity was loaded for it."""
    seen: dict[str, bool] = {}

    def note(response):
        seen[request.path] = "identity" in g
        return response

    app.after_request_funcs.setdefault(None, []).append(note)
    try:
        yield seen
    finally:
        app.after_request_funcs[None].remove(note)


def test_a_signed_in_organiser_reading_public_pages_loads_no_identity(app, organiser_client, make_case):
    case = make_case()
    with identity_per_request(app) as seen:
        assert organiser_client.get(f"/cases/{case.slug}").status_code == 200
        assert organiser_client.get(f"/api/v1/cases/{case.slug}/totals").status_code == 200
        answer = organiser_client.post(
            f"/api/v1/cases/{case.slug}/actions", json={"action_type": "letter", "count": 1, "country": "KZ"}
        )
        assert answer.status_code == 201
    assert len(seen) == 3
    assert not any(seen.values())


def test_the_console_still_loads_the_signed_in_identity(app, organiser_client, make_case):
    make_case()
    with identity_per_request(app) as seen:
        assert organiser_client.get("/console/").status_code == 200
        assert organiser_client.get("/api/v1/console/me").status_code in (200, 401, 404)
    assert seen["/console/"]
    assert all(seen.values())
