"""No silent defaults in what is counted (issue 14, point 2).

Every select that decides a figure (country, action type, target, the date of a tally, a review's decision,
which snapshot went to whom and how) opens on an empty choice, and a form sent without that choice is
refused with the field named and nothing stored.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from campaign.actions.models import ActionReport, ReviewState
from campaign.figures.models import DeliveryRecord, FiguresJob
from campaign.reminders.models import Reminder
from tests.accounts.helpers import csrf_token
from tests.public.forms import report_form_data

SELECT = re.compile(r'<select[^>]*name="(?P<name>[^"]+)"[^>]*>(?P<options>.*?)</select>', re.S)
OPTION = re.compile(r"<option(?P<attributes>[^>]*)>")


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def selects(html: str) -> dict[str, list[tuple[str, bool]]]:
    """Each select of a page by name: its options as (value, is selected)."""
    found = {}
    for match in SELECT.finditer(html):
        options = []
        for option in OPTION.finditer(match["options"]):
            value = re.search(r'value="([^"]*)"', option["attributes"])
            options.append((value.group(1) if value else "", " selected" in option["attributes"]))
        found[match["name"]] = options
    return found


def assert_nothing_real_preselected(html: str, *names: str) -> None:
    """The named selects open on an empty first option, and no real value is selected."""
    shown = selects(html)
    for name in names:
        assert shown[name][0][0] == "", (name, shown[name][:3])
        assert all(value == "" for value, selected in shown[name] if selected), (name, shown[name])


def flashed(client) -> list[str]:
    with client.session_transaction("/console/") as session:
        return [message.split(": ", 1)[-1] for _category, message in session.get("_flashes", [])]


# The public report form


def test_the_report_form_preselects_no_action_type_target_country_or_count(client, make_case):
    page = client.get(f"/cases/{make_case().slug}").get_data(as_text=True)

    assert_nothing_real_preselected(page, "action_type", "target_id", "country")
    [count_input] = re.findall(r'<input[^>]*name="count"[^>]*>', page)
    assert 'value="' not in count_input or 'value=""' in count_input


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("action_type", "Choose the type of action."),
        ("target_id", "Choose a target, or all targets."),
        ("count", "Must be a whole number from 1 to 100."),
        ("country", "Choose a country from the list"),
    ],
)
def test_a_report_without_a_counted_field_chosen_is_refused_naming_it_and_stores_nothing(
    client, db, make_case, field, message
):
    case = make_case()
    data = report_form_data(client, case.slug, action_type="letter", target_id="all", count=2, country="KZ")
    data[field] = ""

    answer = client.post(f"/cases/{case.slug}/report", data=data)

    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert re.search(rf'id="{field}-error"[^>]*>.*?{re.escape(message)}', page, re.S)
    assert count(db, ActionReport) == 0


def test_all_targets_is_a_choice_the_supporter_makes_and_is_stored_as_no_target(client, db, make_case):
    case = make_case()
    data = report_form_data(client, case.slug, action_type="letter", target_id="all", count=2, country="KZ")

    assert client.post(f"/cases/{case.slug}/report", data=data).status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(ActionReport.target_id)) is None


# The console's event tally


def test_the_event_tally_form_preselects_no_action_type_country_or_date(organiser_client, make_case):
    page = organiser_client.get(f"/console/cases/{make_case().id}/events").get_data(as_text=True)

    assert_nothing_real_preselected(page, "action_type", "country")
    [held_on] = re.findall(r'<input[^>]*name="held_on"[^>]*>', page)
    assert 'value="' not in held_on or 'value=""' in held_on


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("country", "Choose the country the actions came from."),
        ("action_type", "Choose the type of action."),
        ("held_on", "Give the date of the event."),
        ("count", "Give the number of actions."),
    ],
)
def test_an_event_tally_without_a_counted_field_is_refused_naming_it_and_the_total_is_unchanged(
    organiser_client, db, make_case, field, message
):
    case = make_case()
    data = {"action_type": "letter", "count": "150", "country": "KZ", "held_on": date.today().isoformat()}
    data[field] = ""
    path = f"/console/cases/{case.id}/events"

    answer = organiser_client.post(path, data={"csrf_token": csrf_token(organiser_client, path), **data})

    assert answer.status_code == 400
    assert re.search(rf'id="{field}-error"[^>]*>.*?{re.escape(message)}', answer.get_data(as_text=True), re.S)
    assert count(db, ActionReport) == 0


# Review, figures and reminders


def test_a_review_decision_must_be_chosen_and_the_report_stays_held_without_one(organiser_client, db, make_case):
    case = make_case()
    held = ActionReport(
        case_id=case.id, action_type="letter", count=50, country="FR", source="web", review_state=ReviewState.FLAGGED
    )
    db.session.add(held)
    db.session.commit()
    page = organiser_client.get("/console/review").get_data(as_text=True)
    token = csrf_token(organiser_client, "/console/review")

    organiser_client.post(
        "/console/review/decisions",
        data={"csrf_token": token, "scope": "selected", "report_ids": str(held.id), "reason": "checked"},
    )

    assert not re.search(r'name="decision"[^>]*checked', page)
    assert flashed(organiser_client)
    db.session.expire_all()
    assert db.session.get(ActionReport, held.id).review_state == ReviewState.FLAGGED


def test_a_snapshot_must_be_for_a_chosen_official_or_the_whole_case(admin_client, db, make_case):
    case = make_case()
    page = f"/console/figures/cases/{case.id}"
    html = admin_client.get(page).get_data(as_text=True)

    admin_client.post(f"{page}/snapshots", data={"csrf_token": csrf_token(admin_client, page), "language": "en"})

    assert_nothing_real_preselected(html, "target_id")
    assert "Choose whose figures to freeze: the whole case or one official." in flashed(admin_client)
    assert count(db, FiguresJob) == 0


def test_a_delivery_needs_its_snapshot_channel_and_official_chosen_and_stores_nothing_without(
    admin_client, db, make_case, freeze
):
    case = make_case()
    freeze(case)
    page = f"/console/figures/cases/{case.id}"
    html = admin_client.get(page).get_data(as_text=True)

    admin_client.post(
        f"{page}/deliveries", data={"csrf_token": csrf_token(admin_client, page), "delivered_at": "2026-01-05T09:30"}
    )

    assert_nothing_real_preselected(html, "snapshot_id", "channel")
    assert {
        "Choose the snapshot that was delivered.",
        "Choose how it was delivered.",
        "Choose to whom it was delivered: one official or the officials of the whole case.",
    } <= set(flashed(admin_client))
    assert count(db, DeliveryRecord) == 0


def test_a_snapshot_is_emailed_only_to_a_chosen_official(admin_client, db, make_case, freeze):
    case = make_case()
    snapshot = freeze(case)
    page = f"/console/figures/cases/{case.id}"
    html = admin_client.get(page).get_data(as_text=True)

    admin_client.post(
        f"{page}/snapshots/{snapshot.id}/email", data={"csrf_token": csrf_token(admin_client, page), "target_id": ""}
    )

    email_select = re.search(rf'<select id="email-target-{snapshot.id}"[^>]*>(.*?)</select>', html, re.S)
    assert re.findall(r'<option value="([^"]*)"', email_select.group(1))[0] == ""
    assert "Choose the official to send it to." in flashed(admin_client)
    assert count(db, DeliveryRecord) == 0


def test_a_reminder_is_added_only_to_a_chosen_case(admin_client, db, make_case):
    make_case()
    html = admin_client.get("/console/reminders/").get_data(as_text=True)
    token = csrf_token(admin_client, "/console/reminders/")

    answer = admin_client.post(
        "/console/reminders/new", data={"csrf_token": token, "send_at": "2030-01-01T09:00", "language": "en"}
    )

    assert_nothing_real_preselected(html, "case_id")
    assert answer.status_code == 400
    assert count(db, Reminder) == 0
