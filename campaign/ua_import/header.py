"""The header of a UA: its number, AI index, issue date and headline.

Numbers are kept as written ("17/08", "63.20"; German section numbers keep their prefix,
"UA-250/2011-1"). A number the text only refers to ("see UA 171/09") is not the UA's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from campaign.ua_import.cldr import is_country
from campaign.ua_import.dates import find_dates, is_date_line
from campaign.ua_import.normalise import is_sentence
from campaign.ua_import.vocabulary import MARKERS, any_of

_MARKER = any_of(MARKERS)
_GERMAN_NUMBER = re.compile(r"\bUA-\d{1,4}(?:-\d+)?/\d{4}(?:-\d+)?\b")
_NUMBER = re.compile(
    r"(?<![\w/.])(?:UA|AU|VA|AA|FI|UA-Nr|Urgent Action|Acci[oó]n Urgente|Action Urgente)\b\.?\s*(?:n[or]\.?|nº)?\s*[:#]?\s*"
    r"(?P<number>\d{1,3}(?:[./]\d{2,4})(?:-\d{1,2})?)(?![\d/])",
    re.IGNORECASE,
)
_REFERENCE = re.compile(r"(?:\bsee|\bvoir|\bsiehe|\bv[ée]ase|\bzie|\bpatrz|\bcf)\.?\W{0,3}$", re.IGNORECASE)
_INDEX = re.compile(r"(?<![\w/])(?P<index>(?:AFR|AMR|ASA|EUR|MDE|ACT|POL|IOR|NWS|ORG)\s?\d{2}/\d{3,4}/(?:19|20)\d\d)\b")
_MARKER_LINE = re.compile(rf"^(?:[•·\-–]\s*)?(?:\w{{1,3}}\s*-\s*)?{_MARKER}(?:s|!)?\s*:?$", re.IGNORECASE)
_LABELLED_DATE = re.compile(r"\b(?:date|datum|fecha|data|дата)\s*:\s*", re.IGNORECASE)
_TITLE_WITH_SUFFIX = re.compile(
    rf"^{_MARKER}(?:\s+update)?\s*:\s*(?P<title>.+?)\s*\((?P<country>[^():]+):\s*UA\s*[\d.]+\)\s*$", re.IGNORECASE
)
_MARKER_PREFIX = re.compile(rf"^(?:[\w/]+:\s*)?{_MARKER}\s*[-–:]\s*(?P<rest>.+)$", re.IGNORECASE)
_LIST_NUMBER = re.compile(r"^\d{1,2}[.)]\s+")


@dataclass
class Header:
    ua_number: str | None = None
    ua_number_excerpt: str | None = None
    ai_index: str | None = None
    ai_index_excerpt: str | None = None
    issued_on: date | None = None
    issued_on_excerpt: str | None = None
    headline: str | None = None
    headline_excerpt: str | None = None
    has_marker: bool = False


def line_of(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : end if end >= 0 else len(text)]


def find_ua_number(text: str) -> tuple[str | None, int]:
    """The UA's own number and where it stands, skipping references and links."""
    candidates: list[tuple[int, str]] = []
    for match in _GERMAN_NUMBER.finditer(text):
        candidates.append((match.start(), match.group(0)))
    for match in _NUMBER.finditer(text):
        if any(start <= match.start("number") <= start + len(number) for start, number in candidates):
            continue
        candidates.append((match.start(), match.group("number")))
    for start, number in sorted(candidates):
        before = text[max(0, start - 12) : start]
        if _REFERENCE.search(before) or "http" in line_of(text, start)[:start].split()[-1:][0:1]:
            continue
        return number, start
    return None, -1


def first_ua_only(text: str) -> str:
    """A page that holds several UAs one after another keeps only the first."""
    heads = [m for m in re.finditer(r"^(?:UA[- ]\d|UA-Nr)", text, re.MULTILINE)]
    if len(heads) > 1:
        numbers = {find_ua_number(line_of(text, m.start()))[0] for m in heads}
        if len(numbers) > 1:
            return text[: heads[1].start()]
    return text


def is_title_like(line: str) -> bool:
    """A heading: short, not running text, not a date, a label or a code."""
    stripped = line.strip(" •")
    if not stripped or len(stripped) > 130 or len(stripped) < 8:
        return False
    if is_date_line(stripped) or _INDEX.search(stripped) or _NUMBER.search(stripped) or "http" in stripped:
        return False
    label = re.match(r"^(?P<label>[^:]{1,40}):\s*\S", stripped)
    label_ok = label and (is_country(label.group("label")) or is_country(label.group("label").split()[-1]))
    if stripped.endswith((":", ",")) or (label and not label_ok):
        return False
    if stripped.isupper():
        return True
    if stripped.endswith(".") or (is_sentence(stripped) and len(stripped) > 90):
        return False
    return not _MARKER_LINE.match(stripped) and stripped.casefold() not in {"amnesty international"}


def _clean_headline(title: str) -> str:
    title = _LIST_NUMBER.sub("", title.strip(" •"))
    title = re.sub(r"\s*\([^()]*:\s*UA\s*[\d./]+\)\s*$", "", title)
    return title.strip()


def _strip_country(rest: str) -> str:
    """'États-Unis (Texas). Title' or 'Syrien - Title' -> 'Title'."""
    for match in re.finditer(r"\s*(?:\([^)]*\))?\s*(?:[.,:]|\s[-–])\s+", rest):
        if is_country(rest[: match.start()]):
            return rest[match.end() :]
    return rest


