"""A case's Markdown story: none of at least 100 XSS payloads survives rendering and sanitising."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from campaign.text import render_markdown

PAYLOADS = [
    line for line in (Path(__file__).parent / "xss_payloads.txt").read_text(encoding="utf-8").splitlines() if line
]
TAG = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
}
SAFE_HREF = re.compile(r"^(?:https?://|mailto:|tel:)", re.IGNORECASE)


def assert_harmless(rendered: str) -> None:
    for name, attributes in TAG.findall(rendered):
        assert name.lower() in ALLOWED_TAGS, f"tag <{name}> survived: {rendered!r}"
        for attribute, value in re.findall(r'([a-zA-Z-:]+)="([^"]*)"', attributes):
            assert attribute.lower() in {"href", "title", "rel"}, f"attribute {attribute} survived: {rendered!r}"
            if attribute.lower() == "href":
                assert SAFE_HREF.match(html.unescape(value).strip()), f"href {value!r} survived"
    assert not re.search(
        r"<\s*(script|img|iframe|svg|style|object|embed|video|audio|link|meta|base)\b", rendered, re.I
    ), rendered


def test_the_corpus_has_at_least_a_hundred_payloads():
    assert len(PAYLOADS) >= 100


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_the_story_renderer(payload):
    assert_harmless(render_markdown(payload))


def test_the_whole_corpus_as_one_story_renders_harmless():
    assert_harmless(render_markdown("\n\n".join(PAYLOADS)))


def test_the_console_case_page_shows_a_hostile_story_harmlessly(organiser_client, make_case):
    case = make_case(story_markdown="\n\n".join(PAYLOADS[:60]))
    page = organiser_client.get(f"/console/cases/{case.id}/edit").get_data(as_text=True)
    story = page.split('<div class="console-story">', 1)[1].split("</div>", 1)[0]
    assert_harmless(story)


def test_ordinary_markdown_still_renders():
    rendered = render_markdown("**Nagyz** was *sentenced*.\n\n[Read more](https://www.amnesty.org/)")
    assert "<strong>Nagyz</strong>" in rendered and 'href="https://www.amnesty.org/"' in rendered
