"""Walks every registered route: security headers on every GET answer, CSRF on every HTML form post."""

from __future__ import annotations

import re

import pytest
from flask import Response
from sqlalchemy import func, select

from campaign.security import SECURITY_HEADERS, add_security_headers

#: HTML routes that take a POST without a CSRF token, and why.
CSRF_EXEMPT_HTML_ROUTES = {
    "/unsubscribe/<token>": "RFC 8058 one-click unsubscribe: mail clients post with no cookie and no token",
    "/cases/<slug>/report": "an anonymous report acts for no one; a post from another site is refused instead",
}


def example_path(rule, slug: str) -> str:
    """A concrete URL for a rule, with plausible values for its arguments."""
    values = {}
    for argument in rule.arguments:
        if argument == "slug":
            values[argument] = slug
        elif argument == "filename":
            values[argument] = "css/site.css"
        elif argument in {"sha256", "digest"}:
            values[argument] = "0" * 64
        elif rule._converters[argument].__class__.__name__ in {"IntegerConverter"}:
            values[argument] = 1
        else:
            values[argument] = "x"
    return rule.build(values, append_unknown=False)[1]


def get_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods]


def test_every_get_answer_carries_the_security_headers(app, client, make_case):
    slug = make_case().slug
    paths = [example_path(rule, slug) for rule in get_rules(app)] + ["/no/such/page", "/api/v1/no-such-thing"]

    for path in paths:
        answer = client.get(path)
        answer.close()
        for name, value in SECURITY_HEADERS.items():
            assert answer.headers.get(name) == value, f"{path} ({answer.status_code}) lacks {name}"


def test_a_security_header_the_view_set_itself_is_kept_once_and_the_others_added(app):
    own_policy = "default-src 'none'"
    with app.test_request_context("/"):
        answer = add_security_headers(Response(headers={"content-security-policy": own_policy}))

    assert answer.headers.getlist("Content-Security-Policy") == [own_policy]
    for name, value in SECURITY_HEADERS.items():
        if name != "Content-Security-Policy":
            assert answer.headers.getlist(name) == [value]


def test_the_content_security_policy_allows_no_inline_script_and_no_other_host(app):
    policy = SECURITY_HEADERS["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "http" not in policy


def test_no_page_has_inline_script_or_style_or_a_foreign_asset(client, make_case):
    slug = make_case().slug
    for path in ["/", f"/cases/{slug}", f"/cases/{slug}/thanks", "/no/such/page"]:
        page = client.get(path).get_data(as_text=True)

        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
        assert " style=" not in page, path
        assert "<style" not in page, path
        assert not re.search(
            r"""(?:src|href)=["'](?:https?:)?//(?!127\.0\.0\.1)""", page.replace('href="https://', 'href="x')
        ), path


def row_counts(db) -> dict[str, int]:
    db.session.expire_all()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) for table in db.metadata.sorted_tables
    }


def state_changing_html_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or rule.rule in CSRF_EXEMPT_HTML_ROUTES:
            continue
        if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            yield rule


def test_every_state_changing_html_route_refuses_a_post_without_a_csrf_token(app, client, db, make_case):
    slug = make_case().slug
    rules = list(state_changing_html_rules(app))
    before = row_counts(db)

    for rule in rules:
        answer = client.post(example_path(rule, slug), data={"count": "1", "country": "KZ", "action_type": "letter"})
        assert answer.status_code == 400, f"{rule.rule} answered {answer.status_code} without a CSRF token"

    assert rules, "no state-changing HTML route was found"
    assert row_counts(db) == before


@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/cases/{slug}", "/api/v1/cases/{slug}/totals"])
def test_the_public_api_sets_no_cookie(client, make_case, path):
    answer = client.get(path.format(slug=make_case().slug))

    assert "Set-Cookie" not in answer.headers
