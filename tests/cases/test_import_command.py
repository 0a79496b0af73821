"""``flask --app wsgi cases import FILE [--json]``."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from campaign.cases.models import Case, CaseStatus

UA_IMPORT_TESTS = Path(__file__).resolve().parents[1] / "ua_import"
UA_TEXT = UA_IMPORT_TESTS / "examples" / "ua_000.txt"
NEWS_TEXT = UA_IMPORT_TESTS / "texts" / "news_article_not_a_ua.txt"


def test_import_with_json_prints_exactly_the_specified_keys_and_stores_nothing(app, db):
    result = app.test_cli_runner().invoke(args=["cases", "import", str(UA_TEXT), "--json"])

    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    assert set(parsed) == {
        "ua_number",
        "ai_index",
        "people",
        "headline",
        "targets",
        "copies",
        "asks",
        "preferred_languages",
        "deadline",
    }
    assert parsed["ua_number"] == "63.20"
    assert db.session.scalar(select(Case)) is None


def test_import_makes_a_draft_case_with_its_targets_and_asks(app, db):
    result = app.test_cli_runner().invoke(args=["cases", "import", str(UA_TEXT)])

    assert result.exit_code == 0, result.output
    case = db.session.scalar(select(Case))
    assert case.status == CaseStatus.DRAFT
    assert case.ua_number == "63.20"
    assert [person.name for person in case.people] == ["Nagyz Muhammed"]
    assert {link.target.name for link in case.target_links} == {"Wang Jiang", "Cui Tiankai"}
    assert len(case.asks) == 4


def test_importing_a_news_article_exits_1_naming_what_is_missing(app, db):
    result = app.test_cli_runner().invoke(args=["cases", "import", str(NEWS_TEXT)])

    assert result.exit_code == 1
    assert "does not read as an Urgent Action" in result.output
    assert db.session.scalar(select(Case)) is None
