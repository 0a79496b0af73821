"""The console's import as a review: paste, see every field beside its excerpt, correct, then create or attach."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import func, select

from campaign.cases.models import Case, CaseStatus, Target, TimelineKind
from tests.accounts.helpers import csrf_token

TEXTS = Path(__file__).parent / "texts"
UA_TEXT = (TEXTS / "ua_63_20_nagyz_muhammed.txt").read_text(encoding="utf-8")
FOLLOW_UP = (TEXTS / "further_information_on_ua_63_20.txt").read_text(encoding="utf-8")
PERSON_ONLY = (TEXTS / "ua_zhanargul_zhumatai.txt").read_text(encoding="utf-8")


class _FormFields(HTMLParser):
    """The values a browser would send for the review form (submit buttons left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in ("submit", "checkbox"):
            self.fields[name] = attributes.get("value") or ""
        elif tag == "input" and name and attributes.get("type") == "checkbox" and "checked" in attributes:
            self.fields[name] = attributes.get("value") or "y"
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields[self._select] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            first = not self.fields[self._textarea]
            self.fields[self._textarea] += data.removeprefix("\r\n").removeprefix("\n") if first else data


def _review_fields(page) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(page.get_data(as_text=True).split('action="/console/import/review"', 1)[1].split("</form>", 1)[0])
    return parser.fields


def _paste(client, text: str):
    return client.post("/console/import", data={"csrf_token": csrf_token(client, "/console/import"), "text": text})


def _cases(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


def test_pasting_a_ua_shows_every_field_beside_its_excerpt_and_stores_nothing(organiser_client, db):
    page = _paste(organiser_client, UA_TEXT)

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    fields = _review_fields(page)
    assert fields["ua_number"] == "63.20"
    assert fields["targets-0-name"] == "Wang Jiang"
    assert fields["targets-1-emails"] == "chinaembpress_us@mfa.gov.cn"
    assert "allow him access to his family" in fields["asks"]
    assert fields["people"].startswith("Nagyz Muhammed")
    assert "From the text:" in html and "Urgent Action 63.20" in html
    assert 'data-missing="deadline"' in html and 'data-missing="ai_index"' in html
    assert "Not in the text" in html
    assert fields["text"] == UA_TEXT.replace("\r\n", "\n") or fields["text"].strip() == UA_TEXT.strip()
    assert _cases(db) == 0


def test_the_organiser_corrects_the_fields_and_only_then_creates_the_draft(organiser_client, db):
    fields = _review_fields(_paste(organiser_client, UA_TEXT))
    fields.update(
        headline="Kazakh writer sentenced in secret trial",
        deadline="2031-05-15",
        **{"targets-0-emails": "wang.jiang@example.org\nprison@example.org"},
        create="y",
    )

    response = organiser_client.post("/console/import/review", data=fields)

    assert response.status_code == 303
    case = db.session.scalar(select(Case))
    assert f"/console/cases/{case.id}" in response.headers["Location"]
    assert (case.status, case.ua_number, case.headline) == (
        CaseStatus.DRAFT,
        "63.20",
        "Kazakh writer sentenced in secret trial",
    )
    assert case.deadline_on == date(2031, 5, 15)
    wang = db.session.scalar(select(Target).where(Target.name == "Wang Jiang"))
    assert wang.emails == ["wang.jiang@example.org", "prison@example.org"]
    assert len(case.asks) == 4


def test_bad_input_on_the_review_gives_form_errors_keeps_the_text_and_stores_nothing(organiser_client, db):
    fields = _review_fields(_paste(organiser_client, UA_TEXT))
    fields.update(
        preferred_languages="not a code!",
        issued_on="2020-05-01",
        deadline="2020-04-01",
        **{"targets-0-emails": "not an address", "copies-0-twitter": "@@@"},
        create="y",
    )

    response = organiser_client.post("/console/import/review", data=fields)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "not an address is not an email address" in html
    assert "not a code! is not a language code" in html
    assert "The deadline cannot be before the issue date" in html
    assert _review_fields(response)["text"].strip() == UA_TEXT.strip()
    assert _cases(db) == 0


def test_a_review_post_without_its_text_or_token_stores_nothing(organiser_client, db):
    no_text = organiser_client.post(
        "/console/import/review", data={"csrf_token": csrf_token(organiser_client, "/console/import"), "create": "y"}
    )
    no_token = organiser_client.post("/console/import/review", data={"text": UA_TEXT, "create": "y"})
    assert (no_text.status_code, no_token.status_code) == (400, 400)
    assert _cases(db) == 0


def test_pasting_a_text_that_is_not_a_ua_names_what_is_missing_and_stores_nothing(organiser_client, db):
    response = _paste(organiser_client, "Shopping list: milk, eggs, bread.")
    assert response.status_code == 400
    assert "does not read as an Urgent Action" in response.get_data(as_text=True)
    assert _cases(db) == 0


def test_doubts_are_flagged_a_past_deadline_and_a_year_that_disagrees_with_the_issue_date(organiser_client, db):
    page = _paste(organiser_client, FOLLOW_UP)
    html = page.get_data(as_text=True)
    assert "Check these points" in html
    assert "has already passed" in html

    fields = _review_fields(page)
    fields.update(ua_number="63/21", follows_ua_number="63/21", issued_on="2020-09-02", recheck="y")
    rechecked = organiser_client.post("/console/import/review", data=fields)
    assert rechecked.status_code == 200
    assert "gives another year than the issue date" in rechecked.get_data(as_text=True)
    assert _cases(db) == 0


def test_a_duplicate_ua_is_refused_with_a_link_to_its_case(organiser_client, db, make_case):
    existing = make_case(ua_number="63.20")

    page = _paste(organiser_client, UA_TEXT)
    html = page.get_data(as_text=True)
    assert "Urgent Action 63.20 already has a case" in html
    assert f'href="/console/cases/{existing.id}"' in html
    assert "Create the draft case" not in html

    fields = _review_fields(page)
    forced = organiser_client.post("/console/import/review", data={**fields, "create": "y", "as_new": "y"})
    assert forced.status_code == 409
    assert "already has a case" in forced.get_data(as_text=True)
    assert _cases(db) == 1


def test_a_person_with_a_case_is_refused_unless_the_organiser_says_it_is_someone_else(organiser_client, db, make_case):
    existing = make_case(ua_number=None)
    existing.people[0].name = "Zhanargul Zhumatai"
    db.session.commit()

    page = _paste(organiser_client, PERSON_ONLY)
    assert "Zhanargul Zhumatai already has a case" in page.get_data(as_text=True)
    fields = _review_fields(page)

    refused = organiser_client.post("/console/import/review", data={**fields, "create": "y"})
    assert refused.status_code == 409 and _cases(db) == 1

    created = organiser_client.post("/console/import/review", data={**fields, "create": "y", "as_new": "y"})
    assert created.status_code == 303 and _cases(db) == 2


def test_a_follow_up_is_offered_as_an_update_of_its_case_and_extends_its_deadline(organiser_client, db, make_case):
    case = make_case(ua_number="63.20", deadline_on=date(2020, 9, 1), issued_on=date(2020, 5, 1))

    page = _paste(organiser_client, FOLLOW_UP)
    html = page.get_data(as_text=True)
    assert "Urgent Action 63.20 already has a case" in html
    assert 'name="attach"' in html
    assert _cases(db) == 1 and not case.timeline

    fields = _review_fields(page)
    assert fields["is_follow_up"] == "y"
    response = organiser_client.post("/console/import/review", data={**fields, "attach": "y"})

    assert response.status_code == 303
    assert f"/console/cases/{case.id}" in response.headers["Location"]
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert _cases(db) == 1
    assert case.deadline_on == date(2020, 10, 14)
    kinds = {entry.kind for entry in case.timeline}
    assert kinds == {TimelineKind.FOLLOW_UP, TimelineKind.DEADLINE_EXTENDED}
    follow_up = next(entry for entry in case.timeline if entry.kind == TimelineKind.FOLLOW_UP)
    assert "CONFIRMED ON APPEAL" in follow_up.text
    assert any("quash" in ask.text for ask in case.asks)
    assert case.status == CaseStatus.ACTIVE


def test_an_outcome_offered_by_a_follow_up_closes_the_case_when_the_organiser_ticks_it(organiser_client, db, make_case):
    case = make_case(ua_number="63.20", deadline_on=date.today() + timedelta(days=3))
    fields = _review_fields(_paste(organiser_client, FOLLOW_UP))

    without_outcome = organiser_client.post(
        "/console/import/review", data={**fields, "outcome": "", "close_with_outcome": "y", "attach": "y"}
    )
    assert without_outcome.status_code == 400
    assert "Choose the outcome" in without_outcome.get_data(as_text=True)

    response = organiser_client.post(
        "/console/import/review", data={**fields, "outcome": "sentenced", "close_with_outcome": "y", "attach": "y"}
    )
    assert response.status_code == 303
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, "Sentenced")


def test_attaching_when_no_case_matches_is_refused_and_stores_nothing(organiser_client, db):
    fields = _review_fields(_paste(organiser_client, FOLLOW_UP))
    response = organiser_client.post("/console/import/review", data={**fields, "attach": "y"})
    assert response.status_code == 400
    assert "No case has this UA number" in response.get_data(as_text=True)
    assert _cases(db) == 0


def test_control_characters_in_a_reviewed_field_are_dropped_not_a_server_error(organiser_client, db):
    fields = _review_fields(_paste(organiser_client, UA_TEXT))
    fields.update(headline="Writer\x00 sentenced", create="y", **{"targets-0-name": "Wang\x00 Jiang"})

    response = organiser_client.post("/console/import/review", data=fields)

    assert response.status_code == 303
    case = db.session.scalar(select(Case))
    assert case.headline == "Writer sentenced"
    assert "Wang Jiang" in {link.target.name for link in case.target_links}


def test_more_officials_than_the_form_allows_are_left_out_not_a_server_error(organiser_client, db):
    fields = _review_fields(_paste(organiser_client, UA_TEXT))
    fields.update({f"copies-{index}-name": f"Official {index}" for index in range(60)}, create="y")

    response = organiser_client.post("/console/import/review", data=fields)

    assert response.status_code == 303
    case = db.session.scalar(select(Case))
    assert len(case.target_links) <= 2 + 40


def test_a_follow_up_without_a_case_says_so_and_can_become_a_draft(organiser_client, db):
    page = _paste(organiser_client, FOLLOW_UP)
    html = page.get_data(as_text=True)
    assert "no case has its UA number or names its people" in html
    assert "2 September 2020" in html and "BEFORE 14 OCTOBER 2020" in html

    response = organiser_client.post("/console/import/review", data={**_review_fields(page), "create": "y"})
    assert response.status_code == 303
    assert db.session.scalar(select(Case.ua_number)) == "63/20"


def test_the_pasted_text_travels_in_the_form_never_in_the_session(organiser_client, app, db):
    from tests.privacy import redis_text

    phrase = "Altay’s State Intangible Cultural Heritage Office"
    page = _paste(organiser_client, UA_TEXT)

    assert phrase in _review_fields(page)["text"]
    if app.config["SESSION_TYPE"] == "redis":
        stored = redis_text(app.config["REDIS_URL"])
    else:
        folder = Path(app.config["INSTANCE_PATH"]) / "sessions"
        stored = "\n".join(path.read_bytes().decode(errors="replace") for path in folder.glob("*"))
    assert "uat:session:" in stored or app.config["SESSION_TYPE"] != "redis"
    assert phrase not in stored and "Intangible Cultural Heritage" not in stored
