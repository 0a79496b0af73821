"""Read an Urgent Action's published text into structured fields.

The text is whatever a person copies out of a UA's PDF or web page, so the parser works in
three steps: clean-up (odd spaces and bullets, lines run together, lines broken mid-sentence),
sectioning (the addressee block, the sample letter, the additional information) and field
extraction from those sections. Everything here is the standard library; pycountry is used
only if installed, to name languages the built-in table does not know.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = ["NotAnUrgentAction", "Official", "ParsedUrgentAction", "Person", "parse_urgent_action"]


class NotAnUrgentAction(ValueError):
    """The text lacks what every Urgent Action has: an identity, an official to write to, asks."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = list(missing)
        super().__init__(
            f"This text does not read as an Urgent Action: {join_words(self.missing)} "
            f"{'was' if len(self.missing) == 1 else 'were'} found."
        )


@dataclass
class Person:
    """Someone the UA is about."""

    name: str
    native_name: str | None = None
    pronouns: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return {"name": self.name, "native_name": self.native_name, "pronouns": self.pronouns}


@dataclass
class Official:
    """An official the UA asks supporters to write to (a target) or to copy in."""

    name: str | None = None
    title: str | None = None
    organisation: str | None = None
    address_lines: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    faxes: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    twitter: list[str] = field(default_factory=list)
    salutation: str | None = None

    @property
    def address(self) -> str | None:
        return ", ".join(line.strip(" ,;") for line in self.address_lines) or None

    @property
    def has_contact_details(self) -> bool:
        return bool(self.emails or self.faxes or self.phones or self.twitter or self.salutation)

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.title or self.organisation or self.address_lines or self.has_contact_details)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "organisation": self.organisation,
            "address": self.address,
            "email": one_or_many(self.emails),
            "fax": one_or_many(self.faxes),
            "phone": one_or_many(self.phones),
            "twitter": one_or_many(self.twitter),
            "salutation": self.salutation,
        }


@dataclass
class ParsedUrgentAction:
    """The fields a careful reader takes out of an Urgent Action."""

    ua_number: str | None = None
    ai_index: str | None = None
    people: list[Person] = field(default_factory=list)
    headline: str | None = None
    targets: list[Official] = field(default_factory=list)
    copies: list[Official] = field(default_factory=list)
    asks: list[str] = field(default_factory=list)
    preferred_languages: list[str] = field(default_factory=list)
    deadline: date | None = None
    issued_on: date | None = None
    is_follow_up: bool = False
    follows_ua_number: str | None = None
    outcome: str | None = None
    story: str | None = None
    model_letter: str | None = None
    #: Field path ("ua_number", "people[0]", "targets[1]" …) → the excerpt of the text it was taken from.
    evidence: dict[str, str] = field(default_factory=dict)
    #: Sentences about doubtful points of the parse.
    doubts: list[str] = field(default_factory=list)
    #: BCP 47 code of the language the text is written in, when known.
    language: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "ua_number": self.ua_number,
            "ai_index": self.ai_index,
            "people": [person.as_json() for person in self.people],
            "headline": self.headline,
            "targets": [target.as_json() for target in self.targets],
            "copies": [copy.as_json() for copy in self.copies],
            "asks": list(self.asks),
            "preferred_languages": list(self.preferred_languages),
            "deadline": self.deadline.isoformat() if self.deadline else None,
        }


def parse_urgent_action(text: str) -> ParsedUrgentAction:
    """Parse a UA's published text; raise NotAnUrgentAction when it does not read as one."""
    lines = clean_up(text)
    flat = " ".join(line for line in lines if line)
    letter = find_letter(lines)
    block = find_addressee_block(lines, letter)
    targets, copies = read_addressees(lines[block.start : block.end] if block else [])
    if letter:
        give_letter_salutation(targets, letter_salutation(lines[letter.start]))
    asks = find_asks(lines, letter)
    ua_number, follows = find_ua_number(flat)
    is_follow_up = follows is not None or reads_as_follow_up(flat)
    refuse_unless_urgent_action(flat, ua_number, targets, asks)
    intro = intro_paragraphs(lines, block, letter)
    issued_on = find_issue_date(flat)
    return ParsedUrgentAction(
        ua_number=ua_number,
        ai_index=find_ai_index(flat),
        people=find_people(lines, flat, letter, asks, intro),
        headline=find_headline(lines),
        targets=targets,
        copies=copies,
        asks=asks,
        preferred_languages=find_preferred_languages(flat),
        deadline=find_deadline(flat, issued_on),
        issued_on=issued_on,
        is_follow_up=is_follow_up,
        follows_ua_number=(follows or ua_number) if is_follow_up else None,
        outcome=intro[0] if is_follow_up and intro else None,
        story=find_story(lines) or ("\n\n".join(intro) or None),
        model_letter=letter_text(lines, letter),
    )


# ---------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
DATE = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}\.?,?(?:\s+\d{{4}})?"
    rf"|{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{4})"
)

TITLE_WORDS = word_set("""
president vice-president minister premier secretary secretary-general director
director-general ambassador governor governor-general prosecutor procurator attorney judge
commissioner chair chairman chairwoman chairperson head chief mayor commander king queen
emir amir sheikh sultan prince speaker ombudsman ombudsperson inspector chancellor warden
superintendent representative rapporteur consul chargé envoy counsellor counselor attaché
senator deputy leader officer president-elect
""")

TITLE_MODIFIERS = word_set("""
prime vice deputy acting chief general public state party first assistant special federal
national regional provincial supreme attorney executive permanent interim lord
""")

