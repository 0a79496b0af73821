"""The officials to write to and to copy in: blocks of title, name, postal lines and channels.

A block opens with an official's title (with or without the name on the same line), a name
followed by a title line, or the line after a copy label; it runs over postal lines and
labelled channels, across blank lines, and ends at a letter's greeting, a label, running text,
a closing or the next official. The model letter and the text after it hold no blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from campaign.ua_import.channels import add_channel, channel_of, split_at_labels
from campaign.ua_import.cldr import is_country
from campaign.ua_import.dates import find_dates, is_date_line
from campaign.ua_import.models import Official
from campaign.ua_import.normalise import is_sentence
from campaign.ua_import.people import clean_name
from campaign.ua_import.vocabulary import CLOSINGS, COPY_LABELS, GREETINGS, NOT_A_NAME, TITLE_WORDS, any_of

_TITLE = re.compile(r"^(?:{})\b(?![’'])".format("|".join(sorted(map(re.escape, TITLE_WORDS), key=len, reverse=True))))
_GREETING = re.compile(rf"^{any_of(GREETINGS)}.{{0,60}}[,:!]?$", re.IGNORECASE)
_CLOSING = re.compile(rf"^{any_of(CLOSINGS)}\b", re.IGNORECASE)
_COPY = re.compile(rf"^{any_of(COPY_LABELS)}\s*(?::\s*(?P<rest>.*)|$)", re.IGNORECASE)
_LETTER = re.compile(r"^(?:sample letter|model letter|lettre type|musterbrief|modelo de carta)\b", re.IGNORECASE)
_ORG = re.compile(
    r"\b(?:embassy|office|ministry|department|bureau|mission|court|prison|council|commission|committee|"
    r"botschaft|ministerium|ambassade|minist[èe]re|embajada|ministerio|ambasada|ministerstwo|ambasciata|embaixada|c/o)\b",
    re.IGNORECASE,
)
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_][\w'’.\-]*|-?[a-z]{1,3}-[^\W\d_][\w'’\-]*|-[^\W\d_][\w'’\-]*)$")
_PARTICLES = {
    "al",
    "el",
    "de",
    "del",
    "da",
    "dos",
    "das",
    "van",
    "von",
    "der",
    "den",
    "bin",
    "ibn",
    "la",
    "le",
    "di",
    "du",
}
_WRITE_TO = re.compile(
    r"^(?:please )?(?:write|send (?:your )?appeals|appeals?) to\s*:\s*|^(?:appelle an|[ée]crivez [àa]|escriban? a|pisz do)\s*:?\s+",
    re.IGNORECASE,
)


@dataclass
class Block:
    role: str
    lines: list[str] = field(default_factory=list)


def looks_like_name(line: str) -> bool:
    """Two to five capitalised words that are not an organisation, a place or a label."""
    words = line.strip(" ,").split()
    if not 2 <= len(words) <= 5 or any(char.isdigit() for char in line) or ":" in line:
        return False
    if not all(_NAME_TOKEN.match(word) and (word[:1].isupper() or word in _PARTICLES or "-" in word) for word in words):
        return False
    if not words[0][:1].isupper() and words[0][:1] != "-":
        return False
    return not any(word.casefold().strip(".,") in NOT_A_NAME for word in words) and not is_country(line)


def letter_start(lines: list[str]) -> int:
    """Index of the model letter's greeting or label; len(lines) when there is none."""
    for index, line in enumerate(lines):
        long_greeting = re.match(r"^(?:dear|sehr geehrte\w*|geachte|estimad[oa])\s[^,]{1,40},\s", line, re.I)
        if _LETTER.match(line) or long_greeting or (_GREETING.match(line) and len(line) < 70 and not channel_of(line)):
            return index
    return len(lines)


def _expanded(lines: list[str]) -> list[str]:
    expanded: list[str] = []
    for line in lines:
        write_to = _WRITE_TO.match(line)
        if write_to and line[write_to.end() :].strip():
            expanded.append(line[: write_to.end()].strip())
            line = line[write_to.end() :]
            if len(line) > 80 and line.count(",") >= 2:
                first, _, rest = line.partition(", ")
                expanded.append(first)
                parts = split_at_labels(rest)
                expanded.extend([re.sub(r"\.$", "", parts[0]), *parts[1:]])
                continue
        if _TITLE.match(line) and len(line) > 200:
            dates = find_dates(line)
            line = re.sub(r"\s+[A-Z]\w{0,2}$", "", line[: dates[0].start].strip()) if dates else line
        copy = _COPY.match(line)
        if copy and copy.group("rest"):
            expanded.extend([line[: copy.start("rest")].strip(), *split_at_labels(copy.group("rest"))])
        else:
            expanded.extend(split_at_labels(line) if line else [""])
    return expanded


