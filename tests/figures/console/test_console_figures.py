"""The console's figures pages: freeze a snapshot through the task, watch its progress, record a delivery."""

from __future__ import annotations

from sqlalchemy import select

from campaign.audit.models import AuditEntry
from campaign.figures.models import DeliveryRecord, FiguresJob, FiguresSnapshot
from tests.accounts.helpers import csrf_token


def test_staff_freeze_a_snapshot_watch_its_progress_and_record_its_delivery(admin_client, db, make_case, report):
    case = make_case()
    official = case.target_links[0].target
    report(case, count=6)
    page = f"/console/figures/cases/{case.id}"
    assert admin_client.get("/console/figures/").status_code == 200

    frozen = admin_client.post(
        f"{page}/snapshots",
        data={"csrf_token": csrf_token(admin_client, page), "target_id": str(official.id), "language": "zh"},
    )

    assert frozen.status_code == 302
    job_page = admin_client.get(frozen.headers["Location"]).get_data(as_text=True)
    assert "The snapshot is ready." in job_page
    assert 'http-equiv="refresh"' not in job_page
    snapshot = db.session.scalar(select(FiguresSnapshot))
    assert snapshot.target_id == official.id and snapshot.language == "zh"
    assert db.session.scalar(select(FiguresJob)).requested_by_id is not None

    recorded = admin_client.post(
        f"{page}/deliveries",
        data={
            "csrf_token": csrf_token(admin_client, page),
            "snapshot_id": str(snapshot.id),
            "channel": "post",
            "target_id": str(official.id),
            "delivered_at": "2026-01-05T09:30",
            "note": "Registered letter RR123",
        },
    )

    assert recorded.status_code == 302
    shown = admin_client.get(page).get_data(as_text=True)
    assert "by post" in shown and "Registered letter RR123" in shown
    delivery = db.session.scalar(select(DeliveryRecord))
    assert (delivery.channel, delivery.target_id, delivery.recorded_by_id) == (
        "post",
        official.id,
        snapshot.created_by_id,
    )
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"figures.snapshot_requested", "figures.delivery_recorded"} <= actions


def test_a_bad_snapshot_or_delivery_request_in_the_console_stores_nothing(admin_client, db, make_case):
    case = make_case()
    page = f"/console/figures/cases/{case.id}"

    refused = admin_client.post(
        f"{page}/snapshots", data={"csrf_token": csrf_token(admin_client, page), "target_id": "999", "language": "xx"}
    )
    no_snapshot = admin_client.post(
        f"{page}/deliveries",
        data={"csrf_token": csrf_token(admin_client, page), "snapshot_id": "1", "channel": "fax", "delivered_at": "x"},
    )

    assert refused.status_code == 302 and no_snapshot.status_code == 302
    assert db.session.scalar(select(FiguresJob)) is None
    assert db.session.scalar(select(DeliveryRecord)) is None
    assert admin_client.get("/console/figures/cases/999999").status_code == 404
