"""Sending a snapshot's PDF to an official by email from the console records the delivery."""

from __future__ import annotations

import email
from email import policy

from sqlalchemy import func, select

from campaign.figures.models import DeliveryRecord
from tests.accounts.helpers import csrf_token


def outbox_messages(app) -> list[email.message.EmailMessage]:
    outbox = app.config["OUTBOX_PATH"]
    if not outbox.exists():
        return []
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in sorted(outbox.glob("*.eml"))]


def test_staff_email_a_snapshot_with_its_pdf_attached_and_the_delivery_is_recorded(
    app, admin_client, db, make_case, report, freeze
):
    case = make_case()
    embassy = case.target_links[1].target
    report(case, count=4)
    snapshot = freeze(case)
    page = f"/console/figures/cases/{case.id}"
    before = len(outbox_messages(app))

    answer = admin_client.post(
        f"{page}/snapshots/{snapshot.id}/email",
        data={"csrf_token": csrf_token(admin_client, page), "target_id": str(embassy.id)},
    )

    assert answer.status_code == 302
    sent = outbox_messages(app)[before:]
    assert len(sent) == 1
    assert sent[0]["To"] == "chinaembpress_us@mfa.gov.cn"
    [attachment] = list(sent[0].iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == snapshot.pdf
    assert snapshot.sha256 in sent[0].get_body(("plain",)).get_content()
    delivery = db.session.scalar(select(DeliveryRecord))
    assert (delivery.channel, delivery.target_id, delivery.snapshot_id) == ("email", embassy.id, snapshot.id)
    assert "Sent by email" in admin_client.get(page).get_data(as_text=True)


def test_emailing_an_official_without_an_address_sends_and_records_nothing(
    app, admin_client, db, make_case, report, freeze
):
    case = make_case()
    director = case.target_links[0].target
    report(case, count=2)
    snapshot = freeze(case)
    page = f"/console/figures/cases/{case.id}"
    before = len(outbox_messages(app))

    admin_client.post(
        f"{page}/snapshots/{snapshot.id}/email",
        data={"csrf_token": csrf_token(admin_client, page), "target_id": str(director.id)},
    )

    assert len(outbox_messages(app)) == before
    assert db.session.scalar(select(func.count()).select_from(DeliveryRecord)) == 0
