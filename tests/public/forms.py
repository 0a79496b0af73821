"""Reading the action page's form the way a browser would: hidden fields included."""

from __future__ import annotations

import re
from html import unescape


def hidden_inputs(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="hidden"' not in tag:
            continue
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = unescape(value.group(1)) if value else ""
    return fields


def report_form_data(client, slug: str, query: str = "", **answers) -> dict[str, str]:
    """The form's hidden fields from a fresh GET of the action page, plus the given answers.

    The target must be chosen; unless given, the answer is "all targets".
    """
    page = client.get(f"/cases/{slug}{query}").get_data(as_text=True)
    answers.setdefault("target_id", "all")
    return {**hidden_inputs(page), **{key: str(value) for key, value in answers.items()}}
