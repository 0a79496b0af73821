"""Data requests (issue 16): staff export and erase a supporter from the command line and the console.

After an erasure no copy of the address or the name is left in any table, log line, Redis key
or outbox file, and the public totals and a figures snapshot frozen before stay exactly the same.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from campaign.actions.models import ActionReport
from campaign.audit.models import AuditEntry
from campaign.figures.models import FiguresSnapshot
from campaign.supporters.models import Subscription, Supporter
from tests.accounts.helpers import CSRF_FIELD, FreshContextClient, log_in, make_account
from tests.privacy import database_text, redis_text

ADDRESS = "jana.zhumatai@example.org"
NAME = "Jana Zhumatai"
OTHER_ADDRESS = "aigerim@example.org"


def report_as_supporter(client, case, address: str = ADDRESS, name: str = NAME, **fields) -> None:
    body = {"action_type": "letter", "count": 4, "country": "KZ", "email": address, "name": name, **fields}
    answer = client.post(f"/api/v1/cases/{case.slug}/actions", json=body)
    assert answer.status_code == 201, answer.get_json()


def public_totals(client, case) -> dict:
    body = client.get(f"/api/v1/cases/{case.slug}/totals").get_json()
    body.pop("as_of")
    return body


def snapshot_state(db, snapshot_id: int) -> tuple:
    db.session.expire_all()
    snapshot = db.session.get(FiguresSnapshot, snapshot_id)
    return snapshot.sha256, snapshot.canonical_json, snapshot.pdf, snapshot.csv, snapshot.as_of


def every_copy(db, app, rate_limit_storage, suite_log) -> str:
    """Every table, the suite's Redis database, the log written so far and the outbox, as one text."""
    db.session.expire_all()
    outbox = app.config["OUTBOX_PATH"]
    files = [path.read_bytes().decode(errors="replace") for path in outbox.glob("*.eml")] if outbox.is_dir() else []
    return "\n".join(
        [
            database_text(db),
            redis_text(rate_limit_storage) if rate_limit_storage.startswith("redis") else "",
            suite_log.read_text(encoding="utf-8"),
            *files,
        ]
    )


@pytest.fixture
def two_supporters(client, db, make_case):
    """A case with reports from the supporter to erase (one asking for reminders) and from another one."""
    case = make_case()
    report_as_supporter(client, case, remind_me=True)
    report_as_supporter(client, case, action_type="email", count=2, country="DE")
    report_as_supporter(client, case, address=OTHER_ADDRESS, name="Aigerim", country="KZ")
    return case


def test_export_through_the_cli_gives_the_supporter_consents_subscriptions_and_reports(app, db, two_supporters):
    result = app.test_cli_runner().invoke(args=["supporters", "export", "  Jana.Zhumatai@EXAMPLE.org "])

    assert result.exit_code == 0, result.output
    exported = json.loads(result.output)
    assert exported["supporter"]["email"] == ADDRESS
    assert exported["supporter"]["name"] == NAME
    contact, reminders = exported["consents"]
    assert contact["purpose"] == "contact" and contact["is_given"] is True and contact["is_confirmed"] is False
    assert reminders["purpose"] == "reminders" and reminders["case"] == two_supporters.slug and reminders["given_at"]
    assert [s["case"] for s in exported["subscriptions"]] == [two_supporters.slug]
    assert [(r["case"], r["action_type"], r["count"], r["country"]) for r in exported["reports"]] == [
        (two_supporters.slug, "letter", 4, "KZ"),
        (two_supporters.slug, "email", 2, "DE"),
    ]
    assert all(r["created_at"] for r in exported["reports"])
    assert OTHER_ADDRESS not in result.output
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "supporter.exported"))
    assert ADDRESS not in json.dumps(entry.details) + entry.actor_label


def test_erasure_through_the_cli_leaves_no_copy_and_keeps_totals_and_an_earlier_snapshot(
    app, client, db, two_supporters, freeze, rate_limit_storage, suite_log
):
    case = two_supporters
    totals_before = public_totals(client, case)
    snapshot = freeze(case)
    frozen = snapshot_state(db, snapshot.id)
    assert ADDRESS in every_copy(db, app, rate_limit_storage, suite_log), "the test would prove nothing"

    result = app.test_cli_runner().invoke(args=["supporters", "erase", ADDRESS])

    assert result.exit_code == 0, result.output
    assert "2 reports kept" in result.output
    everything = every_copy(db, app, rate_limit_storage, suite_log)
    assert ADDRESS not in everything.lower()
    assert NAME not in everything
    assert OTHER_ADDRESS in everything, "another supporter was erased too"
    assert public_totals(client, case) == totals_before
    assert snapshot_state(db, snapshot.id) == frozen
    assert db.session.scalar(select(func.sum(ActionReport.count))) == 10
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "supporter.erased"))
    assert entry.actor_label == "command line" and entry.subject_type == "supporter"


