"""Clean a UA's text as copied from a PDF or web page before anything reads it.

Copies bring non-breaking spaces, private-use bullet glyphs from PDF fonts, indentation of
e-mail reposts, Windows line ends and words glued together where a line break was lost
("People's Republic of ChinaAmbassador Cui Tiankai"). The result keeps the lines: the parts of
a UA are found by their lines.
"""

from __future__ import annotations

import re
import unicodedata

from campaign.ua_import.vocabulary import TITLE_WORDS

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
_GLUED_TITLE = re.compile(r"(?<=[a-z\u00e0-\u00ff])(?=(?:{})\b)".format("|".join(TITLE_WORDS)))
_BULLET = re.compile(r"^(?:[•·▪●◦‣∙*]|[–—-](?=\s)|\(?\d{1,2}[.)](?=\s)|\(?[a-h]\)(?=\s))\s*")


_COLUMN_GAP = re.compile(r"(?<=\S)[ \t\u00a0]{6,}(?=\S)")


def separate_columns(text: str) -> str:
    """Two-column PDF text run together line by line: the right column's pieces move after the
    left column, in their order, so each column reads as written."""
    lines = text.split("\n")
    split = [_COLUMN_GAP.split(line.strip(), maxsplit=1) for line in lines]
    if sum(1 for parts in split if len(parts) == 2) < 3:
        return text
    left = [parts[0] for parts in split]
    right = [parts[1] for parts in split if len(parts) == 2]
    return "\n".join(left) + "\n\n" + "\n".join(right)


def normalise(text: str) -> str:
    """Unicode NFC, plain spaces, one bullet glyph, no indentation, glued official lines split,
    PDF columns separated."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _PRIVATE_USE.sub("•", text)
    text = separate_columns(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return _GLUED_TITLE.sub("\n", text)


def bullet_text(line: str) -> str | None:
    """The item of a bulleted or numbered line without its bullet; None for other lines."""
    match = _BULLET.match(line)
    if not match or not line[match.end() :].strip():
        return None
    return line[match.end() :].strip()


def paragraphs(text: str) -> list[str]:
    """Blocks of lines separated by blank lines, each joined into one line."""
    blocks = re.split(r"\n\s*\n", text)
    return [join_lines(block.split("\n")) for block in blocks if block.strip()]


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one line; a word hyphenated across a break is rejoined."""
    joined = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if joined.endswith("-") and line[:1].islower() and not joined.endswith(" -"):
            joined = joined + line
        else:
            joined = f"{joined} {line}" if joined else line
    return joined


_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"“'‘(]?[A-ZÀ-ÖØ-Þ0-9])")


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph: split after . ! ? followed by a space and a capital or a quote."""
    found: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if re.search(r"(?:^|\s)(?:\d{1,2}|[A-Z]|Dr|Mr|Mrs|Ms|St|No|Nr|ca|vs)\.$", text[start : match.start() + 1]):
            continue
        found.append(text[start : match.start() + 1].strip())
        start = match.end()
    found.append(text[start:].strip())
    return [sentence for sentence in found if sentence]


def is_sentence(line: str) -> bool:
    """A line of running text rather than a heading, a name or an address line."""
    words = line.split()
    lower = sum(1 for word in words if word[:1].islower() and len(word) >= 4)
    return len(words) >= 6 and lower / len(words) > 0.4
