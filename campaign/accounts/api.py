"""The console's token API under ``/api/v1/console`` (SPEC §4): bearer tokens of console accounts.

``POST /tokens`` trades an email and password (and a two-factor code when the account has one or
the console requires it) for a token; every other route takes ``Authorization: Bearer <token>``
and the same role checks as the console pages. Errors follow ``campaign.errors``' JSON contract.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Blueprint, current_app, g, jsonify, request
from flask_babel import gettext as _

from campaign.accounts.models import User
from campaign.accounts.operations import find_account, is_locked_now, record_failed_login, record_unknown_login
from campaign.accounts.queries import all_accounts
from campaign.accounts.security import login_limit
from campaign.api.bodies import checked, json_body
from campaign.api.openapi import documented
from campaign.api.schemas import ConsoleAccounts, Token, TokenRequest
from campaign.errors import ApiError
from campaign.extensions import csrf, db

blueprint = Blueprint("console_api", __name__, url_prefix="/api/v1/console")
csrf.exempt(blueprint)

MAX_BODY_BYTES = 4 * 1024


def token_roles_accepted(*roles: str) -> Callable:
    """Require a valid bearer token of an active account holding one of ``roles``: 401 without, 403 with another role."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            g.console_account = _account_from_token()
            if roles and not any(g.console_account.has_role(role) for role in roles):
                raise ApiError(403, _("This account's role may not do this."))
            return view(*args, **kwargs)

        wrapper.console_roles = tuple(roles)  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _account_from_token() -> User:
    from flask_security.utils import parse_auth_token

    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, _("Send a token as Authorization: Bearer <token>."))
    try:
        token_data = parse_auth_token(token.strip())
        account = db.session.scalar(db.select(User).where(User.fs_uniquifier == str(token_data["uid"])))
    except Exception:  # a bad signature, an expired token or a malformed one all read the same
        account = None
    if account is None or not account.active:
        raise ApiError(401, _("The token is not valid or has expired."))
    return account


def _credential_message(field: str, error_type: str) -> str:
    if error_type == "extra_forbidden":
        return _("Unknown field.")
    if field == "code":
        return _("Must be text.")
    return _("Required, as text.")


def _credentials() -> TokenRequest:
    body, _raw = json_body(MAX_BODY_BYTES)
    return checked(TokenRequest, body, _credential_message, refusal=_("The request is not valid."))


def _second_factor_ok(account: User, code: str | None) -> bool:
    """Whether the two-factor step passes: required when set up, or when the console requires it."""
    security = current_app.extensions["security"]
    if not account.tf_primary_method:
        return not current_app.config["SECURITY_TWO_FACTOR_REQUIRED"]
    if not code:
        return False
    return bool(
        security._totp_factory.verify_totp(token=code.strip(), totp_secret=account.tf_totp_secret, user=account)
    )


@blueprint.post("/tokens")
@documented(
    body=TokenRequest,
    answers={
        201: ("The token; send it as Authorization: Bearer <token>", Token),
        400: ("Malformed or invalid input; `fields` names each field at fault.", None),
        401: ("Wrong email, password or code, or the account is locked for a while.", None),
        413: ("The body is too large.", None),
        415: ("The body is not JSON.", None),
    },
)
@login_limit
def create_token():
    """A bearer token for an account; 401 for any wrong credential, counted like a failed login."""
    from flask_security import verify_and_update_password
    from flask_security.utils import hash_password

    credentials = _credentials()
    account = find_account(credentials.email)
    normalised = current_app.extensions["security"].password_util.normalize(credentials.password)
    if account is None:
        hash_password(normalised)
        record_unknown_login()
        raise ApiError(401, _("The email or password is wrong, or the account is locked for a while."))
    if not account.password or not verify_and_update_password(normalised, account):
        record_failed_login(account)
        raise ApiError(401, _("The email or password is wrong, or the account is locked for a while."))
    if not account.active or is_locked_now(account):
        raise ApiError(401, _("The email or password is wrong, or the account is locked for a while."))
    if not _second_factor_ok(account, credentials.code):
        record_failed_login(account, second_factor=True)
        raise ApiError(
            401,
            _("A two-factor code is needed: send it as code (set up two-factor in the console first)."),
            fields={"code": _("Required for this account.")},
        )
    token = account.get_auth_token()
    from campaign.audit.operations import record_audit

    record_audit(
        "token.created", actor_label=account.email, actor_id=account.id, subject_type="account", subject_id=account.id
    )
    db.session.commit()
    response = jsonify({"token": token})
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/accounts")
@documented(
    answers={
        200: ("The accounts", ConsoleAccounts),
        401: ("No valid bearer token.", None),
        403: ("The token's account is not an admin.", None),
    },
    needs_token=True,
    rate_limited=False,
)
@token_roles_accepted("admin")
def list_accounts():
    """Every console account with its roles and whether it is active (admins only)."""
    accounts = [
        {
            "id": account.id,
            "email": account.email,
            "roles": account.role_names,
            "active": account.active,
            "two_factor": bool(account.tf_primary_method),
        }
        for account in all_accounts()
    ]
    return jsonify({"accounts": accounts})
