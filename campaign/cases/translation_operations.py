"""Writing a case's words in another language (and its model letter in that language)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from campaign.audit.operations import record_audit
from campaign.cases.models import Case, CaseTranslation
from campaign.cases.operations import Actor, CaseChangeRefused, remove_letter, save_letter
from campaign.cases.translations import original_language, translation_for
from campaign.languages import shipped_language


@dataclass(frozen=True)
class TranslatedWords:
    """What an organiser wrote in one language; an empty field shows the original's."""

    headline: str = ""
    summary: str = ""
    story_markdown: str = ""
    additional_information_markdown: str = ""
    asks: tuple[str, ...] = ()
    letter: str = ""

    def is_empty(self) -> bool:
        return not any(
            (self.headline, self.summary, self.story_markdown, self.additional_information_markdown, self.asks)
        )


def translatable_language(language: str) -> str:
    """A shipped language other than the original's; refused otherwise."""
    code = shipped_language(language)
    if code is None or code == original_language():
        raise CaseChangeRefused(_l("Translations are written in one of the other shipped languages."))
    return code


def _audit(action: str, case: Case, actor: Actor, details: dict) -> None:
    record_audit(
        action,
        actor_label=actor.label,
        actor_id=actor.id,
        case_id=case.id,
        subject_type="case",
        subject_id=case.id,
        details=details,
    )


def save_case_translation(case: Case, language: str, words: TranslatedWords, *, actor: Actor) -> CaseTranslation | None:
    """Store the case's words in a language (nothing left in it removes the translation) and its letter there."""
    code = translatable_language(language)
    translation = translation_for(case, code)
    if words.is_empty():
        if translation is not None:
            case.translations.remove(translation)
            _audit("case.translation_removed", case, actor, {"language": code})
        translation = None
    else:
        if translation is None:
            translation = CaseTranslation(language=code)
            case.translations.append(translation)
        translation.headline = words.headline.strip()[:300]
        translation.summary = words.summary.strip()
        translation.story_markdown = words.story_markdown.strip()
        translation.additional_information_markdown = words.additional_information_markdown.strip()
        translation.asks = [ask.strip() for ask in words.asks if ask.strip()]
        _audit("case.translation_saved", case, actor, {"language": code})
    letter = next((letter for letter in case.letters if letter.language == code), None)
    if words.letter.strip():
        save_letter(case, code, words.letter, actor=actor)
    elif letter is not None:
        remove_letter(case, letter.id, actor=actor)
    return translation