def _uppercase_run(text: str) -> str | None:
    words = text.split()
    run: list[str] = []
    for word in words:
        letters = [c for c in word if c.isalpha()]
        if letters and not all(c.isupper() for c in letters):
            break
        run.append(word)
    if run and len(run) > 1 and not any(c.isalpha() for c in run[-1]):
        run.pop()
    if len(run) >= 2 and len(run[-1]) == 1 and words[len(run) : len(run) + 1] and words[len(run)][:1].islower():
        run.pop()
    title = " ".join(run)
    return title if len(run) >= 2 else None


def find_headline(lines: list[str], header_index: int | None) -> tuple[str | None, str | None]:
    """The title as printed, tried in the order the layouts put it (see the module's tests)."""
    for line in lines[:80]:
        match = _TITLE_WITH_SUFFIX.match(line)
        if match:
            return _clean_headline(match.group("title")), line
        match = _MARKER_PREFIX.match(line)
        if match and len(line) < 200 and not _NUMBER.search(line):
            title = _strip_country(_strip_country(match.group("rest")))
            stripped = title != match.group("rest") and not is_date_line(title)
            if title and (stripped or len(title.split()) >= 3) and (is_title_like(title) or title.endswith(".")):
                return _clean_headline(title), line
    if header_index is not None:
        line = lines[header_index]
        number, position = find_ua_number(line)
        if number and re.match(r"^(?:UA|AU|VA)\b[-\s:]*", line) and not _INDEX.search(line):
            rest = line[position:].split(number, 1)[-1].strip(" -–:")
            rest = re.split(r"(?<=\w)\.\s", rest)[0].strip(" .")
            if rest and not is_date_line(rest) and not is_country(rest):
                return _clean_headline(rest), line
    for line in lines[:40]:
        match = re.match(r"^(?:\d{1,2}[.)]\s+)?(?P<country>[^\W\d][\w\s'’-]{2,30}?)\s*:\s+\S", line)
        if match and is_country(match.group("country")) and len(line) < 130:
            return _clean_headline(line), line
    for position, line in enumerate(lines[:40]):
        if _MARKER_LINE.match(line.strip(" •")):
            following = [
                other
                for other in lines[position + 1 : position + 6]
                if other and not is_date_line(other) and other[0] not in "-–"
            ]
            position_of = lines.index(following[0], position + 1) if following else 0
            ends_paragraph = following and (position_of + 1 >= len(lines) or not lines[position_of + 1])
            if following and is_title_like(following[0]) and (following[0].isupper() or ends_paragraph):
                return _clean_headline(following[0]), following[0]
            break
        inline = re.match(rf"^(?:.*?\s)??{_MARKER}\s+(?P<rest>.*)$", line, re.IGNORECASE)
        if inline and inline.group("rest")[:1].isupper() and not line.isupper():
            title = _uppercase_run(inline.group("rest"))
            if title:
                return _clean_headline(title), line
    if header_index is not None and len(lines[header_index]) < 200:
        for position in range(header_index + 1, min(header_index + 8, len(lines))):
            line = lines[position]
            if (
                not line
                or is_date_line(line)
                or _LABELLED_DATE.search(line)
                or is_country(line)
                or _MARKER_LINE.match(line)
            ):
                continue
            ends_paragraph = position + 1 >= len(lines) or not lines[position + 1]
            if is_title_like(line) and (line.isupper() or ends_paragraph):
                return _clean_headline(line), line
            break
    stop = next(
        (i for i, line in enumerate(lines) if is_date_line(line) or _NUMBER.search(line) or _INDEX.search(line)), None
    )
    if stop:
        for line in reversed(lines[:stop]):
            if is_title_like(line) and not _MARKER_LINE.match(line):
                return _clean_headline(line), line
    if header_index is not None:
        paragraph = " ".join(lines[header_index : header_index + 4])
        match = re.search(r"\)\s+-\s+(?P<concern>[^()]+?)\s*(?:\n|$|\s{2,})", paragraph + "\n")
        if match and not is_sentence(match.group("concern")):
            return match.group("concern").strip(), paragraph
    nonblank = [(i, line) for i, line in enumerate(lines) if line]
    if nonblank and nonblank[0][0] + 1 < len(lines) and not lines[nonblank[0][0] + 1] and is_title_like(nonblank[0][1]):
        return _clean_headline(nonblank[0][1]), nonblank[0][1]
    return None, None


def read_header(text: str) -> Header:
    header = Header()
    lines = text.split("\n")
    number, position = find_ua_number(text)
    header_index = None
    if number:
        header.ua_number = number
        header.ua_number_excerpt = line_of(text, position)[:200]
        header_index = text[:position].count("\n")
    labelled = re.search(r"(?:index|[íi]ndice|ndice)\s*:?\s*" + _INDEX.pattern, text, re.IGNORECASE)
    index_match = labelled or next(
        (m for m in _INDEX.finditer(text) if "/" not in text[max(0, m.start() - 1) : m.start()]), None
    )
    if index_match:
        header.ai_index = re.sub(r"^([A-Z]{3})(\d)", r"\1 \2", index_match.group("index"))
        header.ai_index_excerpt = line_of(text, index_match.start())[:200]
    header.has_marker = bool(re.search(_MARKER, text, re.IGNORECASE))
    for line in lines[:30]:
        labelled_date = _LABELLED_DATE.search(line)
        candidate = line[labelled_date.end() :] if labelled_date else line
        if labelled_date or is_date_line(line) or _INDEX.match(line):
            found = find_dates(candidate)
            if found and found[0].year:
                header.issued_on = found[0].on()
                header.issued_on_excerpt = line
                break
    header.headline, header.headline_excerpt = find_headline(lines, header_index)
    return header
