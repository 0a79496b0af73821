"""Every route under /console and /api/v1/console, as an anonymous visitor, an organiser, staff and an admin.

Console pages declare who may open them with ``campaign.console.access.roles_accepted`` (read
back here as ``view.console_roles``); Flask-Security's own pages and the token API are in the
explicit table below. A route that is neither fails the test: nothing under /console goes unchecked.
"""

from __future__ import annotations

import re

from werkzeug.routing import Rule

from campaign.actions.models import ActionReport, ReviewState
from tests.accounts.helpers import CSRF_FIELD, FreshContextClient, log_in, make_account

PERSONAS = ("anonymous", "organiser", "staff", "admin")
#: Flask-Security's pages and the token endpoint: the answer each persona gets (GET and POST alike unless split).
#: "login" means a redirect to the login page; "ok" any answer that is neither that, 401 nor 403.
EXPLICIT = {
    ("security.login", "GET"): {"anonymous": "ok", "signed_in": "ok"},
    ("security.login", "POST"): {"anonymous": "ok", "signed_in": "ok"},
    ("security.logout", "POST"): {"anonymous": "login", "signed_in": "login"},
    ("security.change_password", "GET"): {"anonymous": "login", "signed_in": "ok"},
    ("security.change_password", "POST"): {"anonymous": "login", "signed_in": "ok"},
    ("security.two_factor_setup", "GET"): {"anonymous": "login", "signed_in": "ok"},
    ("security.two_factor_setup", "POST"): {"anonymous": "login", "signed_in": "ok"},
    ("security.two_factor_setup_validate", "POST"): {"anonymous": "login", "signed_in": "ok"},
    ("security.verify", "GET"): {"anonymous": "login", "signed_in": "ok"},
    ("security.verify", "POST"): {"anonymous": "login", "signed_in": "ok"},
    # The two-factor login steps only mean something half-way through a login: outside one they send
    # everybody back (and may end a session), so they are walked last, before logout.
    ("security.two_factor_token_validation", "GET"): {"anonymous": "not_ok_200", "signed_in": "not_ok_200"},
    ("security.two_factor_token_validation", "POST"): {"anonymous": "not_ok_200", "signed_in": "not_ok_200"},
    ("security.two_factor_rescue", "GET"): {"anonymous": "not_ok_200", "signed_in": "not_ok_200"},
    ("security.two_factor_rescue", "POST"): {"anonymous": "not_ok_200", "signed_in": "not_ok_200"},
    ("security.tf_select", "GET"): {"anonymous": "not_ok_200", "signed_in": "not_ok_200"},
    ("security.tf_select", "POST"): {"anonymous": "not_ok_200", "signed_in": "not_ok_200"},
    ("security.static", "GET"): {"anonymous": "ok", "signed_in": "ok"},
    ("console_api.create_token", "POST"): {"anonymous": "ok", "signed_in": "ok"},
}
HALF_WAY_STEPS = {"security.two_factor_token_validation", "security.two_factor_rescue", "security.tf_select"}
#: What the console's own pages are expected to allow, pinned here so a changed decorator shows in review.
CONSOLE_POLICY = {
    "console.dashboard": {"organiser", "staff", "admin"},
    "case_workspace.index": {"organiser", "staff", "admin"},
    "case_workspace.overview": {"organiser", "staff", "admin"},
    "case_workspace.targets": {"organiser", "staff", "admin"},
    "case_workspace.letters": {"organiser", "staff", "admin"},
    "case_workspace.reports": {"organiser", "staff", "admin"},
    "case_workspace.timeline": {"organiser", "staff", "admin"},
    "accounts_console.index": {"admin"},
    "accounts_console.roles": {"admin"},
    "accounts_console.active": {"admin"},
    "console_api.list_accounts": {"admin"},
}
ORGANISER_PAGES = {
    "case_workspace.new",
    "case_workspace.content",
    "case_workspace.publish",
    "case_workspace.status",
    "case_workspace.close",
    "case_workspace.extend_deadline",
    "case_workspace.link_target",
    "case_workspace.new_target",
    "case_workspace.unlink_target",
    "case_workspace.save_letter",
    "case_workspace.remove_letter",
    "console.import_text",
    "actions_console.review_queue",
    "actions_console.review_decide",
    "actions_console.report_flag",
    "actions_console.case_events",
    "actions_console.export_csv",
    "audit_console.log",
}


