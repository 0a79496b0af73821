"""The review queue at scale: filtered by case, reason and sender, decided in bulk, totals through the rollup."""

from __future__ import annotations

from sqlalchemy import func, select

from campaign.actions.models import ActionReport, ReviewState
from campaign.actions.rollup import recount, run_rollup
from campaign.actions.rollup_models import ActionTotal
from campaign.actions.totals import case_total
from campaign.audit.models import AuditEntry
from tests.accounts.helpers import csrf_token

SENDER = "f" * 32
OTHER_SENDER = "e" * 32
ADDRESS_REASON = "the same network address reported this case, type and target 5 times within 60 minutes"


def _held(db, case, fingerprint: str, count: int, reason: str = ADDRESS_REASON) -> ActionReport:
    report = ActionReport(
        case_id=case.id,
        action_type="letter",
        count=count,
        country="KZ",
        source="web",
        review_state=ReviewState.FLAGGED,
        review_reason=reason,
        address_fingerprint=fingerprint,
    )
    db.session.add(report)
    return report


def _rolled_up_total(db, case_id: int) -> int:
    run_rollup(wait=True)
    db.session.commit()
    db.session.expire_all()
    return db.session.scalar(
        select(func.coalesce(func.sum(ActionTotal.count), 0)).where(ActionTotal.case_id == case_id)
    )


def _decide(client, **data):
    return client.post("/console/review/decisions", data={"csrf_token": csrf_token(client, "/console/review"), **data})


def test_accepting_fifty_reports_of_one_sender_is_one_action_and_moves_the_totals_by_their_counts(
    organiser_client, db, make_case
):
    case, other_case = make_case(), make_case()
    counts = [1 + n % 7 for n in range(50)]
    batch = [_held(db, case, SENDER, count) for count in counts]
    bystanders = [_held(db, case, OTHER_SENDER, 3), _held(db, other_case, SENDER, 4)]
    db.session.commit()
    before = _rolled_up_total(db, case.id)
    page = organiser_client.get(f"/console/review?case={case.id}&sender=a{SENDER}").get_data(as_text=True)
    assert "50 held reports match" in page

    answer = _decide(
        organiser_client,
        scope="matching",
        case=str(case.id),
        sender=f"a{SENDER}",
        decision="counted",
        reason="A school",
    )

    assert answer.status_code == 303
    assert f"sender=a{SENDER}" in answer.headers["Location"]
    db.session.expire_all()
    states = {db.session.get(ActionReport, report.id).review_state for report in batch}
    assert states == {ReviewState.COUNTED}
    assert [db.session.get(ActionReport, r.id).review_state for r in bystanders] == [ReviewState.FLAGGED] * 2
    assert _rolled_up_total(db, case.id) - before == sum(counts) == case_total(case.id)
    assert case_total(other_case.id) == 0
    assert recount(repair=False) == []
    decisions = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "report.counted")).all()
    assert sorted(entry.subject_id for entry in decisions) == sorted(report.id for report in batch)
    assert {entry.details["reason"] for entry in decisions} == {"A school"}


def test_rejecting_the_ticked_reports_needs_a_reason_and_keeps_them_out_of_the_total(organiser_client, db, make_case):
    case = make_case()
    ticked = [_held(db, case, SENDER, 10) for _ in range(3)]
    kept = _held(db, case, SENDER, 5)
    db.session.commit()
    ids = [str(report.id) for report in ticked]

    without_reason = _decide(organiser_client, report_ids=ids, decision="rejected", reason=" ")
    assert without_reason.status_code == 303
    db.session.expire_all()
    assert {db.session.get(ActionReport, r.id).review_state for r in ticked} == {ReviewState.FLAGGED}

    assert _decide(organiser_client, report_ids=ids, decision="rejected", reason="Spam").status_code == 303
    db.session.expire_all()
    assert {db.session.get(ActionReport, r.id).review_state for r in ticked} == {ReviewState.REJECTED}
    assert db.session.get(ActionReport, kept.id).review_state == ReviewState.FLAGGED
    assert _rolled_up_total(db, case.id) == 0 == case_total(case.id)


def test_the_queue_filters_by_reason_and_groups_one_senders_reports(organiser_client, db, make_case):
    case = make_case()
    for _ in range(3):
        _held(db, case, SENDER, 1)
    _held(db, case, OTHER_SENDER, 250, reason="count 250 is above the review threshold of 100")
    db.session.commit()

    by_count = organiser_client.get("/console/review?reason=count").get_data(as_text=True)
    by_address = organiser_client.get("/console/review?reason=address").get_data(as_text=True)

    assert "1 held report matches" in by_count and "The count, 250," in by_count
    assert "3 held reports match" in by_address and "The count, 250," not in by_address
    assert f"Address {SENDER[:8]}" in by_address
    assert SENDER not in by_address.replace(f"sender=a{SENDER}", "")


def test_a_decision_on_nothing_or_with_a_forged_value_stores_nothing(organiser_client, db, make_case):
    case = make_case()
    report = _held(db, case, SENDER, 2)
    db.session.commit()

    for data in ({"decision": "counted"}, {"decision": "flagged", "report_ids": str(report.id)}, {"report_ids": "x"}):
        assert _decide(organiser_client, **data).status_code == 303, data
    db.session.expire_all()
    assert db.session.get(ActionReport, report.id).review_state == ReviewState.FLAGGED
    assert organiser_client.get("/console/review?page=999&sender=zz&reason=nope&case=abc").status_code == 200