def _opens_block(lines: list[str], index: int, inside: bool = False) -> bool:
    line = lines[index]
    if not line or channel_of(line) or _GREETING.match(line):
        return False
    title = _TITLE.match(line)
    if title:
        after = " ".join(line[title.end() :].split()[:2])
        if looks_like_name(after) or not is_sentence(line[:80]) or re.match(r"^[^,]{3,40},\s+[A-Z]", line):
            return True
    following = next((other for other in lines[index + 1 : index + 3] if other), "")
    if looks_like_name(line) and bool(_TITLE.match(following)) and not looks_like_name(following):
        return True
    return not inside and _title_over_name(lines, index)


def _title_over_name(lines: list[str], index: int) -> bool:
    """A role line of any wording over a name line, then postal lines or channels."""
    line = lines[index]
    if (
        len(line) > 70
        or ":" in line
        or any(char.isdigit() for char in line)
        or is_sentence(line)
        or looks_like_name(line)
    ):
        return False
    if line.isupper() and len(line.split()) == 1:
        return False
    following = [other for other in lines[index + 1 : index + 8] if other]
    if not following or not looks_like_name(following[0]) or (len(following) > 1 and _TITLE.match(following[1])):
        return False
    return any(channel_of(other) or (any(c.isdigit() for c in other) and len(other) < 80) for other in following[1:6])


def find_blocks(lines: list[str], subject_lines: list[str] | None = None) -> list[Block]:
    """Contact blocks before the model letter, each with its role ('target' or 'copy'); a lone
    name line after a block (a letter's subject line) goes to `subject_lines`."""
    lines = _expanded(lines[: letter_start(lines)])
    blocks: list[Block] = []
    role, current = "target", None
    for index, line in enumerate(lines):
        copy = _COPY.match(line)
        if copy and not copy.group("rest") and len(line) < 40:
            role, current = "copy", None
            continue
        if not line:
            continue
        if _CLOSING.match(line) or is_date_line(line) or (current and is_sentence(line) and len(line) > 120):
            current = None
            continue
        after_blank = index > 0 and not lines[index - 1]
        following = next((other for other in lines[index + 1 :] if other), "")
        subject = looks_like_name(line) and not _TITLE.match(line) and (not following or _GREETING.match(following))
        if current and after_blank and subject and len(current.lines) > 2:
            if subject_lines is not None:
                subject_lines.append(line.strip(" ,"))
            current = None
            continue
        channel = channel_of(line)
        if current is None:
            if (
                _opens_block(lines, index)
                or (role == "copy" and not is_sentence(line) and index > 0 and bool(_COPY.match(lines[index - 1])))
                or (role == "copy" and looks_like_name(line))
                or (role == "copy" and _TITLE.match(line))
            ):
                current = Block(role, [line])
                blocks.append(current)
            continue
        has_channels = any(channel_of(other) for other in current.lines)
        if channel:
            current.lines.append(line)
            if channel[0] == "salutation":
                current = None
        elif _opens_block(lines, index, inside=not has_channels):
            if len(current.lines) == 1 and not _TITLE.match(current.lines[0]):
                current.lines.append(line)
            else:
                current = Block(role, [line])
                blocks.append(current)
        elif has_channels and not is_sentence(line):
            current = Block(role, [line])
            blocks.append(current)
        elif is_sentence(line):
            current.lines.append("\0" + line)
        elif len(line) <= 100 or (_ORG.search(line) and len(line) < 140):
            current.lines.append(line)
        else:
            current = None
    return blocks


