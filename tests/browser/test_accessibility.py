"""axe-core in the real browser finds no serious or critical violation on the public pages."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.pages import Report, fill_report, open_action_page, send_button, wait_for_thanks

pytestmark = pytest.mark.browser

ACTIVE_SLUG = "zhanargul-zhumatai"
CLOSED_SLUG = "adilgazy-muqai"
BLOCKING_IMPACTS = {"serious", "critical"}


def list_page(page: Page, site: str) -> None:
    page.goto(f"{site}/")
    expect(page.get_by_role("heading", name="Active cases")).to_be_visible()


def action_page(page: Page, site: str) -> None:
    open_action_page(page, site, ACTIVE_SLUG)
    expect(page.get_by_role("button", name="Send my report")).to_be_visible()


def closed_case_page(page: Page, site: str) -> None:
    open_action_page(page, site, CLOSED_SLUG)
    expect(page.get_by_role("heading", name="This case is closed")).to_be_visible()


def thank_you_page(page: Page, site: str) -> None:
    open_action_page(page, site, ACTIVE_SLUG)
    fill_report(page, Report(action_type="Email", count=1, country="Kazakhstan"))
    send_button(page).click()
    wait_for_thanks(page, ACTIVE_SLUG)


def refused_report_page(page: Page, site: str) -> None:
    """The action page as it comes back when a report is refused: no country, a count of 0."""
    open_action_page(page, site, ACTIVE_SLUG)
    page.get_by_label("Number of actions", exact=True).fill("0")
    with page.expect_response(f"{site}/cases/{ACTIVE_SLUG}/report") as answer:
        send_button(page).click()
    assert answer.value.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Your report was not sent")
    expect(page.get_by_label("Country", exact=True)).to_have_attribute("aria-invalid", "true")


PAGES: dict[str, Callable[[Page, str], None]] = {
    "list of cases": list_page,
    "action page": action_page,
    "closed case": closed_case_page,
    "thank-you page": thank_you_page,
    "refused report": refused_report_page,
}


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    {json.dumps(node['target'])}: {node['html'][:200]}" for node in violation["nodes"])
        for violation in violations
    )


@pytest.mark.parametrize("arrive", PAGES.values(), ids=PAGES.keys())
def test_public_page_has_no_serious_or_critical_accessibility_violation(arrive, site, demo, page):
    arrive(page, site)

    violations = Axe().run(page).response["violations"]

    blocking = [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], f"on {page.url}:\n{describe(blocking)}\n\nevery violation:\n{describe(violations)}"


def test_accessibility_check_sees_a_form_control_without_a_label(site, demo, page):
    """The check above would catch a violation: the Country select stripped of its label is critical."""
    action_page(page, site)
    page.evaluate("() => document.querySelector('label[for=country]').remove()")

    violations = Axe().run(page).response["violations"]

    assert any(
        violation["impact"] in BLOCKING_IMPACTS and any(node["target"] == ["#country"] for node in violation["nodes"])
        for violation in violations
    ), describe(violations)
