"""A live server on 127.0.0.1 and Debian's chromium driven by Playwright.

The browser is shared by the tests of this package only: Playwright's sync API leaves its event
loop marked as running in the main thread between calls, which would break any later test that
calls ``asyncio.run``, so the browser and Playwright stop when this package's last test ends.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from werkzeug.serving import make_server

from campaign.demo.loader import load_demo
from campaign.extensions import limiter
from tests.conftest import require_service

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: An iPhone-sized screen: the action page is built mobile-first. Reduced motion turns off the
#: page's smooth scrolling, which would make every click wait for the scroll to settle.
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "reduced_motion": "reduce"}
#: Longest wait for any page or element; a healthy page answers in well under a second.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The session's app served on a free port of 127.0.0.1 by werkzeug in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the live server did not stop"


@pytest.fixture
def site(live_server: str, app: Flask, db) -> str:
    """The live server's base URL for one test: rate limits reset, tables emptied afterwards."""
    # The limiter is one global object: another test's app may have bound it to other storage.
    limiter.init_app(app)
    limiter.reset()
    return live_server


@pytest.fixture
def demo(db) -> None:
    """The demo data of ``flask demo load``: real seed cases, Chinese names, a closed case."""
    load_demo(today=date.today())


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    require_service("chromium", CHROMIUM.exists())
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's chromium, headless, never a downloaded build; shared by the browser tests."""
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator:
    """Open fresh browser contexts (phone-sized unless told otherwise); all closed after the test."""
    contexts: list[BrowserContext] = []

    def open_context(**options) -> BrowserContext:
        context = browser.new_context(**{**PHONE, **options})
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context) -> BrowserContext:
    """A fresh phone-sized context for one test."""
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
