"""Console pages for a case's translations: each language's words written beside the original."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.cases.operations import CaseChangeRefused
from campaign.cases.translation_forms import CaseTranslationForm
from campaign.cases.translation_operations import TranslatedWords, save_case_translation, translatable_language
from campaign.cases.translations import original_language, translation_for
from campaign.cases.workspace_queries import case_for_console
from campaign.console.access import ORGANISER_ROLES, current_actor, roles_accepted
from campaign.console.pages import found_or_404
from campaign.extensions import db
from campaign.languages import shipped_languages

blueprint = Blueprint("case_translations", __name__, url_prefix="/console/cases")


def _language_or_404(language: str) -> str:
    try:
        return translatable_language(language)
    except CaseChangeRefused:
        abort(404)


@blueprint.get("/<int:case_id>/translations")
@roles_accepted(*ORGANISER_ROLES)
def translations(case_id: int):
    """Which languages a case is written in, and a link to write each one."""
    case = found_or_404(case_for_console(case_id))
    languages = [code for code in shipped_languages() if code != original_language()]
    states = {
        code: (translation_for(case, code), next((letter for letter in case.letters if letter.language == code), None))
        for code in languages
    }
    return render_template("cases/console_translations.html", case=case, languages=languages, states=states)


def _form_for(case, language: str) -> CaseTranslationForm:
    translation = translation_for(case, language)
    letter = next((letter for letter in case.letters if letter.language == language), None)
    form = CaseTranslationForm()
    if request.method == "GET":
        if translation is not None:
            form.headline.data = translation.headline
            form.summary.data = translation.summary
            form.story_markdown.data = translation.story_markdown
            form.additional_information_markdown.data = translation.additional_information_markdown
            form.asks.data = "\n".join(translation.asks)
        if letter is not None:
            form.letter.data = letter.body
    return form


@blueprint.route("/<int:case_id>/translations/<language>", methods=["GET", "POST"])
@roles_accepted(*ORGANISER_ROLES)
def edit_translation(case_id: int, language: str):
    """Write a case's headline, summary, story, additional information, asks and letter in one language."""
    case = found_or_404(case_for_console(case_id))
    code = _language_or_404(language)
    form = _form_for(case, code)
    status = 200
    if form.validate_on_submit():
        words = TranslatedWords(
            headline=form.headline.data or "",
            summary=form.summary.data or "",
            story_markdown=form.story_markdown.data or "",
            additional_information_markdown=form.additional_information_markdown.data or "",
            asks=tuple(form.ask_lines()),
            letter=form.letter.data or "",
        )
        save_case_translation(case, code, words, actor=current_actor())
        db.session.commit()
        flash(_("The %(language)s version is saved.", language=code), "success")
        return redirect(url_for("case_translations.translations", case_id=case.id), code=303)
    if request.method == "POST":
        status = 400
    original_letter = next((letter for letter in case.letters if letter.language == original_language()), None)
    return (
        render_template(
            "cases/console_translation_form.html",
            case=case,
            language=code,
            form=form,
            original_language=original_language(),
            original_letter=original_letter,
        ),
        status,
    )
