"""Protections every answer gets: no stored client address, security headers, scrubbed logs.

A supporter's network address is personal data that a hostile state could use, so it is never
stored: rate limits and abuse checks key on an HMAC of it under a key derived from
``SECRET_KEY``, and log lines have the address removed before they are written.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from datetime import date
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'; img-src 'self' data:"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def _address_key() -> bytes:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"client-address-v1", hashlib.sha256).digest()


def _client_address() -> str:
    return request.remote_addr or "unknown"


def hashed_client_address() -> str:
    """The rate-limit key: an HMAC of the client's address, never the address itself."""
    digest = hmac.new(_address_key(), _client_address().encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def daily_address_fingerprint(on: date) -> str:
    """An HMAC of the address and the day, stored with a report to spot floods from one place.

    Including the day means two reports can be linked only within the same day.
    """
    message = f"{on.isoformat()}|{_client_address()}".encode()
    return hmac.new(_address_key(), message, hashlib.sha256).hexdigest()[:32]


def is_cross_site_submission() -> bool:
    """Whether the browser says this request was sent by a page of another site.

    Browsers mark every request with ``Sec-Fetch-Site`` (and a POST with ``Origin``); a page of another
    site cannot remove either. A request without them is not a browser's, and could have been sent to the
    JSON API as well. An ``Origin`` (sent without ``Sec-Fetch-Site`` by older browsers) is ours when it names
    this request's host or ``PUBLIC_URL``'s, so a proxy that rewrites the host does not refuse our own pages.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    ours = {request.host, urlsplit(current_app.config.get("PUBLIC_URL") or "").netloc}
    return origin == "null" or urlsplit(origin).netloc not in ours


def add_security_headers(response: Response) -> Response:
    """Every answer's security headers; one a view set itself (a page's own policy) is kept."""
    headers = response.headers
    present = {name.lower() for name, _value in headers.items()}
    for name, value in SECURITY_HEADERS.items():
        if name.lower() not in present:
            headers.add(name, value)
    if request.is_secure and "strict-transport-security" not in present:
        headers.add("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


_IPV4 = r"(?:\d{1,3}\.){3}\d{1,3}"
_IPV6 = r"(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|[0-9a-fA-F:]*::[0-9a-fA-F:.]*"
ADDRESS_PATTERN = re.compile(rf"(?<![\w.:])(?:{_IPV4}|{_IPV6})(?![\w.:])")


class AddressScrubbingFilter(logging.Filter):
    """Replace any network address in a log record with ``[address]`` before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = ADDRESS_PATTERN.sub("[address]", message)
        if scrubbed != message:
            record.msg = scrubbed
            record.args = None
        return True


def install_log_scrubbing(app: Flask) -> None:
    """Scrub addresses from the app's, werkzeug's and gunicorn's log records."""
    scrubber = AddressScrubbingFilter()
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error", "celery", app.logger.name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, AddressScrubbingFilter) for f in logger.filters):
            logger.addFilter(scrubber)
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, AddressScrubbingFilter) for f in handler.filters):
            handler.addFilter(scrubber)
