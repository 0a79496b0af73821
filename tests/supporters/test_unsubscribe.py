"""One-click unsubscribe (RFC 8058): a GET only asks; a POST with no cookie and no CSRF token unsubscribes at once."""

from __future__ import annotations

from sqlalchemy import select

from campaign.supporters.models import Subscription, Supporter
from tests.reminders.helpers import add_supporter


def subscriptions(db, supporter_id: int) -> dict[int, bool]:
    db.session.expire_all()
    rows = db.session.execute(
        select(Subscription.case_id, Subscription.unsubscribed_at).where(Subscription.supporter_id == supporter_id)
    )
    return {case_id: unsubscribed_at is None for case_id, unsubscribed_at in rows}


def test_get_shows_the_choice_and_never_unsubscribes(client, db, make_case):
    case = make_case()
    supporter = add_supporter("aigerim@example.org", case.id)

    page = client.get(f"/unsubscribe/{supporter.unsubscribe_token}?case={case.slug}")

    assert page.status_code == 200
    assert "Set-Cookie" not in page.headers
    assert b'value="case"' in page.data and b'value="all"' in page.data
    assert case.headline.encode() in page.data
    assert subscriptions(db, supporter.id) == {case.id: True}


def test_one_click_post_unsubscribes_from_the_case_with_200_no_redirect_and_no_cookie(client, db, make_case):
    case, other = make_case(), make_case()
    supporter = add_supporter("aigerim@example.org", case.id)
    db.session.add(Subscription(supporter_id=supporter.id, case_id=other.id))
    db.session.commit()

    answer = client.post(
        f"/unsubscribe/{supporter.unsubscribe_token}?case={case.slug}",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert answer.status_code == 200
    assert "Location" not in answer.headers
    assert "Set-Cookie" not in answer.headers
    assert subscriptions(db, supporter.id) == {case.id: False, other.id: True}


def test_multipart_post_choosing_all_cases_stops_every_email(client, db, make_case):
    case, other = make_case(), make_case()
    supporter = add_supporter("aigerim@example.org", case.id)
    db.session.add(Subscription(supporter_id=supporter.id, case_id=other.id))
    db.session.commit()

    answer = client.post(
        f"/unsubscribe/{supporter.unsubscribe_token}?case={case.slug}",
        data={"scope": "all", "List-Unsubscribe": "One-Click"},
        content_type="multipart/form-data",
    )

    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers
    assert subscriptions(db, supporter.id) == {case.id: False, other.id: False}
    stored = db.session.get(Supporter, supporter.id)
    assert stored.is_consenting_to_contact is False
    assert stored.is_confirmed is False


def test_one_click_post_without_a_case_stops_every_email(client, db, make_case):
    case = make_case()
    supporter = add_supporter("aigerim@example.org", case.id)

    answer = client.post(f"/unsubscribe/{supporter.unsubscribe_token}", data={"List-Unsubscribe": "One-Click"})

    assert answer.status_code == 200
    assert subscriptions(db, supporter.id) == {case.id: False}


def test_unknown_token_or_bad_scope_is_refused_and_changes_nothing(client, db, make_case):
    case = make_case()
    supporter = add_supporter("aigerim@example.org", case.id)

    assert client.get("/unsubscribe/no-such-token").status_code == 404
    assert client.post("/unsubscribe/no-such-token", data={"List-Unsubscribe": "One-Click"}).status_code == 404
    assert client.post(f"/unsubscribe/{'x' * 5000}").status_code == 404
    assert client.post(f"/unsubscribe/{supporter.unsubscribe_token}", data={"scope": "everything"}).status_code == 400
    assert subscriptions(db, supporter.id) == {case.id: True}