def _console_rules(app) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.rule.startswith(("/console", "/api/v1/console"))),
        key=lambda rule: (
            rule.endpoint.startswith("security."),
            rule.endpoint in HALF_WAY_STEPS,
            rule.endpoint == "security.logout",
            rule.rule,
        ),
    )


def _url(rule: Rule, ids: dict[str, int]) -> str:
    url = rule.rule
    for converter, name in re.findall(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule.rule):
        value = ids.get(name, 1) if converter in ("int", "") and name in ids else (1 if converter == "int" else "x")
        url = re.sub(rf"<(?:\w+(?:\([^)]*\))?:)?{name}>", str(value), url)
    return url


def _csrf(client) -> str:
    page = client.get("/console/login")
    match = CSRF_FIELD.search(page.get_data(as_text=True))
    if match:
        return match.group(1)
    page = client.get("/console/cases")
    return CSRF_FIELD.search(page.get_data(as_text=True)).group(1)


def _classify(response) -> str:
    if response.status_code in (301, 302, 303) and "/console/login" in response.headers.get("Location", ""):
        return "login"
    if response.status_code in (401, 403):
        return str(response.status_code)
    assert response.status_code < 500, f"{response.request.method} {response.request.path}: {response.status_code}"
    return "ok"


def test_every_console_route_answers_each_role_as_expected(app, db, client, make_case):
    case = make_case()
    report = ActionReport(
        case_id=case.id,
        action_type="letter",
        count=1,
        country="FR",
        source="web",
        review_state=ReviewState.FLAGGED,
        review_reason="test",
    )
    db.session.add(report)
    db.session.commit()
    accounts = {role: make_account(f"{role}-table@example.org", role) for role in ("organiser", "staff", "admin")}
    ids = {
        "case_id": case.id,
        "link_id": case.target_links[0].id,
        "letter_id": case.letters[0].id,
        "report_id": report.id,
        "account_id": accounts["organiser"].id,
    }
    tokens = {}
    clients = {"anonymous": client}
    for role, account in accounts.items():
        role_client = FreshContextClient(app, app.response_class, use_cookies=True)
        role_client.environ_base.update(client.environ_base)
        assert log_in(role_client, account.email).status_code == 302
        clients[role] = role_client
        tokens[role] = role_client.post(
            "/api/v1/console/tokens", json={"email": account.email, "password": "correct horse battery staple 木"}
        ).get_json()["token"]

    unlisted, failures, walked, pinned = [], [], 0, set()
    for rule in _console_rules(app):
        view = app.view_functions[rule.endpoint]
        declared = getattr(view, "console_roles", None)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            explicit = EXPLICIT.get((rule.endpoint, method))
            if declared is None and explicit is None:
                unlisted.append(f"{method} {rule.rule} ({rule.endpoint})")
                continue
            if rule.endpoint in CONSOLE_POLICY:
                assert set(declared) == CONSOLE_POLICY[rule.endpoint], rule.endpoint
            if rule.endpoint in ORGANISER_PAGES:
                assert set(declared) == {"organiser", "admin"}, rule.endpoint
            pinned.add(rule.endpoint)
            url = _url(rule, ids)
            is_api = rule.rule.startswith("/api/")
            for persona in PERSONAS:
                persona_client = clients[persona]
                headers = {}
                if is_api and persona != "anonymous":
                    headers["Authorization"] = f"Bearer {tokens[persona]}"
                if method == "GET":
                    response = persona_client.get(url, headers=headers)
                elif is_api:
                    response = persona_client.post(url, json={}, headers=headers)
                else:
                    response = persona_client.post(url, data={"csrf_token": _csrf(persona_client)}, headers=headers)
                got = _classify(response)
                walked += 1
                if explicit is not None:
                    wanted = explicit["anonymous" if persona == "anonymous" else "signed_in"]
                    ok = (response.status_code != 200 and got != "403") if wanted == "not_ok_200" else got == wanted
                elif persona == "anonymous":
                    ok = got == ("401" if is_api else "login")
                else:
                    ok = got == ("ok" if persona in declared else "403")
                if not ok:
                    failures.append(f"{persona:9} {method:4} {url}: {response.status_code} ({got})")
    assert not unlisted, "routes without a role declaration or an entry in EXPLICIT: " + "; ".join(unlisted)
    assert not failures, "\n".join(failures)
    assert walked >= 4 * 30
    assert not (set(CONSOLE_POLICY) | ORGANISER_PAGES) - pinned, "pinned endpoints that no longer exist"
