"""Any JSON sent to a JSON route is a 4xx with SPEC §4's error shape, and nothing is stored (issue 14, point 3).

Hypothesis sends arbitrary JSON (nested arrays and objects, huge numbers, floats, booleans, nulls, NUL
characters, deep nesting) as the whole body and in every field of every route that reads a JSON body.
The examples are bounded so that the suite stays fast.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from campaign.actions.models import ActionReport, IdempotencyRecord
from campaign.audit.models import AuditEntry
from campaign.supporters.models import Subscription, Supporter

EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Text of any code point, NUL and other control characters included.
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(["\x00", "KZ\x00", "letter\x00"])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**30, max_value=10**300)
    | st.floats(allow_nan=False, allow_infinity=False)
    | ANY_TEXT
)
ANY_JSON = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4), max_leaves=12
)
NOT_TEXT = ANY_JSON.filter(lambda value: not isinstance(value, str))
CONTAINERS = st.lists(ANY_JSON, min_size=0, max_size=3) | st.dictionaries(ANY_TEXT, ANY_JSON, max_size=3)

VALID_REPORT = {"action_type": "letter", "count": 3, "country": "KZ"}
#: For each field of a report, JSON it must refuse: any other type, and the wrong values of its own type.
WRONG_REPORT_VALUES = {
    "action_type": ANY_JSON.filter(lambda value: value not in ("letter", "email", "fax", "call", "tweet", "other")),
    "count": ANY_JSON.filter(lambda value: not (type(value) is int and 1 <= value <= 100)),
    "country": ANY_JSON.filter(lambda value: not (isinstance(value, str) and len(value) == 2 and value.isupper())),
    "target_id": ANY_JSON.filter(lambda value: value is not None and type(value) is not int) | st.integers(max_value=0),
    "name": NOT_TEXT.filter(lambda value: value is not None) | st.just("Ai\x00gerim"),
    "email": NOT_TEXT.filter(lambda value: value is not None)
    | ANY_TEXT.filter(lambda text: text.strip() and "@" not in text),
    "remind_me": ANY_JSON.filter(lambda value: value is not None and not isinstance(value, bool)),
    "language": NOT_TEXT.filter(lambda value: value is not None) | st.just("en\x00"),
    "group": NOT_TEXT.filter(lambda value: value is not None) | st.just("Not A Code!"),
}
TOKEN_FIELDS = ("email", "password", "code")
#: A known field name would make a valid body possible; every other key is unknown.
UNKNOWN_KEYS = ANY_TEXT.filter(lambda key: key not in {*WRONG_REPORT_VALUES, *TOKEN_FIELDS})


def stored_rows(db) -> dict[str, int]:
    """Everything a JSON route could store: reports, replayable answers, supporters, subscriptions, audit."""
    db.session.expire_all()
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (ActionReport, IdempotencyRecord, Supporter, Subscription, AuditEntry)
    }


def assert_error_shape(answer, *, field: str | None = None) -> None:
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.get_data(as_text=True)[:300])
    body = answer.get_json()
    assert set(body) == {"error"}
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    fields = body["error"]["fields"]
    assert isinstance(fields, dict) and all(isinstance(message, str) for message in fields.values())
    if field is not None and answer.status_code == 400:
        assert field in fields, (field, fields)


def send(client, path: str, body: bytes, **headers):
    return client.post(path, data=body, headers={"Content-Type": "application/json", **headers})


@pytest.fixture
def report_path(app, make_case, monkeypatch) -> str:
    monkeypatch.setitem(app.config, "RATELIMIT_REPORTS", "1000000 per minute")
    return f"/api/v1/cases/{make_case().slug}/actions"


@pytest.fixture
def token_path(app, monkeypatch) -> str:
    monkeypatch.setitem(app.config, "RATELIMIT_CONSOLE_LOGIN", "1000000 per minute")
    return "/api/v1/console/tokens"


@pytest.fixture(params=["report", "token"])
def json_route(request) -> str:
    """Every route that reads a JSON body."""
    return request.getfixturevalue(f"{request.param}_path")


def test_any_json_value_as_the_whole_body_is_a_4xx_and_stores_nothing(client, db, json_route):
    before = stored_rows(db)

    @EXAMPLES
    @given(body=ANY_JSON)
    def check(body):
        assert_error_shape(send(client, json_route, json.dumps(body).encode()))

    check()
    assert stored_rows(db) == before


@pytest.mark.parametrize("field", sorted(WRONG_REPORT_VALUES))
def test_any_wrong_json_in_a_report_field_is_a_400_naming_it_and_stores_nothing(client, db, report_path, field):
    before = stored_rows(db)

    @EXAMPLES
    @given(value=WRONG_REPORT_VALUES[field], others=st.sampled_from([{}, {"email": "a@example.org"}]))
    def check(value, others):
        body = {**VALID_REPORT, **(others if field != "email" else {}), field: value}
        assert_error_shape(send(client, report_path, json.dumps(body).encode()), field=field)

    check()
    assert stored_rows(db) == before


@pytest.mark.parametrize("field", TOKEN_FIELDS)
def test_any_json_container_in_a_token_field_is_a_400_naming_it_and_stores_nothing(client, db, token_path, field):
    before = stored_rows(db)

    @EXAMPLES
    @given(value=CONTAINERS | st.integers() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False))
    def check(value):
        body = {"email": "someone@example.org", "password": "secret words", field: value}
        assert_error_shape(send(client, token_path, json.dumps(body).encode()), field=field)

    check()
    assert stored_rows(db) == before


def test_unknown_keys_with_any_json_are_refused_by_name(client, db, json_route):
    before = stored_rows(db)

    @EXAMPLES
    @given(extra=st.dictionaries(UNKNOWN_KEYS, ANY_JSON, min_size=1, max_size=3))
    def check(extra):
        known = {"email": "someone@example.org", "password": "secret"} if "tokens" in json_route else VALID_REPORT
        answer = send(client, json_route, json.dumps({**known, **extra}).encode())
        assert_error_shape(answer)
        assert set(extra) <= set(answer.get_json()["error"]["fields"])

    check()
    assert stored_rows(db) == before


NESTED = {depth: "[" * depth + "]" * depth for depth in (50, 1_000, 100_000)}
#: JSON that Python's reader refuses or reads as something odd, and bodies that are not JSON at all.
BEYOND_PLAIN_JSON = [
    b'{"action_type": "letter", "count": NaN, "country": "KZ"}',
    b'{"action_type": "letter", "count": Infinity, "country": "KZ"}',
    b'{"action_type": "letter", "count": 1' + b"0" * 5000 + b', "country": "KZ"}',
    b'{"action_type": "letter", "count": 1e400, "country": "KZ"}',
    b'{"action_type": "letter\\u0000", "count": 1, "country": "KZ"}',
    b"\x00",
    b"",
    b"\xff\xfe{}",
    *(nested.encode() for nested in NESTED.values()),
    *(b'{"action_type": "letter", "count": 3, "country": ' + nested.encode() + b"}" for nested in NESTED.values()),
]


def test_very_deep_nesting_and_json_beyond_what_python_reads_plainly_are_a_4xx_and_store_nothing(
    client, db, json_route
):
    before = stored_rows(db)

    for raw in BEYOND_PLAIN_JSON:
        assert_error_shape(send(client, json_route, raw))
    assert stored_rows(db) == before
