"""The supporter's path in a real browser: Debian's chromium on a phone-sized screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from campaign.actions.models import ActionReport, ReportSource, ReviewState
from campaign.cases.models import Case, TargetRole
from campaign.supporters.models import Subscription, Supporter
from tests.browser.pages import (
    Recorder,
    Report,
    fill_report,
    open_action_page,
    send_button,
    shown_total,
    thanked_total,
    wait_for_thanks,
)

pytestmark = pytest.mark.browser

SLUG = "zhanargul-zhumatai"


def stored_reports(db, **where) -> list[ActionReport]:
    db.session.expire_all()
    statement = select(ActionReport).filter_by(**where).order_by(ActionReport.id)
    return list(db.session.scalars(statement))


def number_of_reports(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(ActionReport))


def first_target(db, slug: str):
    case = db.session.scalar(select(Case).where(Case.slug == slug))
    return case.links_in_role(TargetRole.TARGET)[0].target


def assert_every_copy_button_is_hidden(page: Page) -> None:
    copy_buttons = page.locator("[data-copy-target]")
    assert copy_buttons.count() > 0
    for index in range(copy_buttons.count()):
        expect(copy_buttons.nth(index)).to_be_hidden()


def walk_the_reporting_flow(page: Page, site: str, db) -> None:
    """List page, a case's action page reached by its link, a report sent, the thank-you page."""
    page.goto(f"{site}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    case = db.session.scalar(select(Case).where(Case.slug == SLUG))
    page.get_by_role("link", name=case.headline, exact=True).click()
    page.wait_for_url(f"{site}/cases/{SLUG}")
    fill_report(page, Report(action_type="Email", count=2, country="Kazakhstan"))
    send_button(page).click()
    wait_for_thanks(page, SLUG)


def test_supporter_on_a_phone_reports_by_the_form_labels_and_sees_the_new_total(site, demo, db, page):
    target = first_target(db, SLUG)
    reports_before = number_of_reports(db)
    open_action_page(page, site, SLUG)
    old_total = shown_total(page)
    assert old_total > 0, "the demo case should start with reports"

    fill_report(
        page,
        Report(
            action_type="Letter",
            target=target.display_name,
            count=3,
            country="Kazakhstan",
            name="Aigerim Browser",
            email="aigerim.browser@example.org",
            remind_me=True,
        ),
    )
    send_button(page).click()

    wait_for_thanks(page, SLUG)
    assert thanked_total(page) == old_total + 3
    expect(page.locator(".big-total__number")).to_have_text(f"{old_total + 3:,}")
    stored = stored_reports(db, supporter_name="Aigerim Browser")
    assert len(stored) == 1
    report = stored[0]
    assert (report.action_type, report.target_id, report.count, report.country) == ("letter", target.id, 3, "KZ")
    assert (report.source, report.review_state) == (ReportSource.WEB, ReviewState.COUNTED)
    assert number_of_reports(db) == reports_before + 1
    supporter = db.session.scalar(select(Supporter).where(Supporter.email == "aigerim.browser@example.org"))
    assert supporter is not None and report.supporter_id == supporter.id
    assert db.session.scalar(select(func.count()).select_from(Subscription).filter_by(supporter_id=supporter.id)) == 1

    open_action_page(page, site, SLUG)
    assert shown_total(page) == old_total + 3


def test_pages_of_the_reporting_flow_ask_no_other_host_for_anything(site, demo, db, context):
    recorder = Recorder().watch(context)
    page = context.new_page()

    walk_the_reporting_flow(page, site, db)

    assert recorder.requests_to_other_hosts(site) == []
    own_paths = {url.removeprefix(site).split("?")[0] for url in recorder.requests}
    assert {"/", f"/cases/{SLUG}", f"/cases/{SLUG}/report", f"/cases/{SLUG}/thanks"} <= own_paths
    assert "/static/css/site.css" in own_paths and "/static/js/site.js" in own_paths


def test_pages_of_the_reporting_flow_log_no_console_error_or_csp_violation(site, demo, db, context):
    recorder = Recorder().watch(context)
    page = context.new_page()

    walk_the_reporting_flow(page, site, db)
    page.goto(f"{site}/cases/adilgazy-muqai")
    expect(page.get_by_role("heading", name="This case is closed")).to_be_visible()

    assert recorder.console_errors == []


def test_console_check_sees_a_csp_violation(site, demo, context):
    """The check above would catch a violation: an inline script added to the page is refused and logged."""
    recorder = Recorder().watch(context)
    page = context.new_page()
    open_action_page(page, site, SLUG)

    with page.expect_console_message(lambda message: message.type == "error"):
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.body.append(s); }"
        )

    assert page.evaluate("() => window.ran") is None
    assert any("Content Security Policy" in error for error in recorder.console_errors), recorder.console_errors


def test_double_click_on_send_stores_one_report(site, demo, db, context):
    posts: list[str] = []
    context.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page = context.new_page()
    open_action_page(page, site, SLUG)
    old_total = shown_total(page)
    fill_report(page, Report(action_type="Phone call", count=4, country="Germany", name="Double Clicker"))

    send_button(page).dblclick()

    wait_for_thanks(page, SLUG)
    assert thanked_total(page) == old_total + 4
    assert len(stored_reports(db, supporter_name="Double Clicker")) == 1, f"the browser sent {posts}"


def test_copy_letter_button_copies_the_model_letter_and_says_copied(site, demo, db, new_context):
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    case = db.session.scalar(select(Case).where(Case.slug == SLUG))
    letter = case.letters[0]
    expected = letter.for_target(case.links_in_role(TargetRole.TARGET)[0].target)
    open_action_page(page, site, SLUG)

    copy_button = page.get_by_role("button", name="Copy letter").first
    expect(copy_button).to_be_visible()
    copy_button.click()

    status = page.locator(f"#{copy_button.get_attribute('data-copy-target')}-status")
    expect(status).to_have_text("Copied")
    expect(status).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == expected


def test_without_javascript_copy_button_is_hidden_and_report_form_still_works(site, demo, db, new_context):
    page = new_context(java_script_enabled=False).new_page()
    open_action_page(page, site, SLUG)
    old_total = shown_total(page)

    assert_every_copy_button_is_hidden(page)
    expect(page.locator("pre.letter__text").first).to_be_visible()

    fill_report(page, Report(action_type="Fax", count=5, country="France", name="No Script"))
    send_button(page).click()

    wait_for_thanks(page, SLUG)
    assert thanked_total(page) == old_total + 5
    assert_every_copy_button_is_hidden(page)
    assert len(stored_reports(db, supporter_name="No Script")) == 1
