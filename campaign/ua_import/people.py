"""The people at risk: from a labelled list, the old header's name lines, a letter's subject
line, or the case summary's subjects.

Names are runs of capitalised words (with name particles such as al-, el-, de, van); a run
that holds an organisation word, a country or a month is not a name. In running text a name
counts when it opens the summary's first sentences, is listed after a colon, or recurs.
"""

from __future__ import annotations

import re

from campaign.ua_import.cldr import is_country, month_numbers
from campaign.ua_import.models import Person
from campaign.ua_import.normalise import bullet_text, sentences
from campaign.ua_import.vocabulary import HONORIFICS, NOT_A_NAME

_NAME_WORD = r"(?:[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’\-]*[\w]|['‘’][A-Z][\w\-]+|(?:al|el|ul|bin|ibn|abu)-[A-Z][\w'’\-]+)"
_PARTICLE = r"(?:al|el|de|del|da|dos|das|van|von|der|den|ter|bin|ibn|abu|la|le|di)"
_NAME = re.compile(rf"(?<![\w'’@#-])(?:{_NAME_WORD})(?:[ \t]+(?:{_PARTICLE}[ \t]+)?(?:{_NAME_WORD})){{1,3}}(?![\w'’-])")
_SUBJECT_OPENING = re.compile(r"^(?:(?:On|In|Am|Le|El|W|Op|Il)\s[^,]{3,25},\s+)?$")
_ARTICLES = {"the", "die", "der", "das", "le", "la", "les", "el", "los", "las", "il", "lo", "het"}
_HONORIFIC = re.compile(r"^(?:{})\.?\s+".format("|".join(map(re.escape, HONORIFICS))))
_GENDER = re.compile(r"\s*\((?:m|f|male|female|[mwf])\)", re.IGNORECASE)
_PRONOUNS = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<pronouns>\w+/\w+(?:/\w+)?)\)")
_NATIVE = r"\s*[(（](?P<native>[^\x00-\u00b6\u00b8-\u024f()（）]{2,30})[)）]"
_LIST_LABEL = re.compile(
    r"^(?:in gefahr|at risk|name(?:s)? and preferred pronouns?|name and preffered pronoun|nom|nombre|imi[ęe] i nazwisko|naam)\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


def clean_name(name: str) -> str:
    name = _GENDER.sub("", name).strip(" ,;:.")
    words = name.split()
    if len(words) >= 3 and words[0].casefold() in _ARTICLES:
        name = " ".join(words[2:])
    while _HONORIFIC.match(name):
        name = _HONORIFIC.sub("", name, count=1)
    name = re.sub(r",?\s*\d{1,3}(?:\s+\w+){0,2}$", "", name)
    return name.strip(" ,")


def is_name(candidate: str) -> bool:
    words = candidate.split()
    if len(words) < 2 and not re.search(r"\((?:m|f)\)", candidate):
        return False
    months = month_numbers()
    for word in words:
        folded = word.casefold().strip(".,'’")
        if folded in NOT_A_NAME or folded in months:
            return False
    return not is_country(candidate)


def _with_native(name: str, text: str) -> Person:
    person = Person(name)
    native = re.search(re.escape(name) + _NATIVE, text)
    if native:
        person.native_name = native.group("native").strip()
    return person


def _listed(lines: list[str]) -> list[Person]:
    """People under a label ("In Gefahr:", "NAME AND PREFERRED PRONOUN:") or in the old header."""
    people: list[Person] = []
    for index, line in enumerate(lines):
        label = _LIST_LABEL.match(line)
        if not label:
            continue
        entries = [label.group("rest")] if label.group("rest") else []
        for following in lines[index + 1 :]:
            if not following or following.endswith(":"):
                break
            entries.append(following)
        entries = [part for entry in entries for part in re.split(r"(?<=\))\s*(?:,|and|und|et|y|i|en|e)\s+", entry)]
        for entry in entries:
            pronouns = _PRONOUNS.match(entry)
            name = clean_name(pronouns.group("name") if pronouns else entry.split(",")[0])
            if name and len(name.split()) <= 6:
                people.append(Person(name, pronouns=pronouns.group("pronouns") if pronouns else None))
    return people


def _gender_marked(lines: list[str]) -> list[Person]:
    """Old secretariat header lines: 'IRAN Dr Haleh Esfandiari (f), aged 67', 'Yazdan (m)'."""
    people: list[Person] = []
    for line in lines[:60]:
        match = re.match(r"^(?:(?P<country>[A-Z][A-Z ]+?)\s+)?(?P<name>[^()]{2,60}?)\s*\((?:m|f)\)", line)
        if match and len(line) < 160:
            name = clean_name(match.group("name"))
            if name and all(word[:1].isupper() or word[:3] in ("al-", "el-") for word in name.split()):
                people.append(Person(name))
    return people


def _country_subject(lines: list[str], header_index: int | None) -> list[Person]:
    """Old header's 'BRAZIL Community of Restinga' line under the UA number."""
    if header_index is None:
        return []
    for line in lines[header_index + 1 : header_index + 5]:
        match = re.match(r"^(?P<country>[A-Z]{3,}(?: [A-Z]{3,})?)\s+(?P<subject>[A-Z][\w ,'’-]{3,60})$", line)
        if match and is_country(match.group("country")):
            return [Person(clean_name(match.group("subject")))]
    return []


def _capitals_block(lines: list[str]) -> list[Person]:
    """Names written in capitals one per line under a short lead-in ('Die Geschwister')."""
    people: list[Person] = []
    for index, line in enumerate(lines[:60]):
        name = line.strip(" ,")
        if (
            name.isupper()
            and not bullet_text(line)
            and 2 <= len(name.split()) <= 5
            and lines[index - 1 : index]
            and not lines[index - 1].isupper()
        ):
            block = [clean_name(other) for other in lines[index : index + 8] if other.strip(" ,").isupper()]
            block = [entry for entry in block if is_name(entry)]
            following = lines[index + len(block) : index + len(block) + 1]
            if len(block) >= 2 and lines[index - 1] and not lines[index - 1].endswith(".") and following == [""]:
                return [Person(entry) for entry in block]
            if people:
                break
    return people


def _org_before(text: str, start: int) -> bool:
    """Whether the capitalised words just before a name make it part of an organisation's name."""
    words = re.findall(r"\S+", text[max(0, start - 60) : start].split("\n")[-1])[-4:]
    run = []
    for word in reversed(words):
        if not (word[:1].isupper() or word in ("de", "of", "for", "del", "la", "des", "der")):
            break
        run.append(word.casefold().strip(",."))
    return any(
        word in NOT_A_NAME and word not in ("the", "of", "for", "and", "a", "in", "on", "at", "to") for word in run
    )


def _summary_subjects(text: str, exclude: set[str]) -> list[str]:
    """Names the case summary is about: named in its opening sentences or as a sentence's
    subject early on, listed after a colon, or written out more than once."""
    counts: dict[str, int] = {}
    order: list[str] = []
    listed: set[str] = set()
    subjects: set[str] = set()
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if len(p) > 100 and not p.isupper()]
    early = [sentence for p in paragraphs[:3] for sentence in sentences(" ".join(p.split()))][:8]
    opening = " ".join(early[:2])
    for sentence in early:
        for match in _NAME.finditer(sentence):
            if _SUBJECT_OPENING.match(sentence[: match.start()]):
                subjects.add(clean_name(match.group(0)))
    excluded = " ".join(exclude)
    for match in _NAME.finditer(text):
        name = re.sub(r"['’]s$", "", clean_name(match.group(0)))
        before = text[max(0, match.start() - 400) : match.start()]
        shouting = any(len(word) >= 3 and word.isupper() for word in name.split())
        if shouting or not is_name(name) or re.search(r"\w['’]s\s", name + " ") or re.search(r"\([^)]*$", before[-40:]):
            continue
        if name in excluded or _org_before(text, match.start()):
            continue
        counts[name] = counts.get(name, 0) + 1
        if name not in order:
            order.append(name)
        paragraph_before = re.split(r"\n\s*\n", before)[-1]
        if re.search(r"\b(?:include|are|sind|sont|son|to|są|zijn)\s*:", paragraph_before):
            listed.add(name)
    people: list[str] = []
    for name in order:
        surname = name.split()[-1]
        mentions = len(re.findall(rf"(?<!\w){re.escape(surname)}(?!\w)", text))
        chosen = name in opening or name in listed or name in subjects or counts[name] >= 3
        chosen = chosen or (counts[name] >= 2 and mentions >= 3)
        squashed = name.replace(" ", "")
        if chosen and not any(name in other or other in name or squashed == other.replace(" ", "") for other in people):
            people.append(name)
    return people


def _add_native(people: list[Person], text: str) -> list[Person]:
    for person in people:
        person.native_name = person.native_name or _with_native(person.name, text).native_name
    return people


def find_people(
    text: str, lines: list[str], header_index: int | None, officials: set[str], subject_lines: list[str]
) -> list[Person]:
    """The people at risk, in the order the text names them; `officials` holds the officials'
    names and contact text, which never name a person at risk."""
    for finder in (_listed, _gender_marked, _capitals_block):
        people = finder(lines)
        if people:
            return _add_native(people, text)
    people = _country_subject(lines, header_index)
    if people:
        return people
    if subject_lines:
        return [_with_native(clean_name(name), text) for name in subject_lines]
    return _add_native([Person(name) for name in _summary_subjects(text, officials)], text)
