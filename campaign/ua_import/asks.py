"""The asks: the UA's ask list verbatim, or without one the summary's explicit demand.

A list is a run of bulleted, numbered or dashed lines after a line ending in a colon; the
take-action steps ("Write a letter ...", "Click here ...") are instructions, not asks. An ask
list may also follow a colon inline ("... (en anglais ou dans votre propre langue) : déclarez ...").
"""

from __future__ import annotations

import re

from campaign.ua_import.normalise import bullet_text, join_lines, sentences
from campaign.ua_import.vocabulary import CLOSINGS, DEMANDS, MARKERS, any_of, matches

_INSTRUCTION = re.compile(
    r"\b(?:click|klick|cliqu|let us know|write a letter|in your own words|read (?:the|tips|about)|get inspired|"
    r"contact us|take action as|share|tweet this|sign (?:the|our))\b|urgent action",
    re.IGNORECASE,
)
_STRONG_DEMAND = re.compile(
    r"^roep\b|\b(?:urges?|calls? on|demande au|demande à|demandons|fordert|fordern|exige|pide a|wzywa|chiede)\b",
    re.IGNORECASE,
)
_RELEASE = re.compile(
    r"\b(?:must|muss|m[üu]ssen|doit|doivent|debe|deben|musi|musz[ąa]|moet|moeten|deve|devono|devem)\b.{0,40}"
    r"(?:releas|free|freilass|freigelass|lib[ée]r|liber|uwoln|vrij|rilasc|quash|halt|stop|drop|protect|investigat)",
    re.IGNORECASE,
)
_CLOSING = re.compile(rf"^{any_of(CLOSINGS)}", re.IGNORECASE)


def _items(lines: list[str], start: int) -> list[str]:
    """Bulleted items from lines[start:], each with its wrapped continuation lines."""
    items: list[list[str]] = []
    for line in lines[start:]:
        item = bullet_text(line)
        if item is not None:
            items.append([item])
        elif not line:
            continue
        elif (
            items and not line.endswith(":") and not _CLOSING.match(line) and len(items[-1]) < 6 and line[:1].islower()
        ) or (
            items
            and line[:1].isupper()
            and items[-1][-1][-1:] not in ".;:"
            and len(items[-1]) < 6
            and not _CLOSING.match(line)
        ):
            items[-1].append(line)
        else:
            break
    return [join_lines(item).strip() for item in items]


def find_asks(text: str, summary: str, letter_start: int) -> tuple[list[str], str | None]:
    """The asks and the excerpt they were read from."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not line.endswith(":") or index + 1 >= len(lines):
            continue
        items = _items(lines, index + 1)
        if len(items) >= 1 and not any(_INSTRUCTION.search(item) for item in items):
            if index >= letter_start and len(items) < 2:
                continue
            return [item.rstrip() for item in items], line
    inline = re.search(r"\)[ \t]*:[ \t]*(?P<asks>[a-zà-ÿ][^\n]+)", text)
    if inline and re.search(
        any_of(("action", "acci", "akcj", "aktion", "actie", "azion")), text[: inline.start()][-300:], re.I
    ):
        ask = re.split(r"(?<=\(\.\.\.\))", inline.group("asks"))[0].strip()
        return [ask], inline.group(0)
    demands = [
        sentence
        for sentence in sentences(summary.replace("\n\n", " "))
        if matches(DEMANDS, sentence) and not re.search(any_of(MARKERS), sentence, re.IGNORECASE)
    ]
    for sentence in demands:
        if _STRONG_DEMAND.search(sentence):
            return [sentence], sentence
    for sentence in demands:
        if _RELEASE.search(sentence):
            return [sentence], sentence
    return [], None
