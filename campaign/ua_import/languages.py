"""The text's own language and the languages supporters are asked to write in.

Language names come from CLDR in every locale we read, so "write in English, Persian or your
own language", "po angielsku lub polsku" and "(en anglais ou dans votre propre langue)" all
give BCP 47 codes. "Your own language" is not a language and is not coded.
"""

from __future__ import annotations

import re

from campaign.ua_import.cldr import language_code
from campaign.ua_import.normalise import sentences
from campaign.ua_import.vocabulary import STOPWORDS

_LABEL = re.compile(
    r"(?:preferred languages?|langues? [àa] privil[ée]gier|bevorzugte sprachen?|idiomas? preferidos?|preferowan[ey] j[ęe]zyki?|"
    r"voorkeurstaal|lingue preferite|l[íi]nguas? preferidas?|предпочтительные языки)[^:\n]*:\s*(?P<names>[^\n]+)",
    re.IGNORECASE,
)
_PREPOSITION = r"(?:\bin|\ben|\bauf|\bpo|\bin het|\bem|(?<!\w)на)\s+"
_CONJUNCTION = r"(?:\s*,\s*|\s+(?:or|and|ou|et|oder|und|o|y|lub|i|of|en|e|или)\s+)"
_WRITE = re.compile(
    r"(?:write|writ|appeal|apel|schreib|[ée]cri|appel|escrib|llamamiento|schrijf|scriv|escrev|пиш|langu|sprache|idioma|taal|"
    r"lingua|j[ęe]zyk|язык)",
    re.IGNORECASE,
)


def _codes(names: list[str]) -> list[str]:
    codes: list[str] = []
    for name in names:
        code = language_code(name.strip(" .;:()"))
        if code and code not in codes:
            codes.append(code)
    return codes


def preferred_languages(text: str) -> tuple[list[str], str | None]:
    """Codes of the languages the text asks appeals to be written in, and the excerpt."""
    label = _LABEL.search(text)
    if label:
        codes = _codes(re.split(_CONJUNCTION, label.group("names")))
        if codes:
            return codes, label.group(0)
    word = r"[^\W\d_]{4,}"
    pattern = re.compile(rf"{_PREPOSITION}(?P<names>{word}(?:{_CONJUNCTION}{word})*)", re.IGNORECASE)
    for sentence in (sentence for line in text.split("\n") for sentence in sentences(line)):
        if not _WRITE.search(sentence):
            continue
        for match in pattern.finditer(sentence):
            names = re.split(_CONJUNCTION, match.group("names"))
            codes = _codes(names)
            if codes and (
                len(names) > 1
                or re.search(r"\b(?:own|propre|eigenen|propio|własn|eigen|propria|própria)\b", sentence, re.I)
            ):
                return codes, sentence.strip()
    return [], None


def text_language(text: str) -> str | None:
    """The language most of the text's function words belong to."""
    words = re.findall(r"[^\W\d_]+", text.casefold())
    if len(words) < 8:
        return None
    counts = {code: sum(1 for word in words if word in stopwords) for code, stopwords in STOPWORDS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] >= 3 else None