@pytest.mark.parametrize("command", ["export", "erase"])
def test_an_unknown_address_is_a_clear_message_and_exit_status_1(app, db, two_supporters, command):
    result = app.test_cli_runner().invoke(args=["supporters", command, "nobody@example.org"])

    assert result.exit_code == 1
    assert "No supporter has this email address." in result.output
    assert db.session.scalar(select(func.count()).select_from(Supporter)) == 2


def console_client(client, app, email: str, role: str) -> FreshContextClient:
    fresh = FreshContextClient(app, app.response_class, use_cookies=True)
    fresh.environ_base.update(client.environ_base)
    make_account(email, role)
    assert log_in(fresh, email).status_code == 302
    return fresh


def csrf_from(page) -> str:
    match = CSRF_FIELD.search(page.get_data(as_text=True))
    assert match
    return match.group(1)


def test_staff_find_export_and_erase_a_supporter_in_the_console(
    app, client, db, two_supporters, rate_limit_storage, suite_log
):
    staff = console_client(client, app, "staff@example.org", "staff")
    totals_before = public_totals(client, two_supporters)
    search = staff.get("/console/supporters/")
    assert search.status_code == 200

    missing = staff.post("/console/supporters/", data={"email": "nobody@example.org", "csrf_token": csrf_from(search)})
    assert missing.status_code == 404
    assert "No supporter has this email address." in missing.get_data(as_text=True)

    for garbage in ("nul\x00@example.org", "x" * 400, "not an address"):
        refused = staff.post("/console/supporters/", data={"email": garbage, "csrf_token": csrf_from(search)})
        assert refused.status_code in {400, 404}

    found = staff.post("/console/supporters/", data={"email": ADDRESS.upper(), "csrf_token": csrf_from(search)})
    assert found.status_code == 303
    page = staff.get(found.headers["Location"])
    assert ADDRESS in page.get_data(as_text=True)
    supporter_path = found.headers["Location"]

    exported = staff.post(f"{supporter_path}/export", data={"csrf_token": csrf_from(page)})
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"].startswith("attachment")
    assert [r["count"] for r in json.loads(exported.data)["reports"]] == [4, 2]

    unconfirmed = staff.post(f"{supporter_path}/erase", data={"csrf_token": csrf_from(page)})
    assert unconfirmed.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Supporter)) == 2

    erased = staff.post(f"{supporter_path}/erase", data={"csrf_token": csrf_from(page), "is_confirmed": "y"})
    assert erased.status_code == 303
    assert "reports are kept without name or address" in staff.get(erased.headers["Location"]).get_data(as_text=True)
    everything = every_copy(db, app, rate_limit_storage, suite_log)
    assert ADDRESS not in everything.lower() and NAME not in everything
    assert db.session.scalar(select(func.count()).select_from(Subscription)) == 0
    assert public_totals(client, two_supporters) == totals_before
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.subject_type == "supporter")))
    assert actions == {"supporter.exported", "supporter.erased"}
    assert staff.get(supporter_path).status_code == 404


def test_organisers_are_refused_the_supporter_pages_and_erase_nothing(app, client, db, two_supporters):
    supporter_id = db.session.scalar(select(Supporter.id).where(Supporter.email == ADDRESS))
    organiser = console_client(client, app, "organiser@example.org", "organiser")
    token = csrf_from(organiser.get("/console/"))

    assert organiser.get("/console/supporters/").status_code == 403
    assert organiser.get(f"/console/supporters/{supporter_id}").status_code == 403
    assert organiser.post("/console/supporters/", data={"email": ADDRESS, "csrf_token": token}).status_code == 403
    export = organiser.post(f"/console/supporters/{supporter_id}/export", data={"csrf_token": token})
    assert export.status_code == 403 and ADDRESS not in export.get_data(as_text=True)
    erase = organiser.post(f"/console/supporters/{supporter_id}/erase", data={"csrf_token": token, "is_confirmed": "y"})
    assert erase.status_code == 403
    db.session.expire_all()
    assert db.session.get(Supporter, supporter_id) is not None
