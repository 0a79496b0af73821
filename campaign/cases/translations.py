"""A case in the reader's language: each of its words from the translation where one exists, else the original.

Every piece of text carries the language it is written in, so a page shows the original's words
marked with their own ``lang`` (and direction) inside a page in another language. The JSON API
and the console keep working on the case row itself: the original.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from flask import current_app
from markupsafe import Markup

from campaign.cases.models import Case, CaseTranslation, ModelLetter
from campaign.languages import html_lang, shipped_language, text_direction


def original_language() -> str:
    """The language cases are written in first (the console's and the API's)."""
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@dataclass(frozen=True)
class InLanguage:
    """Some of a case's words and the language they are in, relative to the page that shows them."""

    text: str
    language: str
    page_language: str

    @property
    def is_foreign(self) -> bool:
        return self.language != self.page_language

    @property
    def lang_attributes(self) -> Markup:
        """` lang=".." dir=".."` when the words are not in the page's language; nothing otherwise."""
        if not self.is_foreign:
            return Markup("")
        return Markup(' lang="{}" dir="{}"').format(html_lang(self.language), text_direction(self.language))

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text.strip())


class LocalisedCase:
    """What a reader of ``language`` is shown of a case's words; each field is read only when asked for."""

    def __init__(self, case: Case, language: str, translation: CaseTranslation | None) -> None:
        self.case = case
        self.language = language
        self.translation = translation

    def _pick(self, translated: str | None, fallback: str | None) -> InLanguage:
        if self.translation is not None and translated and translated.strip():
            return InLanguage(translated, self.language, self.language)
        return InLanguage(fallback or "", original_language(), self.language)

    @property
    def is_translated(self) -> bool:
        return not self.headline.is_foreign

    @cached_property
    def headline(self) -> InLanguage:
        return self._pick(self.translation and self.translation.headline, self.case.headline)

    @cached_property
    def summary(self) -> InLanguage:
        return self._pick(self.translation and self.translation.summary, self.case.summary)

    @cached_property
    def story(self) -> InLanguage:
        return self._pick(self.translation and self.translation.story_markdown, self.case.story_markdown)

    @cached_property
    def additional_information(self) -> InLanguage:
        return self._pick(
            self.translation and self.translation.additional_information_markdown,
            self.case.additional_information_markdown,
        )

    @cached_property
    def asks(self) -> list[InLanguage]:
        if self.translation is not None and self.translation.asks:
            return [InLanguage(text, self.language, self.language) for text in self.translation.asks]
        return [InLanguage(ask.text, original_language(), self.language) for ask in self.case.asks]


def translation_for(case: Case, language: str | None) -> CaseTranslation | None:
    """The case's translation into a language, when it has one."""
    code = shipped_language(language)
    if code is None or code == original_language():
        return None
    return next((translation for translation in case.translations if translation.language == code), None)


def localised_case(case: Case, language: object) -> LocalisedCase:
    """The case's words for a reader of ``language``: translated field by field, the original where not."""
    page = shipped_language(str(language)) or original_language()
    return LocalisedCase(case, page, translation_for(case, page))


def letters_for_reader(case: Case, language: object) -> list[ModelLetter]:
    """The case's model letters, the one in the reader's language first, then the officials' preferred ones."""
    page = shipped_language(str(language)) or original_language()
    preferred = [shipped_language(code) for code in case.preferred_languages or []]

    def rank(letter: ModelLetter) -> tuple[int, int]:
        code = shipped_language(letter.language)
        if code == page:
            return (0, letter.position)
        if code in preferred:
            return (1, preferred.index(code))
        return (2, letter.position)

    return sorted(case.letters, key=rank)
