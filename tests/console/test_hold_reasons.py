"""Why a report was held reads in the organiser's language: the stored English sentence keeps its numbers."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from campaign.actions.hold_reasons import (
    COUNT_ABOVE_THRESHOLD,
    SAME_ADDRESS_AGAIN,
    SAME_EMAIL_AGAIN,
    held_reason_text,
)
from config import Config

STORED = [
    COUNT_ABOVE_THRESHOLD.format(count=250, threshold=100),
    SAME_EMAIL_AGAIN.format(times=5, minutes=60),
    SAME_ADDRESS_AGAIN.format(times=50, minutes=60),
]


@pytest.mark.parametrize("language", [code for code in Config.LANGUAGES if code != Config.BABEL_DEFAULT_LOCALE])
def test_each_automatic_reason_is_shown_translated_with_its_numbers(app, language):
    with app.test_request_context(), force_locale(language):
        shown = [held_reason_text(reason) for reason in STORED]
    with app.test_request_context(), force_locale("en"):
        english = [held_reason_text(reason) for reason in STORED]

    assert all(
        text not in (reason, in_english) for reason, in_english, text in zip(STORED, english, shown, strict=True)
    )
    assert "250" in shown[0] and "100" in shown[0]
    assert "5" in shown[1] and "60" in shown[1]
    assert "50" in shown[2] and "60" in shown[2]
    assert len(set(shown)) == 3


def test_a_reason_an_organiser_typed_is_shown_as_written(app):
    typed = "count 3 looks odd: same group as yesterday"
    with app.test_request_context(), force_locale("zh"):
        assert held_reason_text(typed) == typed
        assert held_reason_text(None) == ""
        assert held_reason_text(STORED[0] + " (checked)") == STORED[0] + " (checked)"


def test_the_review_queue_shows_the_reason_in_the_organisers_language(organiser_client, db, make_case):
    from campaign.actions.models import ActionReport, ReportSource, ReviewState

    case = make_case()
    db.session.add(
        ActionReport(
            case_id=case.id,
            action_type="letter",
            count=250,
            country="KZ",
            source=ReportSource.API,
            review_state=ReviewState.FLAGGED,
            review_reason=STORED[0],
        )
    )
    db.session.commit()

    english = organiser_client.get("/console/review?lang=en").get_data(as_text=True)
    chinese = organiser_client.get("/console/review?lang=zh").get_data(as_text=True)

    assert "The count, 250, is above the review threshold of 100." in english
    assert STORED[0] not in chinese and "250" in chinese
