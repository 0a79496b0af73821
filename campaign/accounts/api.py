"""The console's token API under ``/api/v1/console`` (SPEC §4): bearer tokens of console accounts.

``POST /tokens`` trades an email and password (and a two-factor code when the account has one or
the console requires it) for a token; every other route takes ``Authorization: Bearer <token>``
and the same role checks as the console pages. Errors follow ``campaign.errors``' JSON contract.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable

from flask import Blueprint, current_app, g, jsonify, request
from flask_babel import gettext as _

from campaign.accounts.models import User
from campaign.accounts.operations import find_account, is_locked_now, record_failed_login, record_unknown_login
from campaign.accounts.queries import all_accounts
from campaign.accounts.security import login_limit
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


def _credentials() -> dict:
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise ApiError(413, _("The body is larger than %(limit)d bytes.", limit=MAX_BODY_BYTES))
    if request.mimetype != "application/json":
        raise ApiError(415, _("Send the body as JSON with Content-Type: application/json."))
    request.max_content_length = MAX_BODY_BYTES
    try:
        body = json.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):
        raise ApiError(400, _("The body is not valid JSON."), fields={"body": _("Not valid JSON.")}) from None
    if not isinstance(body, dict):
        raise ApiError(400, _("The body must be a JSON object."), fields={"body": _("Must be a JSON object.")})
    fields = {}
    for name in ("email", "password"):
        if not isinstance(body.get(name), str) or not body[name].strip():
            fields[name] = _("Required, as text.")
    if body.get("code") is not None and not isinstance(body["code"], str):
        fields["code"] = _("Must be text.")
    if unknown := sorted(set(body) - {"email", "password", "code"}):
        fields.update(dict.fromkeys(unknown, _("Unknown field.")))
    if fields:
        raise ApiError(400, _("The request is not valid."), fields=fields)
    return body


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
@login_limit
def create_token():
    """A bearer token for an account; 401 for any wrong credential, counted like a failed login."""
    from flask_security import verify_and_update_password
    from flask_security.utils import hash_password

    body = _credentials()
    account = find_account(body["email"])
    normalised = current_app.extensions["security"].password_util.normalize(body["password"])
    if account is None:
        hash_password(normalised)
        record_unknown_login()
        raise ApiError(401, _("The email or password is wrong, or the account is locked for a while."))
    if not account.password or not verify_and_update_password(normalised, account):
        record_failed_login(account)
        raise ApiError(401, _("The email or password is wrong, or the account is locked for a while."))
    if not account.active or is_locked_now(account):
        raise ApiError(401, _("The email or password is wrong, or the account is locked for a while."))
    if not _second_factor_ok(account, body.get("code")):
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
