"""A case in the reader's language: each of its words from the translation where one exists, else the original.

Every piece of text carries the language it is written in, so a page shows the original's words
marked with their own ``lang`` (and direction) inside a page in another language. The JSON API
and the console keep working on the case row itself: the original.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class LocalisedCase:
    """What a reader of ``language`` is shown of a case's words."""

    language: str
    headline: InLanguage
    summary: InLanguage
    story: InLanguage
    additional_information: InLanguage
    asks: list[InLanguage]

    @property
    def is_translated(self) -> bool:
        return not self.headline.is_foreign


def translation_for(case: Case, language: str | None) -> CaseTranslation | None:
    """The case's translation into a language, when it has one."""
    code = shipped_language(language)
    if code is None or code == original_language():
        return None
    return next((translation for translation in case.translations if translation.language == code), None)


def localised_case(case: Case, language: object) -> LocalisedCase:
    """The case's words for a reader of ``language``: translated field by field, the original where not."""
    page = shipped_language(str(language)) or original_language()
    original = original_language()
    translation = translation_for(case, page)

    def pick(translated: str | None, fallback: str | None) -> InLanguage:
        if translation is not None and translated and translated.strip():
            return InLanguage(translated, page, page)
        return InLanguage(fallback or "", original, page)

    if translation is not None and translation.asks:
        asks = [InLanguage(text, page, page) for text in translation.asks]
    else:
        asks = [InLanguage(ask.text, original, page) for ask in case.asks]
    return LocalisedCase(
        language=page,
        headline=pick(translation and translation.headline, case.headline),
        summary=pick(translation and translation.summary, case.summary),
        story=pick(translation and translation.story_markdown, case.story_markdown),
        additional_information=pick(
            translation and translation.additional_information_markdown, case.additional_information_markdown
        ),
        asks=asks,
    )


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
