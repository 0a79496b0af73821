"""A real browser (Debian's chromium): an organiser logs in, imports a UA text, publishes it, finds it public."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.accounts.helpers import PASSWORD, make_account

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
UA_TEXT = Path(__file__).parent.parent / "cases" / "texts" / "ua_63_20_nagyz_muhammed.txt"

pytestmark = pytest.mark.browser


@pytest.fixture
def console_server(app, db) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def browser_page():
    from tests.conftest import require_service

    require_service("chromium", Path(CHROMIUM).exists())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


def test_organiser_imports_a_ua_publishes_it_and_finds_it_on_the_public_site(console_server, browser_page, db):
    make_account("browser-organiser@example.org", "organiser")
    page = browser_page
    page.goto(f"{console_server}/console/login")
    page.get_by_label("Email", exact=True).fill("browser-organiser@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{console_server}/console/")

    page.goto(f"{console_server}/console/import")
    page.get_by_label("Urgent Action text").fill(UA_TEXT.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Read the text").click()
    page.get_by_role("button", name="Create the draft case").click()
    page.wait_for_url("**/console/cases/*")
    headline = page.locator("h1").inner_text()
    assert page.get_by_text("Draft case created").is_visible()

    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/console/cases/*")
    assert page.get_by_text("Published.", exact=True).is_visible()

    page.goto(f"{console_server}/")
    page.get_by_role("link", name=headline).first.click()
    assert page.locator("h1").first.inner_text().strip() == headline.strip()
    assert page.get_by_label("Number of actions").is_visible()
