"""A real browser (Debian's chromium) at a phone's and a desktop's width: a follow-up pasted into the
console's import is attached to its case, and a duplicate is refused, without horizontal scrolling."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from campaign.cases.models import Case, CaseStatus, TimelineKind
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
TEXTS = Path(__file__).parent / "texts"
UA_TEXT = (TEXTS / "ua_63_20_nagyz_muhammed.txt").read_text(encoding="utf-8")
FOLLOW_UP = (TEXTS / "further_information_on_ua_63_20.txt").read_text(encoding="utf-8")
WIDTHS = [390, 1280]
#: Widest content of the page, in CSS pixels, beyond the viewport's width.
OVERFLOW = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth"

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
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(params=WIDTHS, ids=[f"{width}px" for width in WIDTHS])
def organiser_page(request, console_server):
    """A logged-in organiser's page in chromium, at the width of the parameter."""
    from tests.conftest import require_service

    require_service("chromium", Path(CHROMIUM).exists())
    from playwright.sync_api import sync_playwright

    make_account("browser-importer@example.org", "organiser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": request.param, "height": 900})
            page.set_default_timeout(15_000)
            page.goto(f"{console_server}/console/login")
            page.get_by_label("Email", exact=True).fill("browser-importer@example.org")
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{console_server}/console/")
            yield page
        finally:
            browser.close()


def _paste(page, base: str, text: str) -> None:
    page.goto(f"{base}/console/import")
    page.get_by_label("Urgent Action text").fill(text)
    page.get_by_role("button", name="Read the text").click()
    page.get_by_role("heading", name="Check the imported Urgent Action", level=1).wait_for()


def test_a_pasted_follow_up_is_attached_to_its_case(organiser_page, console_server, db, make_case):
    page = organiser_page
    case = make_case(ua_number="63.20", deadline_on=date(2020, 9, 1), issued_on=date(2020, 5, 1))

    _paste(page, console_server, FOLLOW_UP)

    assert page.get_by_text("Urgent Action 63.20 already has a case:").is_visible()
    assert page.get_by_label("UA number", exact=True).input_value() == "63/20"
    assert page.get_by_label("This text follows up an earlier Urgent Action").is_checked()
    assert page.get_by_text("has already passed").first.is_visible()
    assert page.get_by_role("button", name="Create the draft case").count() == 0
    assert page.evaluate(OVERFLOW) <= 0

    page.get_by_role("button", name="Add to the case's timeline").click()
    page.wait_for_url(f"**/console/cases/{case.id}/timeline")
    assert page.get_by_text("The follow-up was added to the case's timeline.").is_visible()
    assert page.get_by_text("CONFIRMED ON APPEAL").first.is_visible()

    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert db.session.query(Case).count() == 1
    assert (case.status, case.deadline_on) == (CaseStatus.ACTIVE, date(2020, 10, 14))
    assert TimelineKind.FOLLOW_UP in {entry.kind for entry in case.timeline}


def test_a_pasted_duplicate_is_refused_with_a_link_to_its_case(organiser_page, console_server, db, make_case):
    page = organiser_page
    case = make_case(ua_number="63.20", headline="Kazakh writer sentenced in secret trial")

    _paste(page, console_server, UA_TEXT)

    assert page.get_by_text("Urgent Action 63.20 already has a case:").is_visible()
    assert page.get_by_role("button", name="Create the draft case").count() == 0
    assert page.evaluate(OVERFLOW) <= 0

    page.locator("#existing-case").get_by_role("link", name="Kazakh writer sentenced in secret trial").click()
    page.wait_for_url(f"**/console/cases/{case.id}")
    db.session.expire_all()
    assert db.session.query(Case).count() == 1
