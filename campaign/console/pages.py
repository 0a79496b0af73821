"""What every console page shares: the no-cache rule, form errors shown as messages, one change committed or refused.

A feature's console view parses its form, then hands the change to ``commit_or_flash``: it commits, or
rolls back what the refused operation began and tells the organiser why. Operations refuse with
``campaign.errors.Refused`` (or a subclass), never with anything the view must know about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import Response, abort, flash, request

from campaign.errors import Refused
from campaign.extensions import db

Found = TypeVar("Found")
Result = TypeVar("Result")


def never_cache(response: Response) -> Response:
    """No console answer is kept by a browser or a proxy: it may hold what only a signed-in account may see."""
    if request.path.startswith("/console"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def found_or_404(thing: Found | None) -> Found:
    """The row a page is about, or a 404 when there is none."""
    if thing is None:
        abort(404)
    return thing


def _labelled(form, field_name: str, message: object) -> str:
    label = getattr(getattr(form, field_name, None), "label", None)
    return f"{label.text}: {message}" if label and label.text else str(message)


def flash_form_errors(form) -> None:
    """Each of the form's errors as an error message, after its field's label."""
    for field_name, messages in form.errors.items():
        for message in messages:
            flash(_labelled(form, field_name, message), "error")


@dataclass(frozen=True)
class Committed(Generic[Result]):
    """A change that was committed, with what it returned (a refused change gives None instead)."""

    value: Result


def commit_or_flash(change: Callable[[], Result], *, done: str | None = None, form=None) -> Committed[Result] | None:
    """Run one change and commit it (flashing ``done``), or roll it back and flash why it was refused.

    Returns the committed change with what it returned, or None when it was refused. With ``form``,
    a refusal's message about one of the form's fields is shown after that field's label.
    """
    try:
        value = change()
    except Refused as refusal:
        db.session.rollback()
        if refusal.fields and form is not None:
            messages = [_labelled(form, name, message) for name, message in refusal.fields.items()]
        else:
            messages = refusal.messages()
        for message in messages:
            flash(message, "error")
        return None
    db.session.commit()
    if done:
        flash(done, "success")
    return Committed(value)


def page_number() -> int:
    """The ``page`` query argument, 1 when missing or not a positive number."""
    page = request.args.get("page", 1, type=int) or 1
    return max(1, min(page, 100_000))