def _split_title_and_name(line: str) -> tuple[str | None, str | None, str]:
    """'Ambassador Yasser Reda Embassy of ...' -> ('Ambassador', 'Yasser Reda', 'Embassy of ...')."""
    words = line.split()
    if "," not in line and 3 <= len(words) <= 8 and _TITLE.match(line):
        for size in (3, 2):
            if (
                looks_like_name(" ".join(words[-size:]))
                and words[-size - 1] not in _PARTICLES
                and not _ORG.search(line)
            ):
                return " ".join(words[:-size]), " ".join(words[-size:]), ""
    comma = re.match(r"^(?P<title>[^,]{3,60}),\s+(?P<rest>.+)$", line)
    if comma and _TITLE.match(line):
        words = comma.group("title").split()
        for size in (3, 2):
            if len(words) > size and looks_like_name(" ".join(words[-size:])) and words[-size - 1] not in _PARTICLES:
                rest = comma.group("rest")
                if _TITLE.match(rest) and len(rest) < 60:
                    return rest, " ".join(words[-size:]), ""
                return " ".join(words[:-size]), " ".join(words[-size:]), rest
    if comma and _TITLE.match(line) and not looks_like_name(comma.group("title")):
        title, rest = comma.group("title"), comma.group("rest")
    else:
        dash = re.match(r"^(?P<title>.+?)\s+[-–]\s+(?P<rest>.+)$", line)
        if dash and _TITLE.match(line):
            return dash.group("title"), None, dash.group("rest")
        match = _TITLE.match(line)
        title_end = match.end() if match else 0
        tail = line[title_end:]
        of_phrase = re.match(r"^(?:\s+(?:of|for|de|des|du|der|des|di)\b(?:\s+\S+){1,6}?)", tail)
        if of_phrase:
            words = tail.split()
            for size in range(1, min(7, len(words)) + 1):
                candidate = " ".join(words[:size])
                if is_country(candidate.split(" of ")[-1].split()[-1] if " " in candidate else candidate):
                    title_end += len(tail) - len(tail.lstrip()) + len(candidate)
                    break
        title, rest = line[:title_end].strip(), line[title_end:].strip()
    words = rest.split()
    name_words: list[str] = []
    for word in words:
        bare = word.strip(",")
        capitalised = bare[:1].isupper() or bare in _PARTICLES or "-" in bare
        if (
            not capitalised
            or not _NAME_TOKEN.match(bare)
            or bare.casefold() in NOT_A_NAME
            or len(name_words) >= 4
            or is_country(bare)
        ):
            break
        name_words.append(bare)
        if word.endswith(","):
            break
    if len(name_words) > 3 or (len(name_words) == 3 and not _ORG.search(" ".join(words[3:5]))):
        name_words = name_words[:2] if len(words) > len(name_words) else name_words
    name = " ".join(name_words) or None
    remainder = rest[len(" ".join(words[: len(name_words)])) :].strip(" ,") if name else rest
    return title or None, name, remainder


def read_block(block: Block) -> Official:
    official = Official()
    lines = [line for line in block.lines if not line.startswith("\0")]
    first = lines[0]
    second = lines[1] if len(lines) > 1 else ""
    address: list[str] = []
    if looks_like_name(first) and second and not channel_of(second) and (_TITLE.match(second) or block.role == "copy"):
        official.name, official.title = first.strip(" ,"), second.strip(" ,")
        rest_lines = lines[2:]
    elif (_TITLE.match(first) or block.role == "copy") and looks_like_name(second) and not _TITLE.match(second):
        official.title, official.name = first.strip(" ,"), second.strip(" ,")
        rest_lines = lines[2:]
    elif looks_like_name(first) and block.role == "copy":
        official.name, rest_lines = first.strip(" ,"), lines[1:]
    elif not _TITLE.match(first) and _TITLE.match(second):
        official.title, official.name, remainder = _split_title_and_name(second)
        rest_lines = [first] + ([remainder] if remainder else []) + lines[2:]
    elif second and not looks_like_name(first) and looks_like_name(clean_name(second)) and not channel_of(second):
        official.name = clean_name(second)
        rest_lines = [first, *lines[2:]]
        if block.role == "target" or _TITLE.match(first):
            official.title, rest_lines = first.strip(" ,"), lines[2:]
    elif (
        ", " in first
        and not _TITLE.match(first)
        and looks_like_name(first.split(", ")[0])
        and _TITLE.match(first.split(", ", 1)[1])
    ):
        official.name, official.title = first.split(", ", 1)
        rest_lines = lines[1:]
    else:
        official.title, official.name, remainder = _split_title_and_name(first)
        dates = find_dates(remainder)
        if dates:
            remainder = re.sub(r"\s+\w{1,3}$", "", remainder[: dates[0].start].strip())
        keep = remainder and (not is_sentence(remainder) or (_ORG.search(remainder) and len(remainder.split()) <= 10))
        rest_lines = ([remainder] if keep else []) + lines[1:]
    for line in rest_lines:
        channel = channel_of(line)
        if channel:
            add_channel(official, *channel)
        elif line:
            address.append(line)
    official.address_lines = address
    if official.name:
        official.name = clean_name(official.name) or official.name
    organisation = next((line for line in address[:2] if _ORG.search(line)), None)
    if organisation:
        official.organisation = re.sub(r"^c/o\s+", "", organisation, flags=re.IGNORECASE).strip(" ,")
    return official


def find_officials(
    lines: list[str], subject_lines: list[str] | None = None
) -> tuple[list[Official], list[Official], list[str]]:
    """Targets, copies, and for each official (targets first) the excerpt it was read from."""
    targets: list[Official] = []
    copies: list[Official] = []
    excerpts: list[str] = []
    for block in find_blocks(lines, subject_lines):
        official = read_block(block)
        if not (official.name or official.title) or official.is_empty:
            continue
        (copies if block.role == "copy" else targets).append(official)
        excerpts.append((block.role, "\n".join(line.lstrip("\0") for line in block.lines)))
    ordered = [excerpt for role, excerpt in excerpts if role == "target"] + [e for r, e in excerpts if r == "copy"]
    return targets, copies, ordered
