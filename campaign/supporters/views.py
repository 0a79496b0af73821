"""Double opt-in and one-click unsubscribe pages (SPEC §4); they never set a cookie.

Neither POST takes a CSRF token: the unguessable token in the address is the proof, and RFC 8058
one-click unsubscribe is a cookie-less POST from the mail provider.
"""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request
from sqlalchemy import select

from campaign.cases.models import Case
from campaign.extensions import csrf, db
from campaign.supporters.operations import (
    ConfirmationLinkInvalid,
    UnsubscribeLinkInvalid,
    confirm_supporter,
    supporter_for_confirmation,
    unsubscribe,
)
from campaign.supporters.queries import active_subscription, supporter_by_unsubscribe_token

blueprint = Blueprint("supporters", __name__)

#: Tokens are 43 URL-safe characters; anything much longer is refused before a lookup.
MAX_TOKEN_LENGTH = 400


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _case_named(slug: str | None) -> Case | None:
    if not slug or len(slug) > 120:
        return None
    return db.session.scalar(select(Case).where(Case.slug == slug))


def _invalid_confirmation(error: ConfirmationLinkInvalid):
    return _no_store(
        make_response(render_template("supporters/confirm_invalid.html", is_expired=error.is_expired), 400)
    )


@blueprint.get("/confirm/<token>")
def confirm(token: str):
    """Show a button that confirms the address; a GET changes nothing, because mail scanners follow links."""
    if len(token) > MAX_TOKEN_LENGTH:
        return _invalid_confirmation(ConfirmationLinkInvalid())
    try:
        supporter = supporter_for_confirmation(token)
    except ConfirmationLinkInvalid as error:
        return _invalid_confirmation(error)
    return _no_store(make_response(render_template("supporters/confirm.html", is_confirmed=supporter.is_confirmed)))


@blueprint.post("/confirm/<token>")
@csrf.exempt
def confirm_post(token: str):
    """Confirm the address (double opt-in) and say so."""
    if len(token) > MAX_TOKEN_LENGTH:
        return _invalid_confirmation(ConfirmationLinkInvalid())
    try:
        was_confirmed = supporter_for_confirmation(token).is_confirmed
        confirm_supporter(token)
    except ConfirmationLinkInvalid as error:
        db.session.rollback()
        return _invalid_confirmation(error)
    db.session.commit()
    return _no_store(make_response(render_template("supporters/confirmed.html", was_confirmed=was_confirmed)))


@blueprint.get("/unsubscribe/<token>")
def unsubscribe_page(token: str):
    """Offer to stop emails about this case or about all cases; a GET never unsubscribes."""
    supporter = supporter_by_unsubscribe_token(token) if len(token) <= MAX_TOKEN_LENGTH else None
    if supporter is None:
        return _no_store(make_response(render_template("supporters/unsubscribe_invalid.html"), 404))
    case = _case_named(request.args.get("case"))
    if case is not None and active_subscription(supporter.id, case.id) is None:
        case = None
    return _no_store(make_response(render_template("supporters/unsubscribe.html", token=token, case=case)))


@blueprint.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe_post(token: str):
    """Unsubscribe at once (RFC 8058 one-click, or the page's form): 200, no redirect, no cookie."""
    if len(token) > MAX_TOKEN_LENGTH:
        return _no_store(make_response(render_template("supporters/unsubscribe_invalid.html"), 404))
    scope = request.form.get("scope")
    if scope not in {None, "case", "all"}:
        return _no_store(make_response(render_template("supporters/unsubscribe_invalid.html"), 400))
    case = _case_named(request.args.get("case"))
    only_case = case if scope != "all" and case is not None else None
    try:
        unsubscribe(token, case_id=only_case.id if only_case else None)
    except UnsubscribeLinkInvalid:
        db.session.rollback()
        return _no_store(make_response(render_template("supporters/unsubscribe_invalid.html"), 404))
    db.session.commit()
    return _no_store(make_response(render_template("supporters/unsubscribed.html", case=only_case)))
