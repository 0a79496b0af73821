"""The console's import: paste a UA's text, review every parsed field, then create a draft or attach a follow-up.

Each step is a plain POST round trip (no JavaScript); the pasted text travels in a hidden field
of the review form, never in the session, and is parsed again on each step for its excerpts.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from campaign.cases.forms import ImportReviewForm
from campaign.cases.import_review import doubts_about, evidence_for
from campaign.cases.importing import (
    DuplicateCase,
    MatchedBy,
    attach_follow_up,
    create_draft_from_import,
    existing_case_for,
    follow_up_note,
)
from campaign.cases.operations import CaseChangeRefused
from campaign.console.access import ORGANISER_ROLES, current_actor, roles_accepted
from campaign.console.forms import ImportForm
from campaign.console.views import blueprint
from campaign.database import utc_today
from campaign.extensions import db
from campaign.ua_import import NotAnUrgentAction, ParsedUrgentAction, parse_urgent_action


def _review_page(form: ImportReviewForm, parsed: ParsedUrgentAction, status: int = 200, refusal: str | None = None):
    """The review page for the fields as the form now holds them, beside the excerpts of ``parsed``."""
    reviewed = form.reviewed()
    existing = existing_case_for(reviewed)
    doubts = doubts_about(
        ua_number=reviewed.follows_ua_number or reviewed.ua_number,
        issued_on=reviewed.issued_on,
        deadline=reviewed.deadline,
        is_follow_up=reviewed.is_follow_up,
        parser_doubts=[*parsed.doubts, *_hidden_email_doubts(parsed)],
        today=utc_today(),
    )
    page = render_template(
        "cases/console_import_review.html",
        form=form,
        evidence=evidence_for(parsed, form.text.data or ""),
        doubts=doubts,
        existing=existing,
        matched_by=MatchedBy,
        refusal=refusal,
    )
    return page, status


def _hidden_email_doubts(parsed: ParsedUrgentAction) -> list[str]:
    return [
        _("An email address of %(name)s is hidden in the text: type it in if you know it.", name=official.name)
        for official in [*parsed.targets, *parsed.copies]
        if "*" in official.emails
    ]


@blueprint.route("/import", methods=["GET", "POST"])
@roles_accepted(*ORGANISER_ROLES)
def import_text():
    """Paste an Urgent Action's text; a readable one opens the review of what was found in it."""
    form = ImportForm()
    if form.validate_on_submit():
        try:
            parsed = parse_urgent_action(form.text.data)
        except NotAnUrgentAction as refusal:
            form.text.errors = [*form.text.errors, str(refusal)]
            return render_template("cases/console_import.html", form=form), 400
        review = ImportReviewForm(formdata=None)
        review.text.data = form.text.data
        review.fill_from(parsed, follow_up_note(parsed))
        return _review_page(review, parsed)
    return render_template("cases/console_import.html", form=form), 400 if form.errors else 200


@blueprint.post("/import/review")
@roles_accepted(*ORGANISER_ROLES)
def import_review():
    """Create the reviewed draft case, or add the reviewed follow-up to the timeline of the case it follows."""
    form = ImportReviewForm()
    try:
        parsed = parse_urgent_action(form.text.data or "")
    except NotAnUrgentAction:
        parsed = ParsedUrgentAction()
    if not form.validate_on_submit():
        return _review_page(form, parsed, 400)
    if form.recheck.data or not (form.attach.data or form.create.data):
        return _review_page(form, parsed)
    reviewed = form.reviewed()
    actor = current_actor()
    if form.attach.data:
        existing = existing_case_for(reviewed)
        if existing is None:
            return _review_page(form, parsed, 400, _("No case has this UA number or names these people."))
        try:
            attach_follow_up(
                existing.case, reviewed, actor=actor, note=form.note.data, close_with_outcome=form.closing_outcome()
            )
        except CaseChangeRefused as refusal:
            db.session.rollback()
            return _review_page(form, parsed, 409, str(refusal))
        db.session.commit()
        flash(_("The follow-up was added to the case's timeline."), "success")
        return redirect(url_for("case_workspace.timeline", case_id=existing.case.id), code=303)
    existing = existing_case_for(reviewed)
    # Only a name can be shared by two people; a UA number names one Urgent Action.
    allow_duplicate = bool(form.as_new.data) and existing is not None and existing.matched_by == MatchedBy.PERSON
    try:
        case = create_draft_from_import(
            reviewed, actor_label=actor.label, actor_id=actor.id, allow_duplicate=allow_duplicate
        )
    except DuplicateCase as duplicate:
        db.session.rollback()
        return _review_page(form, parsed, 409, str(duplicate))
    db.session.commit()
    flash(_("Draft case created from the text. Check it, then publish it."), "success")
    return redirect(url_for("case_workspace.overview", case_id=case.id), code=303)
