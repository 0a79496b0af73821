"""What the browser tests do on the public pages, the way a supporter does it: by labels and roles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, expect

SEND_BUTTON = "Send my report"


@dataclass
class Report:
    """The answers a supporter gives in the report form, named as the form's labels."""

    action_type: str = "Letter"
    target: str = "All targets"
    count: int = 1
    country: str = "Kazakhstan"
    name: str = ""
    email: str = ""
    remind_me: bool = False


def open_action_page(page: Page, site: str, slug: str) -> None:
    page.goto(f"{site}/cases/{slug}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def shown_total(page: Page) -> int:
    """The live total on the action page, read from the element a reader sees."""
    number = page.locator("#case-total data")
    expect(number).to_be_visible()
    return int(number.get_attribute("value") or "")


def fill_report(page: Page, report: Report) -> None:
    """Fill the report form through the labels SPEC §4 names."""
    page.get_by_label("Action type", exact=True).select_option(label=report.action_type)
    page.get_by_label("Target", exact=True).select_option(label=report.target)
    page.get_by_label("Number of actions", exact=True).fill(str(report.count))
    page.get_by_label("Country", exact=True).select_option(label=report.country)
    page.get_by_label("Name", exact=True).fill(report.name)
    page.get_by_label("Email", exact=True).fill(report.email)
    page.get_by_label("Remind me before the deadline", exact=True).set_checked(report.remind_me)


def send_button(page: Page):
    return page.get_by_role("button", name=SEND_BUTTON, exact=True)


def wait_for_thanks(page: Page, slug: str) -> None:
    page.wait_for_url(re.compile(rf"/cases/{re.escape(slug)}/thanks(\?|$)"))
    expect(page.get_by_role("heading", level=1, name="Thank you")).to_be_visible()


def thanked_total(page: Page) -> int:
    """The new total the thank-you page shows."""
    number = page.locator(".big-total__number data")
    expect(number).to_be_visible()
    return int(number.get_attribute("value") or "")


@dataclass
class Recorder:
    """Every request a browser context makes, and every console error or script error of its pages."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> Recorder:
        context.on("request", self._on_request)
        for page in context.pages:
            self._watch_page(page)
        context.on("page", self._watch_page)
        return self

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _watch_page(self, page: Page) -> None:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.console_errors.append(f"{page.url}: {message.text} ({message.location.get('url')})")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"{page.url}: uncaught {error}"))

    def requests_to_other_hosts(self, site: str) -> list[str]:
        """Requests to anything but the live server; data: and blob: URLs reach no host."""
        own = urlsplit(site)
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob"}
            and (urlsplit(url).scheme, urlsplit(url).netloc) != (own.scheme, own.netloc)
        ]
