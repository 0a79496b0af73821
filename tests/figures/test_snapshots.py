"""Snapshots: frozen by a Celery task, immutable, verifiable by their hash, with deliveries recorded."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from campaign.database import utcnow
from campaign.figures.models import DeliveryRecord, FiguresJob, JobState, SnapshotIsImmutable
from campaign.figures.operations import FiguresRequestInvalid, record_delivery, request_snapshot
from campaign.figures.queries import deliveries_for_case
from tests.figures.pdf import pdf_pages, pdf_text


def test_a_snapshots_hash_and_content_stay_the_same_while_new_reports_arrive(
    client, db, make_case, report, freeze, tmp_path
):
    case = make_case()
    report(case, count=5)
    report(case, count=4, country="DE")
    snapshot = freeze(case)
    frozen = (snapshot.sha256, snapshot.canonical_json, snapshot.pdf, snapshot.csv, snapshot.as_of)
    assert hashlib.sha256(snapshot.canonical_json.encode()).hexdigest() == snapshot.sha256
    assert json.loads(snapshot.canonical_json)["figures"]["total"] == 9

    report(case, count=20, country="FR")
    report(case, count=6, country="KZ")
    db.session.expire_all()

    assert client.get(f"/api/v1/cases/{case.slug}/totals").get_json()["total"] == 35
    db.session.refresh(snapshot)
    assert (snapshot.sha256, snapshot.canonical_json, snapshot.pdf, snapshot.csv, snapshot.as_of) == frozen
    verified = client.get(f"/figures/verify/{snapshot.sha256}")
    assert verified.status_code == 200
    assert 'data-figures-total="9"' in verified.get_data(as_text=True)
    assert client.get(f"/figures/verify/{snapshot.sha256}.json").data == snapshot.canonical_json.encode()
    assert client.get(f"/figures/verify/{snapshot.sha256}.pdf").data == snapshot.pdf

    printed = pdf_text(snapshot.pdf, tmp_path).replace("\n", "")
    assert snapshot.sha256 in printed
    assert f"http://figures.test/figures/verify/{snapshot.sha256}" in printed
    assert pdf_pages(snapshot.pdf, tmp_path) == 1
    assert snapshot.sha256 in snapshot.csv

    snapshot.csv = "tampered"
    with pytest.raises(SnapshotIsImmutable):
        db.session.flush()
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="never change"), db.engine.begin() as connection:
            connection.execute(text("UPDATE figures_snapshot SET csv = 'tampered'"))


def test_verification_confirms_a_real_snapshot_and_answers_404_for_any_other_hash(client, make_case, report, freeze):
    case = make_case()
    report(case)
    snapshot = freeze(case, language="zh")

    page = client.get(f"/figures/verify/{snapshot.sha256}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "These figures were issued by us" in body
    assert snapshot.sha256 in body
    assert case.headline in body

    other = hashlib.sha256(b"not a snapshot").hexdigest()
    for wrong in (other, snapshot.sha256.upper(), snapshot.sha256[:-1], snapshot.sha256 + "0", "x" * 64, "..%2f"):
        for suffix in ("", ".pdf", ".csv", ".json"):
            assert client.get(f"/figures/verify/{wrong}{suffix}").status_code == 404, (wrong, suffix)


def test_a_snapshot_job_shows_its_progress_and_a_failed_one_says_so(db, make_case, freeze):
    case = make_case()
    snapshot = freeze(case, target=case.target_links[0].target)
    job = db.session.scalar(select(FiguresJob).where(FiguresJob.snapshot_id == snapshot.id))
    assert (job.state, job.progress, job.step) == (JobState.DONE, 100, "finished")
    assert snapshot.target_id == case.target_links[0].target_id
    assert json.loads(snapshot.canonical_json)["target"]["id"] == snapshot.target_id

    with pytest.raises(FiguresRequestInvalid) as refused:
        request_snapshot(case.id, 999_999, "xx", requested_by_id=None)
    assert set(refused.value.fields) == {"target", "language"}
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(FiguresJob)) == 1


def test_a_delivery_is_recorded_and_shown(client, db, make_case, report, freeze):
    case = make_case()
    official = case.target_links[0].target
    report(case)
    snapshot = freeze(case, target=official)
    when = utcnow() - timedelta(hours=2)

    record_delivery(
        snapshot,
        channel="fax",
        target_id=str(official.id),
        delivered_at=when.isoformat(),
        note="Sent from the office fax; confirmation slip filed.",
        recorded_by_id=None,
    )
    db.session.commit()

    deliveries = deliveries_for_case(case.id)
    assert [(d.channel, d.target_id, d.delivered_at) for d in deliveries] == [("fax", official.id, when)]
    page = client.get(f"/figures/verify/{snapshot.sha256}").get_data(as_text=True)
    assert "by fax" in page
    assert official.display_name in page
    assert "confirmation slip" not in page, "staff notes stay in the console"


def test_a_bad_delivery_is_refused_and_nothing_is_stored(db, make_case, freeze):
    case = make_case()
    snapshot = freeze(case)
    refusals = [
        ({"channel": "carrier pigeon"}, "channel"),
        ({"target_id": "999999"}, "target"),
        ({"target_id": "abc"}, "target"),
        ({"delivered_at": "yesterday"}, "delivered_at"),
        ({"delivered_at": (utcnow() + timedelta(days=2)).isoformat()}, "delivered_at"),
        ({"delivered_at": None}, "delivered_at"),
        ({"note": "x" * 2001}, "note"),
        ({"note": "bell\x07"}, "note"),
        ({"note": ["not", "text"]}, "note"),
    ]
    for fields, bad in refusals:
        values = {"channel": "email", "target_id": None, "delivered_at": utcnow().isoformat(), "note": "", **fields}
        with pytest.raises(FiguresRequestInvalid) as refused:
            record_delivery(snapshot, recorded_by_id=None, **values)
        assert bad in refused.value.fields, fields
        db.session.rollback()

    assert db.session.scalar(select(func.count()).select_from(DeliveryRecord)) == 0
