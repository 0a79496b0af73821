"""Every console page in a real browser at a phone's 390 px and a desktop's 1280 px: none is wider than the screen.

The pages are read from the URL map (every GET route under /console), so a new page is walked without
being listed here; an admin opens them, with the demo data and a queue of held reports from one address.
Set CONSOLE_SCREENSHOTS to a directory to keep the full-page screenshots of the case workspace and the queue.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from campaign.actions.models import ActionReport, ReviewState
from campaign.cases.models import Case, CaseStatus
from campaign.database import utcnow
from campaign.reminders.models import Reminder
from campaign.reminders.operations import create_reminder
from campaign.supporters.operations import find_or_create_supporter
from tests.accounts.helpers import PASSWORD, make_account

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)
#: Flask-Security's steps that only mean something half-way through a login, and its static files.
NOT_PAGES = {
    "security.two_factor_token_validation",
    "security.two_factor_rescue",
    "security.tf_select",
    "security.static",
    "security.verify",
}
#: Pages about a row the demo does not have (a figures job): their 404 page is walked instead.
HELD_REPORTS = 60


#: The deepest elements whose right edge passes the screen's: what to fix when a page is too wide.
WIDEST_ELEMENTS = """width => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > width + 0.5 && !Array.from(el.children).some(
    child => child.getBoundingClientRect().right > width + 0.5))
  .slice(0, 3).map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : ''))
  .join(', ')"""


def _ids(db, app) -> dict[str, int]:
    case = db.session.scalar(
        select(Case).where(Case.status == CaseStatus.ACTIVE).order_by(Case.deadline_on.desc()).limit(1)
    )
    for n in range(HELD_REPORTS):
        db.session.add(
            ActionReport(
                case_id=case.id,
                action_type="letter",
                count=1 + n % 4,
                country="KZ",
                source="web",
                review_state=ReviewState.FLAGGED,
                review_reason="the same network address reported this case, type and target 5 times within 60 minutes",
                address_fingerprint="c0ffee" + "0" * 26,
            )
        )
    db.session.commit()
    reminder = db.session.scalar(select(Reminder).limit(1)) or create_reminder(
        case, send_at=utcnow() + timedelta(days=1), is_skipping_reporters=False, texts={}, actor_label="test"
    )
    supporter = find_or_create_supporter("widths@example.org", name=None, country="KZ", language="en")
    db.session.commit()
    reminder_id = reminder.id
    return {
        "case_id": case.id,
        "reminder_id": reminder_id,
        "job_id": 1,
        "account_id": 1,
        "supporter_id": supporter.id,
        "language": "zh",
    }


def _console_urls(app, ids: dict[str, int]) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/console") or "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        url = rule.rule
        for name in re.findall(r"<(?:\w+:)?(\w+)>", rule.rule):
            url = re.sub(rf"<(?:\w+:)?{name}>", str(ids.get(name, 1)), url)
        urls.append(url)
    case_id = ids["case_id"]
    urls += [
        f"/console/cases/{case_id}/reports?page=2",
        f"/console/cases/{case_id}/reports?state=flagged",
        "/console/review?reason=address",
        "/console/cases/999999",
    ]
    return sorted(set(urls))


def _log_in(page, site: str, email: str) -> None:
    page.goto(f"{site}/console/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/console/")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_console_page_is_wider_than_the_screen(site, demo, app, db, new_context, width):
    make_account("widths-admin@example.org", "admin")
    ids = _ids(db, app)
    urls = _console_urls(app, ids)
    assert len(urls) >= 25
    context = new_context(
        viewport={"width": width, "height": 844 if width < 600 else 900}, is_mobile=width < 600, has_touch=width < 600
    )
    page = context.new_page()
    _log_in(page, site, "widths-admin@example.org")

    too_wide, failed = [], []
    for url in urls:
        response = page.goto(f"{site}{url}")
        if response.status >= 500 or (
            response.status >= 400 and url != "/console/cases/999999" and "/jobs/" not in url
        ):
            failed.append(f"{url}: {response.status}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide.append(f"{url}: {scroll_width} px ({page.evaluate(WIDEST_ELEMENTS, width)})")

    assert not too_wide, f"pages wider than {width} px: {too_wide}"
    assert not failed, failed


def test_the_console_menu_folds_on_a_phone_and_opens_without_javascript(site, demo, db, new_context):
    make_account("menu-organiser@example.org", "organiser")
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{site}/console/login")
    page.get_by_label("Email", exact=True).fill("menu-organiser@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/console/")

    review_link = page.get_by_role("navigation", name="Console").get_by_role("link", name="Review")
    assert not review_link.is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert review_link.is_visible()
    review_link.click()
    page.wait_for_url(f"{site}/console/review")


def test_a_page_an_account_may_not_open_is_the_consoles_own_403(site, db, new_context):
    make_account("refused-staff@example.org", "staff")
    page = new_context(viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False).new_page()
    _log_in(page, site, "refused-staff@example.org")

    response = page.goto(f"{site}/console/review")

    assert response.status == 403
    assert page.locator("h1").inner_text() == "You cannot see this page"
    assert page.get_by_role("navigation", name="Console").get_by_role("link", name="Reminders").is_visible()
    assert page.get_by_role("link", name="Go to the console").is_visible()


def test_full_page_screenshots_of_the_case_workspace_and_the_review_queue_are_taken(
    site, demo, app, db, new_context, tmp_path
):
    folder = Path(os.environ.get("CONSOLE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    make_account("shots-admin@example.org", "admin")
    case_id = _ids(db, app)["case_id"]
    for width in WIDTHS:
        context = new_context(viewport={"width": width, "height": 844 if width < 600 else 900}, is_mobile=width < 600)
        page = context.new_page()
        _log_in(page, site, "shots-admin@example.org")
        for name, url in (
            ("overview", f"/console/cases/{case_id}"),
            ("reports", f"/console/cases/{case_id}/reports"),
            ("timeline", f"/console/cases/{case_id}/timeline"),
            ("review", "/console/review"),
            ("audit", "/console/audit"),
            ("dashboard", "/console/"),
        ):
            page.goto(f"{site}{url}")
            height = page.evaluate("document.documentElement.scrollHeight")
            print(f"{name} at {width}px: {height}px tall")
            shot = folder / f"{name}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            # A PNG as wide as the viewport (bytes 16-24 of the file: width and height).
            assert int.from_bytes(shot.read_bytes()[16:20], "big") == width
            assert int.from_bytes(shot.read_bytes()[20:24], "big") == height