TITLE_SUFFIXES = word_set("general general’s general's adjunct")

HONORIFICS = word_set("""
mr mr. mrs mrs. ms ms. dr dr. h.e. he his her excellency hon hon. honourable honorable
sir dame madam mme ayatollah hojatoleslam
""")

ORGANISATION_WORDS = word_set("""
ministry embassy office bureau department court police prison commission government council
parliament assembly presidency palace committee procuracy procuratorate service agency
authority administration directorate secretariat mission consulate headquarters cabinet
tribunal forces army branch centre center institute station congress senate chamber unit
division prosecution house
""")

ADDRESS_WORDS = word_set("""
street st road rd avenue ave boulevard blvd lane lu qu jie dao city district county province
region state republic kingdom federation emirates territory square building floor suite
box po p.o. plaza highway way drive place nw ne sw se island islands village town
""")

NAME_PARTICLES = word_set("al el bin bint ibn abu de da do dos das del della di van von der den la le y ul ud")

LANGUAGES = {
    "afrikaans": "af",
    "albanian": "sq",
    "amharic": "am",
    "arabic": "ar",
    "armenian": "hy",
    "azerbaijani": "az",
    "azeri": "az",
    "bahasa": "id",
    "bangla": "bn",
    "belarusian": "be",
    "bengali": "bn",
    "bosnian": "bs",
    "bulgarian": "bg",
    "burmese": "my",
    "cantonese": "yue",
    "catalan": "ca",
    "chinese": "zh",
    "croatian": "hr",
    "czech": "cs",
    "danish": "da",
    "dari": "prs",
    "dutch": "nl",
    "english": "en",
    "estonian": "et",
    "farsi": "fa",
    "filipino": "fil",
    "finnish": "fi",
    "french": "fr",
    "georgian": "ka",
    "german": "de",
    "greek": "el",
    "hausa": "ha",
    "hebrew": "he",
    "hindi": "hi",
    "hungarian": "hu",
    "indonesian": "id",
    "italian": "it",
    "japanese": "ja",
    "kazakh": "kk",
    "khmer": "km",
    "kinyarwanda": "rw",
    "korean": "ko",
    "kurdish": "ku",
    "kyrgyz": "ky",
    "lao": "lo",
    "latvian": "lv",
    "lithuanian": "lt",
    "macedonian": "mk",
    "malay": "ms",
    "mandarin": "zh",
    "mongolian": "mn",
    "nepali": "ne",
    "norwegian": "no",
    "pashto": "ps",
    "persian": "fa",
    "polish": "pl",
    "portuguese": "pt",
    "romanian": "ro",
    "russian": "ru",
    "serbian": "sr",
    "sinhala": "si",
    "slovak": "sk",
    "somali": "so",
    "spanish": "es",
    "swahili": "sw",
    "swedish": "sv",
    "tagalog": "tl",
    "tajik": "tg",
    "tamil": "ta",
    "thai": "th",
    "tibetan": "bo",
    "tigrinya": "ti",
    "turkish": "tr",
    "turkmen": "tk",
    "ukrainian": "uk",
    "urdu": "ur",
    "uyghur": "ug",
    "uighur": "ug",
    "uzbek": "uz",
    "vietnamese": "vi",
}

ASK_VERBS = (
    "release",
    "free",
    "drop",
    "quash",
    "overturn",
    "ensure",
    "allow",
    "grant",
    "provide",
    "disclose",
    "reveal",
    "protect",
    "guarantee",
    "stop",
    "end",
    "halt",
    "cease",
    "investigate",
    "conduct",
    "carry out",
    "bring",
    "hold",
    "lift",
    "repeal",
    "amend",
    "revoke",
    "return",
    "restore",
    "take",
    "refrain",
    "respect",
    "commute",
    "establish",
    "reunite",
    "cancel",
    "suspend",
    "permit",
    "give",
    "let",
    "order",
    "publish",
    "inform",
    "confirm",
    "facilitate",
    "withdraw",
    "close",
    "abolish",
    "implement",
    "uphold",
    "transfer",
    "reinstate",
    "compensate",
    "immediately",
    "urgently",
    "pending",
    "calling",
    "urging",
    "asking",
    "demanding",
    "seeking",
    "making",
)
ASK_VERB = r"(?:" + "|".join(ASK_VERBS) + r")\b"

