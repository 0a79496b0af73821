"""An organiser records an event tally in a real browser (Debian's chromium): nothing is counted by default."""

from __future__ import annotations

import os
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from campaign.actions.models import ActionReport
from campaign.actions.totals import case_total
from tests.accounts.helpers import PASSWORD, make_account

pytestmark = pytest.mark.browser

ORGANISER = "tally-organiser@example.org"


def log_in(page: Page, site: str) -> None:
    page.goto(f"{site}/console/login")
    page.get_by_label("Email", exact=True).fill(ORGANISER)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/console/")


def stored_reports(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(ActionReport))


def screenshot(page: Page, name: str) -> None:
    """Keep a picture of the page when SCREENSHOTS names a folder (to look at the form as its users do)."""
    if folder := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_tally_without_a_chosen_country_is_refused_in_the_browser_and_the_total_is_unchanged(
    site, db, make_case, new_context, width
):
    case = make_case()
    make_account(ORGANISER, "organiser")
    total_before, reports_before = case_total(case.id), stored_reports(db)
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, site)

    page.goto(f"{site}/console/cases/{case.id}/events")
    country = page.get_by_label("Country", exact=True)
    expect(country).to_have_value("")
    expect(page.get_by_label("Action type", exact=True)).to_have_value("")
    expect(page.get_by_label("Date of the event", exact=True)).to_have_value("")
    page.get_by_label("Action type", exact=True).select_option(label="Letter")
    page.get_by_label("Number of actions", exact=True).fill("150")
    page.get_by_label("Date of the event", exact=True).fill(date.today().isoformat())
    with page.expect_response(f"{site}/console/cases/{case.id}/events") as answer:
        page.get_by_role("button", name="Record tally").click()

    assert answer.value.status == 400
    expect(country).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#country-error")).to_contain_text("Choose the country the actions came from.")
    expect(page.get_by_text("No event tally yet.")).to_be_visible()
    screenshot(page, f"tally-refused-{width}")
    assert (case_total(case.id), stored_reports(db)) == (total_before, reports_before)

    country.select_option(label="Kazakhstan")
    page.get_by_role("button", name="Record tally").click()
    expect(page.get_by_text("Event tally recorded.")).to_be_visible()
    screenshot(page, f"tally-recorded-{width}")
    assert stored_reports(db) == reports_before + 1
