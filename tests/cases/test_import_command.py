"""``flask --app wsgi cases import FILE [--json] [--as-new]``."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from campaign.cases.models import Case, CaseStatus

TEXTS = Path(__file__).parent / "texts"
UA_TEXT = TEXTS / "ua_63_20_nagyz_muhammed.txt"
FOLLOW_UP = TEXTS / "further_information_on_ua_63_20.txt"
NEWS_TEXT = TEXTS / "news_article.txt"


def _cases(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


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


def test_importing_a_ua_that_already_has_a_case_exits_1_naming_the_case_and_stores_nothing(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["cases", "import", str(UA_TEXT)]).exit_code == 0
    first = db.session.scalar(select(Case))

    again = runner.invoke(args=["cases", "import", str(UA_TEXT)])

    assert again.exit_code == 1
    assert "Urgent Action 63.20 already has a case" in again.output
    assert f"/console/cases/{first.id}" in again.output and "--as-new" in again.output
    assert _cases(db) == 1
    assert db.session.scalar(select(Case).where(Case.slug.like("%-2"))) is None


def test_importing_a_follow_up_of_a_known_case_exits_1_pointing_to_the_consoles_import(app, db, make_case):
    make_case(ua_number="63.20")

    result = app.test_cli_runner().invoke(args=["cases", "import", str(FOLLOW_UP)])

    assert result.exit_code == 1
    assert "follow-up" in result.output and "already has a case" in result.output
    assert _cases(db) == 1


def test_as_new_creates_the_draft_despite_an_existing_case(app, db, make_case):
    existing = make_case(ua_number="63.20")

    result = app.test_cli_runner().invoke(args=["cases", "import", str(UA_TEXT), "--as-new"])

    assert result.exit_code == 0, result.output
    assert _cases(db) == 2
    created = db.session.scalar(select(Case).where(Case.id != existing.id))
    assert created.status == CaseStatus.DRAFT
