"""The action page served whole from what a worker keeps, with only the visitor's own token and submission id put in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask

from campaign.cases.views import SUBMISSION_ID_STAND_IN
from campaign.extensions import dispose_engines
from tests.actions.test_kept_answers import (  # noqa: F401 (fixtures)
    STAMPS_REDIS_URL,
    _worker,
    new_case,
    recorded_statements,
    stamps_store,
)


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html).group(1)


@pytest.fixture
def kept_worker(database_url, tmp_path, db, stamps_store) -> Iterator[Flask]:  # noqa: F811
    """A worker on the suite's database and a Redis of its own that keeps what it builds for a minute."""
    worker = _worker(database_url, tmp_path / "kept", STAMPS_REDIS_URL, KEPT_ANSWER_RECHECK_SECONDS=60)
    yield worker
    with worker.app_context():
        dispose_engines()


def test_two_visitors_of_a_kept_page_each_get_their_own_submission_id_no_cookie_and_can_report(kept_worker, new_case):  # noqa: F811
    worker = kept_worker
    case = new_case()
    visitors = [worker.test_client(), worker.test_client()]
    answers = [visitor.get(f"/cases/{case.slug}") for visitor in visitors]
    assert all("Set-Cookie" not in answer.headers for answer in answers)
    pages = [answer.get_data(as_text=True) for answer in answers]
    assert all(SUBMISSION_ID_STAND_IN not in page and "csrf_token" not in page for page in pages)
    submissions = [hidden(page, "submission_id") for page in pages]
    assert len(set(submissions)) == 2
    for visitor, submission in zip(visitors, submissions, strict=True):
        answer = visitor.post(
            f"/cases/{case.slug}/report",
            data={
                "submission_id": submission,
                "action_type": "letter",
                "target_id": "all",
                "count": "1",
                "country": "KZ",
            },
        )
        assert answer.status_code == 303, answer.get_data(as_text=True)[:300]


def test_a_kept_page_is_served_again_without_the_database_in_each_language(kept_worker, new_case):  # noqa: F811
    worker = kept_worker
    case = new_case()
    visitor = worker.test_client()
    english = visitor.get(f"/cases/{case.slug}").get_data(as_text=True)
    arabic = visitor.get(f"/cases/{case.slug}?lang=ar").get_data(as_text=True)
    with recorded_statements(worker) as statements:
        again = worker.test_client().get(f"/cases/{case.slug}?lang=ar").get_data(as_text=True)
    assert statements == []
    assert 'dir="rtl"' in arabic and 'dir="rtl"' not in english
    assert re.sub(r'value="[^"]*"', "", again) == re.sub(r'value="[^"]*"', "", arabic)


def test_a_group_link_is_rendered_for_its_request_with_the_group_filled_in(kept_worker, new_case):  # noqa: F811
    worker = kept_worker
    case = new_case()
    plain = worker.test_client().get(f"/cases/{case.slug}").get_data(as_text=True)
    grouped = worker.test_client().get(f"/cases/{case.slug}?group=school-12").get_data(as_text=True)
    assert hidden(plain, "group") == ""
    assert hidden(grouped, "group") == "school-12"
