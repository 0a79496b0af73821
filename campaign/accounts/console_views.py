"""Console accounts (admins only): create an account with its roles, change its roles, disable or enable it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.accounts.forms import AccountActiveForm, AccountForm, AccountRolesForm
from campaign.accounts.models import User
from campaign.accounts.operations import AccountInvalid, create_account, set_account_active, set_account_roles
from campaign.accounts.queries import all_accounts
from campaign.console.access import ADMIN_ROLES, current_actor, roles_accepted
from campaign.console.pages import commit_or_flash, flash_form_errors, found_or_404
from campaign.extensions import db

blueprint = Blueprint("accounts_console", __name__, url_prefix="/console/accounts")


def _to_accounts():
    return redirect(url_for("accounts_console.index"), code=303)


@blueprint.route("", methods=["GET", "POST"])
@roles_accepted(*ADMIN_ROLES)
def index():
    """Console accounts and their roles; an admin creates, changes and disables them."""
    form = AccountForm()
    status = 200
    if form.validate_on_submit():
        actor = current_actor()
        try:
            create_account(
                form.email.data, form.password.data, form.roles.data, actor_label=actor.label, actor_id=actor.id
            )
        except AccountInvalid as refusal:
            db.session.rollback()
            form.email.errors = [*form.email.errors, *refusal.messages()]
            status = 400
        else:
            db.session.commit()
            flash(_("Account created."), "success")
            return _to_accounts()
    elif request.method == "POST":
        status = 400
    return (
        render_template(
            "accounts/console_index.html",
            form=form,
            accounts=all_accounts(),
            roles_form=AccountRolesForm(),
            active_form=AccountActiveForm(),
        ),
        status,
    )


@blueprint.post("/<int:account_id>/roles")
@roles_accepted(*ADMIN_ROLES)
def roles(account_id: int):
    """Replace an account's roles."""
    account = found_or_404(db.session.get(User, account_id))
    form = AccountRolesForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        actor = current_actor()
        commit_or_flash(
            lambda: set_account_roles(account, form.roles.data, actor_label=actor.label, actor_id=actor.id),
            done=_("Roles saved."),
        )
    return _to_accounts()


@blueprint.post("/<int:account_id>/active")
@roles_accepted(*ADMIN_ROLES)
def active(account_id: int):
    """Disable an account (its sessions and tokens end at once) or enable it again."""
    account = found_or_404(db.session.get(User, account_id))
    form = AccountActiveForm()
    if not form.validate_on_submit():
        abort(400)
    actor = current_actor()
    commit_or_flash(
        lambda: set_account_active(account, form.active.data == "yes", actor_label=actor.label, actor_id=actor.id),
        done=_("Account updated."),
    )
    return _to_accounts()
