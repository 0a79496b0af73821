"""Labelled contact channels of an official: e-mail, fax, phone, Twitter/X and salutation.

A contact block copied from a web page often has every channel on one line
("Phone: 202 895 5400 I Fax: 202 244 5131 Email: ..."), so a line is first cut at each label.
"""

from __future__ import annotations

import re

from campaign.ua_import.models import Official
from campaign.ua_import.vocabulary import CHANNELS

_LABEL = re.compile(
    r"(?:(?<=\s)|(?<=^)|(?<=[|/;]))(?P<label>"
    + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in CHANNELS.items())
    + r")\s*[:：]\s*",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_NUMBER = re.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d")
_HANDLE = re.compile(r"@\w{1,30}")
HIDDEN_EMAIL = "[email protected]"


def split_at_labels(line: str) -> list[str]:
    """'Name Org Fax: 1 Email: a' -> ['Name Org', 'Fax: 1', 'Email: a']."""
    cuts = [match.start() for match in _LABEL.finditer(line) if match.start() > 0]
    parts, start = [], 0
    for cut in cuts:
        parts.append(line[start:cut])
        start = cut
    parts.append(line[start:])
    return [part.strip(" |") for part in parts if part.strip(" |")]


def channel_of(line: str) -> tuple[str, str] | None:
    """('fax', '+202 2577 4716') for a labelled channel line, None for any other line."""
    if line.startswith("(") and line.endswith(")"):
        line = line[1:-1]
    match = _LABEL.match(line)
    if not match:
        return None
    kind = next(kind for kind in CHANNELS if match.group(kind))
    value = line[match.end() :].strip()
    if kind == "twitter" and match.group("label").casefold() == "x" and "@" not in value:
        return None
    return kind, re.sub(r"\s+[I|]$", "", value)


def add_channel(official: Official, kind: str, value: str) -> bool:
    """Record one channel's values; False when the value hides the address (a spam-protected page)."""
    if kind == "email":
        if HIDDEN_EMAIL in value or "protected]" in value:
            return False
        official.emails.extend(email.rstrip(".") for email in _EMAIL.findall(value))
    elif kind in ("fax", "phone"):
        numbers = [number.strip(" /-") for number in _NUMBER.findall(re.sub(r"\s[I|]\s", " / ", value))]
        numbers = [number for part in numbers for number in re.split(r"\s/\s|\s+or\s+", part) if number.strip()]
        (official.faxes if kind == "fax" else official.phones).extend(numbers)
    elif kind == "twitter":
        official.twitter.extend(_HANDLE.findall(value) or [value.split()[0]] if value else [])
    elif kind == "salutation" and value:
        official.salutation = value.strip(" ,;")
    return True