CONTACT_LABELS = {
    "salutation": "salutation",
    "email": "email",
    "e-mail": "email",
    "emails": "email",
    "e": "email",
    "fax": "fax",
    "f": "fax",
    "phone": "phone",
    "telephone": "phone",
    "tel": "phone",
    "tel.": "phone",
    "t": "phone",
    "ph": "phone",
    "mobile": "phone",
    "cell": "phone",
    "twitter": "twitter",
    "twitter/x": "twitter",
    "x/twitter": "twitter",
    "tel/fax": "phone+fax",
    "phone/fax": "phone+fax",
    "facebook": "ignored",
    "instagram": "ignored",
    "website": "ignored",
    "web": "ignored",
}
CONTACT_LABEL = re.compile(
    r"(?:(?<=^)|(?<=[\s|,;]))(salutation|e-?mails?|fax|phone|telephone|tel/fax|phone/fax|tel\.?"
    r"|twitter(?:/x)?|x/twitter|facebook|instagram|web(?:site)?|mobile|cell|ph|[tfe])\s*:",
    re.IGNORECASE,
)
GLUED_LABEL = re.compile(r"(?<=[a-z0-9)])(?=(?:Salutation|Email|E-mail|Fax|Phone|Tel|Twitter)\s*:)")
GLUED_TITLE = re.compile(
    r"(?<=[a-z’'])(?=(?:Ambassador|Minister|President|Director|Governor|Prosecutor|Secretary"
    r"|Attorney|Commissioner|Chief|Mayor|Judge|Copy|Copies|His Excellency|Her Excellency)\b)"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
HANDLE = re.compile(r"(?:https?://(?:www\.)?(?:twitter|x)\.com/|(?<![\w.])@)(\w{1,30})\b")

LETTER_START = re.compile(
    r"^(?:(?:My\s+)?Dear\s+[^,:\n]{1,60}|(?:Your|Her|His)\s+(?:Excellency|Majesty)[^,:\n]{0,30}"
    r"|Excellency|Honou?rable\s+[^,:\n]{1,60})(?:[,:]|$)"
)
LETTER_END = re.compile(
    r"^(?:Yours\s+(?:sincerely|faithfully|truly)|Sincerely|Respectfully|Kind regards|Regards)\b",
    re.IGNORECASE,
)
HEADING = re.compile(
    r"^(?:additional information|background(?: information)?|take action\b|sample letter|model letter"
    r"|preferred language|letters can be written|please take action|please send appeals"
    r"|name and prefer|preferred pronoun|link to previous|urgent action$)",
    re.IGNORECASE,
)
COPIES_MARKER = re.compile(r"^(?:and\s+|also\s+send\s+)?(?:copy|copies|cc)(?:\s+to)?\s*:\s*", re.IGNORECASE)
BULLET = re.compile(r"^(?:[•▪●◦■□➢►‣∙·*]|[-–—](?=\s)|o(?=\s)|\(?[a-z]\)|\d{1,2}[.)](?=\s))\s*")
ASKS_INTRO = re.compile(
    r"\b(?:urge|urging|call(?:ing)?\s+(?:on|upon)|ask(?:ing)?|request(?:ing)?|demand(?:ing)?"
    r"|write|appeal)\b[^:]*:\s*$",
    re.IGNORECASE,
)
ASK_SENTENCE = re.compile(
    r"\b(?:urge|urging|call(?:ing)?\s+(?:on|upon)|ask|request|demand|implore)\s+"
    r"(?:you(?:r\s+government)?|the(?:\s+\w+){0,3}\s+authorities|them|your\s+\w+)"
    r"(?:\s+(?:once again|again|also|therefore|instead|urgently|immediately))?\s+to\s+(.+)",
    re.IGNORECASE,
)
PRONOUNS = re.compile(r"^(?:she|he|they|ze|xe|it)\s*/\s*\w+(?:\s*/\s*\w+)?$", re.IGNORECASE)
UA_NUMBER = re.compile(
    r"\b(?:UA|Urgent\s+Action|FI)(?:\s+(?:number|no\.?))?\s*:?\s*(\d{1,3})\s*[/.]\s*(\d{4}|\d{2})(?!\d)"
    r"(?:\s*-\s*(\d{1,2})(?![\d/]))?",
    re.IGNORECASE,
)
FOLLOWED_UA = re.compile(
    r"\b(?:further\s+information\s+on|update\s+(?:of|on|to)|follow[- ]up\s+(?:to|on)|first|previous)"
    r"\s+(?:UA|urgent\s+action)\s*:?\s*(\d{1,3})\s*[/.]\s*(\d{4}|\d{2})(?!\d)",
    re.IGNORECASE,
)


# ---------------------------------------------------------------------------------------
# Clean-up
# ---------------------------------------------------------------------------------------


def clean_up(text: str) -> list[str]:
    """Lines of the text with odd characters normalised and run-together lines split."""
    lines: list[str] = []
    for line in normalise_characters(text).split("\n"):
        lines.extend(split_run_together(line.strip()))
    return lines


def normalise_characters(text: str) -> str:
    """Plain spaces, plain bullets and plain line ends, whatever the PDF or browser used."""
    replacements = {
        "\r\n": "\n",
        "\r": "\n",
        "\t": " ",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\ufeff": "",
        "\u00ad": "",
        "\uf0b7": "•",
        "\uf0a7": "•",
        "\uf0d8": "•",
        "\uf076": "•",
        "\uf0fc": "•",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\u2028": "\n",
        "\u2029": "\n",
    }
    for old, new in replacements.items():
        text = text.replace(old, new)
    text = "".join(ch if unicodedata.category(ch) != "Co" else "•" for ch in text)
    return re.sub(r"[ ]{2,}", " ", text)


def split_run_together(line: str) -> list[str]:
    """Split a line where a PDF copy ran the next line into it ("ChinaAmbassador Cui")."""
    line = GLUED_LABEL.sub("\n", line)
    pieces: list[str] = []
    for piece in line.split("\n"):
        pieces.extend(split_before_glued_title(piece))
    return [piece.strip() for piece in pieces]


def split_before_glued_title(line: str) -> list[str]:
    for match in GLUED_TITLE.finditer(line):
        left_word = line[: match.start()].split()[-1].casefold() if line[: match.start()].split() else ""
        if left_word.rstrip("’'") not in TITLE_MODIFIERS:
            return [line[: match.start()], *split_before_glued_title(line[match.start() :])]
    return [line]


def paragraphs(lines: list[str]) -> list[str]:
    """Join broken lines into paragraphs; a blank line mid-sentence does not end one."""
    result: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line:
            if current and ends_sentence(current[-1]):
                result.append(join_lines(current))
                current = []
            continue
        if current and (stands_alone(line) or stands_alone(current[-1])):
            result.append(join_lines(current))
            current = []
        current.append(line)
    if current:
        result.append(join_lines(current))
    return result


def stands_alone(line: str) -> bool:
    """Bullets, headings, a letter's "Dear ...," and its sign-off each begin a paragraph of their own."""
    return bool(
        BULLET.match(line)
        or HEADING.match(line)
        or LETTER_END.match(line)
        or (LETTER_START.match(line) and len(line.split()) <= 8)
    )


def join_lines(lines: list[str]) -> str:
    text = ""
    for line in lines:
        text = join_broken(text, line)
    return text


def join_broken(current: str, line: str) -> str:
    if not current:
        return line
    if current.endswith("-") and line[:1].islower():
        return current + line
    return f"{current} {line}"


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", ":", ".”", '."', ";"))


def is_prose(line: str) -> bool:
    """A line of running text rather than a line of an address block."""
    if CONTACT_LABEL.match(line):
        return False
    words = line.split()
    if len(words) >= 12:
        return True
    has_lowercase_word = any(word[:1].islower() and word.casefold() not in ADDRESS_WORDS for word in words)
    return line.rstrip().endswith((".", "!", "?")) and has_lowercase_word and len(words) >= 2


# ---------------------------------------------------------------------------------------
# Sectioning
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """Lines start (inclusive) to end (exclusive)."""

    start: int
    end: int


def find_letter(lines: list[str]) -> Span | None:
    """The sample letter: from its "Dear ..." to its sign-off or the next heading."""
    start = next((i for i, line in enumerate(lines) if LETTER_START.match(line)), None)
    if start is None:
        return None
    for end in range(start + 1, len(lines)):
        if LETTER_END.match(lines[end]):
            return Span(start, end + 1)
        if HEADING.match(lines[end]):
            return Span(start, end)
    return Span(start, len(lines))


def find_addressee_block(lines: list[str], letter: Span | None) -> Span | None:
    """The lines naming who to write to: just above the letter, or after "send appeals to"."""
    if letter:
        start = letter.start
        while start > 0 and is_addressee_line(lines[start - 1]):
            start -= 1
        if any(lines[start : letter.start]):
            return Span(start, letter.start)
    marker = next((i for i, line in enumerate(lines) if is_addressee_marker(line)), None)
    if marker is None:
        return None
    end = marker + 1
    while end < len(lines) and is_addressee_line(lines[end]):
        end += 1
    return Span(marker + 1, end) if any(lines[marker + 1 : end]) else None


def is_addressee_line(line: str) -> bool:
    if not line:
        return True
    if COPIES_MARKER.match(line):
        return True
    if BULLET.match(line):
        return looks_like_identity(BULLET.sub("", line))
    return not (is_prose(line) or HEADING.match(line) or is_addressee_marker(line))


def looks_like_identity(line: str) -> bool:
    return classify_part(line) != "address"


def is_addressee_marker(line: str) -> bool:
    """A line introducing the officials, e.g. "PLEASE SEND APPEALS BEFORE 4 JUNE 2016 TO:"."""
    return bool(
        re.search(
            r"(?:\b(?:send|write|appeals?|letters?|contact|address)\b.*\bto\s*:?\s*$"
            r"|^(?:targets?|write to|contact)\s*:\s*$|^take action\b)",
            line,
            re.IGNORECASE,
        )
    )


def intro_paragraphs(lines: list[str], block: Span | None, letter: Span | None) -> list[str]:
    """The opening text: what happened, before any instructions, addresses or letter."""
    stops = [span.start for span in (block, letter) if span]
    end = min(stops, default=len(lines))
    body: list[str] = []
    for line in lines[:end]:
        if is_addressee_marker(line) or ASKS_INTRO.search(line) or re.match(r"^\d[.)]\s", line):
            break
        if not body and (not is_prose(line) or is_header_line(line) or is_capitals(line)):
            continue
        body.append(line)
    return [p for p in paragraphs(body) if not HEADING.match(p)]


def find_story(lines: list[str]) -> str | None:
    """The "Additional information" (or "Background") section, as paragraphs."""
    heading = re.compile(r"^(?:additional information|background(?: information)?)\s*:?\s*$", re.IGNORECASE)
    start = next((i for i, line in enumerate(lines) if heading.match(line)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if ends_story(lines[i])), len(lines))
    body = [line for line in lines[start + 1 : end] if not re.match(r"^https?://\S+$", line)]
    return "\n\n".join(paragraphs(body)) or None


def ends_story(line: str) -> bool:
    """Headings end the story, and so do an older UA's closing "Name:", "Gender" and UA lines."""
    return bool(
        HEADING.match(line) or re.match(r"^(?:names?\s*:|gender\b)", line, re.IGNORECASE) or UA_NUMBER.match(line)
    )


def letter_text(lines: list[str], letter: Span | None) -> str | None:
    if not letter:
        return None
    body = lines[letter.start : letter.end]
    return "\n\n".join(paragraphs(body)) or None


# ---------------------------------------------------------------------------------------
# Targets and copies
# ---------------------------------------------------------------------------------------


def read_addressees(block: list[str]) -> tuple[list[Official], list[Official]]:
    """Officials in the addressee block, split into targets and those to copy in."""
    targets: list[Official] = []
    copies: list[Official] = []
    group = targets
    current: Official | None = None
    closed = False
    lines = [BULLET.sub("", line) for line in block if line]
    for index, line in enumerate(lines):
        copies_marker = COPIES_MARKER.match(line)
        if copies_marker:
            group, current = copies, None
            line = line[copies_marker.end() :].strip()
            if not line:
                continue
        if CONTACT_LABEL.search(line) or EMAIL.fullmatch(line) or HANDLE.fullmatch(line):
            if current is None or closed:
                current, closed = start_official(group), False
            closed = read_contact_details(line, current)
            continue
        parts = split_identity(line)
        kinds = [classify_part(part) for part in parts]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if current is None or closed or starts_new_official(current, kinds, following):
            current, closed = start_official(group), False
        add_parts(current, parts, kinds)
    return [t for t in targets if not t.is_empty], [c for c in copies if not c.is_empty]


def start_official(group: list[Official]) -> Official:
    official = Official()
    group.append(official)
    return official


def starts_new_official(current: Official, kinds: list[str], following: str) -> bool:
    """Whether an identity line begins the next official rather than continuing this one."""
    first = kinds[0]
    if first == "address":
        return False
    past_identity = bool(current.address_lines) or current.has_contact_details
    if first in {"title", "title_name"}:
        return past_identity or bool(current.title and (current.name or first == "title_name"))
    if first == "name":
        if past_identity:
            return classify_part(following) in {"title", "organisation"}
        return bool(current.name)
    return current.has_contact_details


def split_identity(line: str) -> list[str]:
    """ "Cui Tiankai, Ambassador" or "Director - Urumqi Bureau" as separate parts."""
    parts = [part.strip() for part in re.split(r"\s+[-–—]\s+|,\s+", line) if part.strip()]
    kinds = [classify_part(part) for part in parts]
    if len(parts) > 1 and kinds[0] != "address":
        return parts
    return [line]


def add_parts(official: Official, parts: list[str], kinds: list[str]) -> None:
    """Fill the official from one line's parts; in "Counsellor X, Public Prosecutor" the last is the title."""
    for part, kind, previous in zip(parts, kinds, [None, *kinds[:-1]], strict=True):
        if kind == "title_name":
            title, name = split_title_and_name(part)
            official.title = official.title or title
            set_name_or_address(official, name or "")
        elif kind == "title" and (not official.title or previous == "title_name"):
            official.title = part
        elif kind == "name":
            set_name_or_address(official, part)
        elif kind == "organisation" and not official.organisation and not official.address_lines:
            official.organisation = part
        else:
            official.address_lines.append(part)


def set_name_or_address(official: Official, name: str) -> None:
    if official.name:
        official.address_lines.append(name)
    else:
        official.name = strip_honorifics(name)


def classify_part(part: str) -> str:
    """One of title_name, title, organisation, name or address."""
    words = [word.strip(",.;:()").casefold() for word in part.split()]
    if not words or re.search(r"\d", part) or EMAIL.search(part):
        return "address"
    if split_title_and_name(part)[1]:
        return "title_name"
    if is_title(words):
        return "title"
    if any(word in ORGANISATION_WORDS or word.rstrip("’'s") in ORGANISATION_WORDS for word in words):
        return "organisation"
    if is_name(part):
        return "name"
    return "address"


def is_title(words: list[str]) -> bool:
    """A title such as "President of the High Court", not an office like "Office of the President"."""
    kinds = [keyword_kind(word) for word in words]
    found = [(index, kind) for index, kind in enumerate(kinds) if kind]
    if not found:
        return False
    first_index, first_kind = found[0]
    if first_index + 1 < len(words) and words[first_index + 1] in {"of", "for", "to", "on"}:
        return first_kind == "title"
    if kinds[-1]:
        return kinds[-1] == "title"
    return first_kind == "title"


def keyword_kind(word: str) -> str | None:
    word = re.sub(r"[’']s$", "", word)
    if word in TITLE_WORDS:
        return "title"
    if word in ORGANISATION_WORDS:
        return "organisation"
    return None


def split_title_and_name(part: str) -> tuple[str | None, str | None]:
    """("Ambassador", "Cui Tiankai") from "Ambassador Cui Tiankai"; (None, None) if not that shape."""
    words = part.split()
    index = 0
    while index < len(words) and words[index].casefold() in TITLE_MODIFIERS | HONORIFICS:
        index += 1
    if index >= len(words) or words[index].casefold() not in TITLE_WORDS:
        return None, None
    end = index + 1
    while end < len(words) and words[end].casefold() in TITLE_WORDS | TITLE_SUFFIXES:
        end += 1
    name = " ".join(words[end:])
    if not is_name(strip_honorifics(name)):
        return None, None
    return " ".join(word for word in words[:end] if word.casefold() not in HONORIFICS), name


def strip_honorifics(name: str) -> str:
    words = name.split()
    while len(words) > 2 and words[0].casefold() in HONORIFICS:
        words.pop(0)
    return " ".join(words)


def is_name(text: str) -> bool:
    """A personal name: two to five capitalised words, none of them an office or a place word."""
    words = strip_honorifics(text).split()
    if not 2 <= len(words) <= 5 or re.search(r"[\d@:/,;]", text):
        return False
    if len(words[-1]) == 2 and words[-1].isupper():
        return False
    vocabulary = TITLE_WORDS | ORGANISATION_WORDS | ADDRESS_WORDS
    for word in words:
        plain = word.strip(",.()").casefold()
        if plain in vocabulary or plain in {"of", "the", "and", "for"}:
            return False
        if not (word[:1].isupper() or plain in NAME_PARTICLES or plain.startswith(("al-", "el-"))):
            return False
    return not is_country(text)


def is_country(text: str) -> bool:
    try:
        import pycountry
    except ImportError:
        return False
    try:
        pycountry.countries.lookup(text.strip())
    except LookupError:
        return False
    return True


def read_contact_details(line: str, official: Official) -> bool:
    """Add the labelled details on a line to the official; True when a salutation closed it."""
    matches = list(CONTACT_LABEL.finditer(line))
    if not matches:
        official.emails.extend(EMAIL.findall(line))
        official.twitter.extend("@" + handle for handle in HANDLE.findall(line) if not EMAIL.search(line))
        return False
    before = line[: matches[0].start()].strip(" |,;")
    if before:
        official.address_lines.append(before)
    closed = False
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        value = line[match.end() : following.start() if following else len(line)]
        value = re.sub(r"(?:\s+[I|]|[|,;])\s*$", "", value.strip()).strip()
        label = CONTACT_LABELS.get(re.sub(r"^e-?mails?$", "email", match.group(1).casefold()), "ignored")
        closed = add_contact_detail(official, label, value) or closed
    return closed


def add_contact_detail(official: Official, label: str, value: str) -> bool:
    if not value:
        return False
    if label == "salutation":
        official.salutation = value.rstrip(",:;").strip()
        return True
    if label == "email":
        official.emails.extend(EMAIL.findall(value) or [value])
    elif label == "twitter":
        official.twitter.extend("@" + handle for handle in HANDLE.findall(value)) if HANDLE.search(
            value
        ) else official.twitter.append(value)
    if label in {"phone", "phone+fax"}:
        official.phones.extend(split_numbers(value))
    if label in {"fax", "phone+fax"}:
        official.faxes.extend(split_numbers(value))
    return False


def split_numbers(value: str) -> list[str]:
    """ "+86 10 1234 / +86 10 5678" or "202 495 2266 or 202 495 2267" as separate numbers."""
    pieces = re.split(r"\s*(?:/|;|,|\bor\b|\band\b|\|)\s*|(?<=\d)\s+I\s+(?=[+(\d])", value)
    numbers = [piece.strip(" .") for piece in pieces if len(re.sub(r"\D", "", piece)) >= 5]
    return numbers or [value]


def letter_salutation(line: str) -> str:
    return re.split(r"[,:]", line, maxsplit=1)[0].strip()


def give_letter_salutation(targets: list[Official], salutation: str) -> None:
    """The sample letter's "Dear ..." is the salutation of the target it is written to."""
    waiting = [target for target in targets if not target.salutation]
    if not waiting or not salutation:
        return
    words = {word.casefold() for word in re.findall(r"\w{3,}", salutation)} - {"dear", "your"}
    for target in waiting:
        known = {word.casefold() for word in re.findall(r"\w{3,}", f"{target.title or ''} {target.name or ''}")}
        if words & known:
            target.salutation = salutation
            return
    if len(targets) == 1:
        targets[0].salutation = salutation


def one_or_many(values: list[str]) -> str | list[str] | None:
    unique = list(dict.fromkeys(value for value in values if value))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else unique


# ---------------------------------------------------------------------------------------
# Asks
# ---------------------------------------------------------------------------------------


def find_asks(lines: list[str], letter: Span | None) -> list[str]:
    """The demands: a list after "I urge you to:", else the "I call on you to ..." sentences."""
    listed = listed_asks(lines)
    if listed:
        return listed
    source = lines[letter.start : letter.end] if letter else lines
    asks: list[str] = []
    for paragraph in paragraphs(source):
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", paragraph):
            match = ASK_SENTENCE.search(sentence)
            if match:
                asks.extend(split_clauses(match.group(1)))
    return asks


def listed_asks(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if ASKS_INTRO.search(line) and not HEADING.match(line):
            items = list_items(lines[index + 1 :])
            if items:
                return items
    return []


def list_items(lines: list[str]) -> list[str]:
    """The items of a (possibly bulleted) list, each rejoined from its broken lines."""
    items: list[str] = []
    for line in lines:
        if not line:
            continue
        bullet = BULLET.match(line)
        text = line[bullet.end() :].strip() if bullet else line
        if LETTER_END.match(line) or HEADING.match(line) or is_addressee_marker(line):
            break
        starts_item = bool(bullet) or re.match(ASK_VERB, text, re.IGNORECASE) is not None
        if not items and not starts_item:
            break
        if items and not bullet and ends_sentence(items[-1]):
            if not starts_item or (items[-1].endswith(".") and not text[:1].isupper()):
                break
            items.append(text)
        elif not items or bullet or (starts_item and ends_sentence(items[-1])):
            items.append(text)
        else:
            items[-1] = join_broken(items[-1], text)
    return [tidy_ask(item) for item in items if tidy_ask(item)]


def split_clauses(text: str) -> list[str]:
    """ "disclose X, allow Y, and ensure Z; and release W" as four asks."""
    asks: list[str] = []
    for part in re.split(r";\s*", text):
        pieces = re.split(rf"(?:,\s*(?:and\s+)?(?:to\s+)?|\s+and\s+(?:to\s+)?)(?={ASK_VERB})", part)
        asks.extend(tidy_ask(piece) for piece in pieces)
    return [ask for ask in asks if ask]


def tidy_ask(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^(?:and|or)\s+", "", text, flags=re.IGNORECASE)
    return text.strip(" ;,.").strip()


# ---------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------


def find_people(lines: list[str], flat: str, letter: Span | None, asks: list[str], intro: list[str]) -> list[Person]:
    """Who the UA is about, from the most explicit place that names them."""
    people = people_from_pronoun_line(flat) or people_from_name_lines(lines)
    if not people:
        letter_text_ = " ".join(paragraphs(lines[letter.start : letter.end])) if letter else ""
        names = names_after_concern(letter_text_) or names_in_asks(asks) or names_after_concern(" ".join(intro))
        names = names or subject_of_story(intro)
        people = [Person(name) for name in names]
    for person in people:
        person.native_name = person.native_name or native_name(flat, person.name)
    return people


def people_from_pronoun_line(flat: str) -> list[Person]:
    match = re.search(
        r"(?:names?\s+and\s+(?:pref+er+ed\s+)?pronouns?|(?:pref+er+ed\s+)?pronouns?\s+and\s+names?)\s*:\s*(.+?)"
        r"(?=\s+(?:link to previous|preferred language|please|https?://|additional information)|$)",
        flat,
        re.IGNORECASE,
    )
    if not match:
        return []
    people: list[Person] = []
    for entry in re.finditer(r"([^,;()]+?)\s*\(([^)]*)\)|([^,;()]+)", match.group(1)):
        name = tidy_name(entry.group(1) or entry.group(3) or "")
        pronouns = entry.group(2).strip() if entry.group(2) and PRONOUNS.match(entry.group(2).strip()) else None
        if name and (is_name(name) or pronouns):
            people.append(Person(name, pronouns=pronouns))
    return people


def people_from_name_lines(lines: list[str]) -> list[Person]:
    """Older UAs end with "Name: ..." (and "Gender m/f: ...")."""
    for line in lines:
        match = re.match(r"^names?\s*:\s*(.+)$", line, re.IGNORECASE)
        if match:
            names = [tidy_name(name) for name in re.split(r",\s*|\s+and\s+", match.group(1))]
            return [Person(name) for name in names if name]
    return []


def tidy_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" .,:;-–")
    return re.sub(r"^(?:and|&)\s+", "", name)


def names_after_concern(text: str) -> list[str]:
    for match in re.finditer(
        r"\b(?:concern(?:ed)?\s+(?:for|about|over|at|regarding)|writing\s+(?:to\s+you\s+)?(?:about|regarding)"
        r"|on\s+behalf\s+of)\s+(.{0,160})",
        text,
        re.IGNORECASE,
    ):
        names = leading_names(match.group(1))
        if names:
            return names
    return []


def names_in_asks(asks: list[str]) -> list[str]:
    for ask in asks:
        match = re.search(r"\b(?:release|free)\s+(.{0,120})", ask, re.IGNORECASE)
        if match:
            names = leading_names(match.group(1))
            if names:
                return names
    return []


def subject_of_story(intro: list[str]) -> list[str]:
    """The people the opening sentence is about ("Kazakh writer Nagyz Muhammed was arrested")."""
    if not intro:
        return []
    match = re.search(r"^(.{0,160}?)\s+(?:was|were|has|have|is|are)\b", intro[0])
    if not match:
        return []
    names = [name_at_end(part) for part in re.split(r",\s*|\s+and\s+", match.group(1))]
    return [name for name in names if name]


def name_at_end(text: str) -> str | None:
    """ "Nagyz Muhammed" from "Kazakh writer Nagyz Muhammed"."""
    words = text.split()
    for start in range(len(words)):
        candidate = " ".join(words[start:])
        if is_name(candidate):
            return candidate
    return None


def leading_names(fragment: str) -> list[str]:
    """Names at the start of a fragment, skipping a short lowercase description before them."""
    words = fragment.split()
    names: list[str] = []
    current: list[str] = []
    skipped = 0
    for word in words:
        plain = word.strip(",.;:()’'")
        if word[:1].isupper() and plain and plain.casefold() not in TITLE_WORDS | HONORIFICS:
            current.append(word.rstrip(",.;:"))
            if word.endswith((",", ";", ".", ":", "’s", "'s")):
                current[-1] = re.sub(r"[’']s$", "", current[-1])
                names, current = close_name(names, current), []
                if word.endswith((".", ";", ":", "’s", "'s")):
                    break
            continue
        if current:
            names, current = close_name(names, current), []
            if plain.casefold() not in {"and", "&"}:
                break
        elif names and plain.casefold() in {"and", "&"}:
            continue
        elif not names and skipped < 6 and not word.startswith("("):
            skipped += 1
            continue
        else:
            break
    names = close_name(names, current)
    return [name for name in names if is_name(name)]


def close_name(names: list[str], words: list[str]) -> list[str]:
    name = tidy_name(" ".join(words))
    return [*names, name] if name else names


def native_name(flat: str, name: str) -> str | None:
    """A name in its own script, written in brackets after the romanised name."""
    for match in re.finditer(re.escape(name) + r"\s*[（(]([^)）]{1,60})[)）]", flat):
        candidate = match.group(1).strip()
        if any(ch.isalpha() and "LATIN" not in unicodedata.name(ch, "") for ch in candidate):
            return candidate
    return None


# ---------------------------------------------------------------------------------------
# Identity, headline, languages, dates
# ---------------------------------------------------------------------------------------


def find_ua_number(flat: str) -> tuple[str | None, str | None]:
    """The UA's number ("63.20") and, for further information, the number it follows."""
    followed = FOLLOWED_UA.search(flat)
    follows = f"{followed.group(1)}.{followed.group(2)}" if followed else None
    match = UA_NUMBER.search(flat)
    if not match:
        return follows, follows
    number = f"{match.group(1)}.{match.group(2)}"
    if match.group(3) or re.match(r"FI\b", match.group(0), re.IGNORECASE):
        follows = follows or number
    return number, follows


def reads_as_follow_up(flat: str) -> bool:
    return bool(
        re.search(
            r"\b(?:further information on (?:UA|urgent action)|link to previous UA|this is the \w+ update"
            r"|follow[- ]up to (?:UA|urgent action))\b",
            flat,
            re.IGNORECASE,
        )
    )


def find_ai_index(flat: str) -> str | None:
    match = re.search(
        r"\bIndex(?:\s+(?:number|no\.?))?\s*:?\s*([A-Z]{3})\s*(\d{2})\s*/\s*(\d{3,4})\s*/\s*(\d{4})\b",
        flat,
    )
    return f"{match.group(1)} {match.group(2)}/{match.group(3)}/{match.group(4)}" if match else None


def find_headline(lines: list[str]) -> str | None:
    """The capitalised title near the top, under the "URGENT ACTION" banner when there is one."""
    headline: list[str] = []
    for line in [line for line in lines if line][:8]:
        text = re.sub(r"^URGENT ACTION\b\s*:?\s*", "", line)
        if not text or is_header_line(text):
            if headline:
                break
            continue
        if is_capitals(text) and len(text.split()) >= 2:
            headline.append(text)
            continue
        if headline or is_prose(text) or len(text.split()) >= 12:
            break
    return " ".join(headline) or None


def is_header_line(line: str) -> bool:
    return bool(
        UA_NUMBER.search(line)
        or re.match(
            r"^(?:further information|urgent action|date\b|index\b|ua\b|fi\b)",
            line,
            re.IGNORECASE,
        )
    )


def is_capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 6 and sum(ch.isupper() for ch in letters) / len(letters) > 0.85


def find_preferred_languages(flat: str) -> list[str]:
    """BCP 47 codes of the languages the UA asks supporters to write in."""
    codes: list[str] = []
    for match in re.finditer(
        r"(?:preferred languages?(?: to address (?:the )?targets?)?|languages?\s*:|can be written in"
        r"|write\s+(?:\w+\s+)?in|appeals? in)\s*:?\s*(.{0,160})",
        flat,
        re.IGNORECASE,
    ):
        for code in language_codes(match.group(1)):
            if code not in codes:
                codes.append(code)
    return codes


def language_codes(fragment: str) -> list[str]:
    codes: list[str] = []
    for word in re.findall(r"[^\W\d_]+|[^\w\s]", fragment):
        folded = word.casefold()
        if folded in {",", "and", "or", "/", "bahasa", "simplified", "traditional", "&"}:
            continue
        code = language_code(word)
        if not code:
            break
        codes.append(code)
    return codes


def language_code(word: str) -> str | None:
    code = LANGUAGES.get(word.casefold())
    if code or not word[:1].isupper():
        return code
    try:
        import pycountry
    except ImportError:
        return None
    try:
        language = pycountry.languages.lookup(word)
    except LookupError:
        return None
    return getattr(language, "alpha_2", None) or language.alpha_3


def find_issue_date(flat: str) -> date | None:
    match = re.search(rf"\b(?:issue\s+)?date\s*:?\s*({DATE})", flat, re.IGNORECASE)
    return read_date(match.group(1), None) if match else None


def find_deadline(flat: str, issued_on: date | None) -> date | None:
    """The date appeals should be sent by ("PLEASE SEND APPEALS BEFORE 4 JUNE 2016")."""
    patterns = (
        rf"\bdeadline\b[^.]{{0,40}}?(?:is|:|of|on)?\s*({DATE})",
        (
            rf"\b(?:appeals?|action|act|write|writing|contact|send|letters?|tweet|call|email)\b[^.]{{0,80}}?"
            rf"\b(?:before|until|by|no later than|ahead of)\s*:?\s*({DATE})"
        ),
    )
    for pattern in patterns:
        match = re.search(pattern, flat, re.IGNORECASE)
        if match:
            return read_date(match.group(1), issued_on or latest_date(flat))
    return None


def latest_date(flat: str) -> date | None:
    dates = [read_date(text, None) for text in re.findall(DATE, flat, re.IGNORECASE)]
    known = [day for day in dates if day]
    return max(known) if known else None


def read_date(text: str, reference: date | None) -> date | None:
    """A date written any of the usual ways; a missing year comes from the reference date."""
    numeric = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text.strip())
    if numeric:
        return safe_date(int(numeric.group(3)), int(numeric.group(2)), int(numeric.group(1)))
    month_match = re.search(MONTH, text, re.IGNORECASE)
    if not month_match:
        return None
    month = MONTHS[month_match.group(0).casefold()]
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    day = next((n for n in numbers if n <= 31), None)
    year = next((n for n in numbers if n > 31), None)
    if day is None:
        return None
    if year is None:
        if reference is None:
            return None
        year = reference.year
        guess = safe_date(year, month, day)
        if guess and guess < reference:
            year += 1
    return safe_date(year, month, day)


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------
# Refusal
# ---------------------------------------------------------------------------------------


def refuse_unless_urgent_action(flat: str, ua_number: str | None, targets: list[Official], asks: list[str]) -> None:
    """A UA has at least two of: its identity (number or banner), an official, asks."""
    has_identity = bool(ua_number) or bool(re.search(r"\burgent action\b", flat, re.IGNORECASE))
    has_target = any(target.name or target.title for target in targets)
    found = [has_identity, has_target, bool(asks)]
    if sum(found) >= 2:
        return
    labels = ["no UA number or Urgent Action banner", "no target official", "no asks"]
    raise NotAnUrgentAction([label for label, present in zip(labels, found, strict=True) if not present])


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
