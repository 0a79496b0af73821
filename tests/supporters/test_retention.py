"""Retention (SPEC §5): personal data goes SUPPORTER_RETENTION_DAYS after the last case a supporter is linked to
closes, and names typed on reports follow the same rule; every count stays."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from campaign.actions.models import ActionReport, ReportSource
from campaign.actions.totals import case_totals
from campaign.audit.models import AuditEntry
from campaign.cases.models import CaseStatus
from campaign.database import utcnow
from campaign.supporters.models import Subscription, Supporter
from campaign.supporters.tasks import purge_expired_supporters
from tests.reminders.helpers import add_supporter


def add_report(db, case, *, supporter=None, name=None, count=3) -> ActionReport:
    report = ActionReport(
        case_id=case.id,
        action_type="letter",
        count=count,
        country="KZ",
        source=ReportSource.WEB,
        supporter_id=supporter.id if supporter else None,
        supporter_name=name,
    )
    db.session.add(report)
    db.session.commit()
    return report


@pytest.fixture
def cases(make_case):
    now = utcnow()
    return {
        "long_closed": make_case(status=CaseStatus.CLOSED, outcome="released", closed_at=now - timedelta(days=181)),
        "lately_closed": make_case(status=CaseStatus.CLOSED, outcome="sentenced", closed_at=now - timedelta(days=179)),
        "active": make_case(),
    }


@pytest.fixture
def linked_supporters(db, cases):
    """Who is linked to which case, by subscription or by report, with a name on every report."""
    supporters = {
        "only_long_closed": add_supporter("gone@example.org", cases["long_closed"].id),
        "also_active": add_supporter("active@example.org", cases["long_closed"].id),
        "also_lately_closed": add_supporter("lately@example.org", None),
        "reported_only": add_supporter("reporter@example.org", None),
    }
    add_report(db, cases["active"], supporter=supporters["also_active"], name="Active Name")
    add_report(db, cases["long_closed"], supporter=supporters["also_lately_closed"], name="Lately Name")
    add_report(db, cases["lately_closed"], supporter=supporters["also_lately_closed"], name="Lately Name")
    add_report(db, cases["long_closed"], supporter=supporters["reported_only"], name="Reporter Name")
    add_report(db, cases["long_closed"], name="Anonymous Old Name")
    add_report(db, cases["lately_closed"], name="Anonymous Recent Name")
    return supporters


def remaining(db) -> tuple[set[str], set[str]]:
    db.session.expire_all()
    emails = set(db.session.scalars(select(Supporter.email)))
    names = set(db.session.scalars(select(ActionReport.supporter_name).where(ActionReport.supporter_name.is_not(None))))
    return emails, names


def test_retention_deletes_exactly_what_is_due_and_keeps_every_count(app, db, cases, linked_supporters):
    totals_before = {key: case_totals(case.id).total for key, case in cases.items()}

    result = app.test_cli_runner().invoke(args=["supporters", "purge-expired"])

    assert result.exit_code == 0, result.output
    assert "2 supporters erased, names removed from 2 reports" in result.output
    emails, names = remaining(db)
    assert emails == {"active@example.org", "lately@example.org"}
    assert names == {"Active Name", "Lately Name", "Anonymous Recent Name"}, "names on long-closed reports stay"
    assert db.session.scalar(select(Subscription.supporter_id)) == linked_supporters["also_active"].id
    assert {key: case_totals(case.id).total for key, case in cases.items()} == totals_before
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "supporters.purged"))
    assert entry.details == {"supporters_erased": 2, "report_names_removed": 2}


def test_lately_closed_data_is_kept_until_its_time_then_the_daily_task_deletes_it(app, db, cases, linked_supporters):
    purge_expired_supporters()
    assert remaining(db)[0] == {"active@example.org", "lately@example.org"}

    cases["lately_closed"].closed_at = utcnow() - timedelta(days=181)
    db.session.commit()
    purge_expired_supporters()

    emails, names = remaining(db)
    assert emails == {"active@example.org"}
    assert names == {"Active Name"}


def test_the_retention_time_is_configurable(app, db, cases, linked_supporters, monkeypatch):
    monkeypatch.setitem(app.config, "SUPPORTER_RETENTION_DAYS", 365)
    purge_expired_supporters()
    assert len(remaining(db)[0]) == 4

    monkeypatch.setitem(app.config, "SUPPORTER_RETENTION_DAYS", 30)
    purge_expired_supporters()
    assert remaining(db)[0] == {"active@example.org"}


def test_running_it_again_deletes_nothing_more_and_records_nothing(app, db, cases, linked_supporters):
    purge_expired_supporters()
    before = remaining(db)
    purge_expired_supporters()

    assert remaining(db) == before
    assert len(list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "supporters.purged")))) == 1
