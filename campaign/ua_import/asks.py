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


_LETTER_DEMAND = re.compile(
    r"\bI (?:therefore )?(?:call on|urge|ask|appeal to|request) you(?: to)?\s+(?P<asks>[^.]+)", re.IGNORECASE
)
_NEXT_ASK = re.compile(
    r";\s+(?:and\s+)?|,?\s+and to\s+|(?:,\s+(?:and\s+)?|\s+and\s+)"
    r"(?!(?:as|because|since|while|who|which|unless|so|if|when|where|whose)\b)"
    r"(?=[a-z]+\s+(?:him|her|them|he|she|they|the|that|his|their|a|an)\b)"
)


def letter_asks(letter: str) -> list[str]:
    """A model letter's demands when they enumerate three or more actions ("I call on you to
    disclose ..., allow ..., and ensure ...; and release ..."); a single demand stays letter text."""
    items: list[str] = []
    for match in _LETTER_DEMAND.finditer(" ".join(letter.split())):
        items.extend(item.strip(" ,;") for item in _NEXT_ASK.split(match.group("asks")) if item.strip(" ,;"))
    return items if len(items) >= 3 else []


def _semicolon_items(lines: list[str], start: int) -> list[str]:
    """An ask list whose bullets were lost in the copy: one paragraph of items ending in ';'."""
    paragraph: list[str] = []
    for line in lines[start:]:
        if not line:
            break
        paragraph.append(line)
    items = [item.strip() for item in re.split(r"(?<=;)\s+", join_lines(paragraph)) if item.strip()]
    return items if len(items) >= 2 and all(item.endswith(";") for item in items[:-1]) else []


def find_asks(text: str, summary: str, letter_start: int, letter: str | None = None) -> tuple[list[str], str | None]:
    """The asks and the excerpt they were read from."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not line.endswith(":") or index + 1 >= len(lines):
            continue
        items = _items(lines, index + 1) or _semicolon_items(lines, index + 1)
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
    if letter and (from_letter := letter_asks(letter)):
        return from_letter, letter[:300]
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
