"""No supporter's identity or network address leaks into a page, an answer, a log line or a store."""

from __future__ import annotations

import logging
import threading
import urllib.request

from werkzeug.serving import make_server

from tests.conftest import require_service
from tests.privacy import addresses_in, database_text, redis_text
from tests.public.forms import report_form_data

SUPPORTER_NAME = "Aigerim Privacyprobe"
SUPPORTER_EMAIL = "aigerim.privacyprobe@example.org"
CLIENT_ADDRESS = "203.0.113.77"


def report_with_identity(client, slug: str, environ_base: dict | None = None) -> None:
    environ_base = environ_base or {}
    data = report_form_data(
        client,
        slug,
        action_type="letter",
        count=2,
        country="KZ",
        name=SUPPORTER_NAME,
        email=SUPPORTER_EMAIL,
        remind_me="y",
    )
    assert client.post(f"/cases/{slug}/report", data=data, environ_base=environ_base).status_code == 303
    answer = client.post(
        f"/api/v1/cases/{slug}/actions",
        json={
            "action_type": "email",
            "count": 1,
            "country": "KZ",
            "name": SUPPORTER_NAME,
            "email": SUPPORTER_EMAIL,
            "remind_me": True,
        },
        environ_base=environ_base,
    )
    assert answer.status_code == 201


def public_get_paths(app, slug: str) -> list[str]:
    paths = ["/", "/no/such/page", "/api/v1/no-such-thing", f"/cases/{slug}/thanks?counted=2"]
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/console", "/api/v1/console", "/static")):
            continue
        if set(rule.arguments) <= {"slug"}:
            paths.append(rule.build({"slug": slug} if rule.arguments else {}, append_unknown=False)[1])
    return paths


def test_a_supporters_name_and_email_appear_in_no_public_page_or_api_answer(app, client, make_case, caplog):
    caplog.set_level(logging.DEBUG)
    case = make_case()
    report_with_identity(client, case.slug)

    for path in public_get_paths(app, case.slug):
        body = client.get(path).get_data()
        assert SUPPORTER_EMAIL.encode() not in body, path
        assert b"Privacyprobe" not in body, path
    assert SUPPORTER_EMAIL not in caplog.text
    assert SUPPORTER_NAME not in caplog.text


def test_a_refused_report_does_not_echo_the_supporters_email_in_its_error(client, make_case):
    case = make_case()

    answer = client.post(
        f"/api/v1/cases/{case.slug}/actions",
        json={"action_type": "letter", "count": 0, "country": "KZ", "email": SUPPORTER_EMAIL, "name": SUPPORTER_NAME},
    )

    assert answer.status_code == 400
    assert SUPPORTER_EMAIL not in answer.get_data(as_text=True)
    assert SUPPORTER_NAME not in answer.get_data(as_text=True)


def test_no_client_address_is_stored_in_the_database_the_logs_or_redis(
    client, db, make_case, rate_limit_storage, caplog
):
    caplog.set_level(logging.DEBUG)
    slug = make_case().slug
    address = {"REMOTE_ADDR": CLIENT_ADDRESS}

    report_with_identity(client, slug, environ_base=address)
    for path in ["/", f"/cases/{slug}", "/api/v1/cases", "/no/such/page"]:
        client.get(path, environ_base=address)

    assert addresses_in(database_text(db)) == []
    assert addresses_in(caplog.text) == []
    require_service("Redis", rate_limit_storage.startswith("redis"))
    cached = redis_text(rate_limit_storage)
    assert "uat" in cached, "the rate limiter wrote nothing to Redis: the test would prove nothing"
    assert addresses_in(cached) == []


def test_the_development_servers_request_log_has_no_client_address(app, client, make_case, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    slug = make_case().slug
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/cases/{slug}", timeout=10) as answer:
            assert answer.status == 200
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()

    request_lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any(f"/cases/{slug}" in line for line in request_lines)
    assert not any("127.0.0.1" in line for line in request_lines)
