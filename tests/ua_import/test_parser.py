"""The Urgent Action parser, on texts in layouts other than the two scored examples."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from campaign.ua_import import NotAnUrgentAction, parse_urgent_action

TEXTS = Path(__file__).parent / "texts"
REPOSITORY = Path(__file__).resolve().parents[2]
# A news article about a UA's subject, not a UA: the project's seed 002 (Caravanserai/AFP), copied here.
NEWS_ARTICLE = TEXTS / "news_article_not_a_ua.txt"
JSON_KEYS = {
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


def read_text(name: str) -> str:
    return (TEXTS / name).read_text(encoding="utf-8")


def parse(name: str) -> dict[str, Any]:
    return parse_urgent_action(read_text(name)).as_json()


def person(name: str, native_name: str | None = None, pronouns: str | None = None) -> dict[str, Any]:
    return {"name": name, "native_name": native_name, "pronouns": pronouns}


def official(**fields: Any) -> dict[str, Any]:
    empty = dict.fromkeys(
        ("name", "title", "organisation", "address", "email", "fax", "phone", "twitter", "salutation")
    )
    return {**empty, **fields}


AMBASSADOR_CUI = official(
    name="Cui Tiankai",
    title="Ambassador",
    organisation="Embassy of the People’s Republic of China",
    address="3505 International Place NW, Washington DC 20008",
    email="chinaembpress_us@mfa.gov.cn",
)

OWN_TEXTS = sorted(path.name for path in TEXTS.glob("*.txt") if path != NEWS_ARTICLE)


@pytest.mark.parametrize("name", OWN_TEXTS)
def test_json_has_exactly_the_keys_the_spec_names(name: str) -> None:
    parsed = parse(name)
    assert set(parsed) == JSON_KEYS
    for record in parsed["targets"] + parsed["copies"]:
        assert set(record) == {
            "name",
            "title",
            "organisation",
            "address",
            "email",
            "fax",
            "phone",
            "twitter",
            "salutation",
        }
    json.dumps(parsed, ensure_ascii=False)


def test_header_line_gives_number_index_and_issue_date() -> None:
    parsed = parse_urgent_action(read_text("old_layout_header_line.txt"))
    assert (parsed.ua_number, parsed.ai_index, parsed.issued_on) == ("63/20", "ASA 17/2551/2020", date(2020, 3, 12))
    assert not parsed.is_follow_up and parsed.follows_ua_number is None


@pytest.mark.parametrize(
    ("written", "number"),
    [("UA 63/20", "63/20"), ("UA: 63/20", "63/20"), ("Urgent Action 63.20", "63.20"), ("UA:\u00a063/20", "63/20")],
)
def test_ua_number_is_kept_as_written_without_its_label(written: str, number: str) -> None:
    text = read_text("two_people_spanish.txt").replace("URGENT ACTION\n", f"URGENT ACTION\n{written}\n", 1)
    assert parse_urgent_action(text).ua_number == number


def test_further_information_on_ua_is_a_follow_up_of_that_ua() -> None:
    parsed = parse_urgent_action(read_text("further_information_on_ua.txt"))
    assert parsed.is_follow_up
    assert parsed.follows_ua_number == parsed.ua_number
    assert parsed.ua_number is not None


def test_fi_number_with_update_suffix_is_a_follow_up_of_its_base_ua() -> None:
    parsed = parse_urgent_action(read_text("fi_web_page.txt"))
    assert (parsed.is_follow_up, parsed.follows_ua_number, parsed.ua_number) == (True, "004/18", "004/18-1")


def test_deadline_written_as_send_appeals_before_is_read() -> None:
    assert parse("send_appeals_before_caps.txt")["deadline"] == "2016-06-04"


def test_deadline_written_as_by_day_month_comma_year_is_read() -> None:
    assert parse("fi_web_page.txt")["deadline"] == "2019-03-02"


def test_deadline_written_as_take_action_as_soon_as_possible_until_is_read() -> None:
    assert parse("pdf_copy_damage.txt")["deadline"] == "2023-05-15"


def test_deadline_without_a_year_takes_the_year_of_the_issue_date() -> None:
    text = read_text("send_appeals_before_caps.txt").replace("BEFORE 4 JUNE 2016", "BEFORE 4 JUNE")
    assert parse_urgent_action(text).deadline == date(2016, 6, 4)


def test_lines_run_together_by_a_pdf_copy_are_split_into_two_officials() -> None:
    targets = parse("pdf_copy_damage.txt")["targets"]
    assert [target["name"] for target in targets] == ["Xi Jinping", "Cui Tiankai"]
    assert targets[0]["address"].endswith("People’s Republic of China")


def test_non_breaking_spaces_and_private_use_bullets_are_cleaned() -> None:
    parsed = parse("pdf_copy_damage.txt")
    assert parsed["targets"][1]["email"] == "chinaembpress_us@mfa.gov.cn"
    assert parsed["targets"][0]["name"] == "Xi Jinping"
    assert all("\uf0b7" not in ask and "\u00a0" not in ask for ask in parsed["asks"])


def test_word_hyphenated_across_a_line_break_is_rejoined() -> None:
    assert "torture and other ill-treatment" in parse("pdf_copy_damage.txt")["asks"][1]


def test_title_before_name_and_name_before_title_are_both_read() -> None:
    ambassador = parse("old_layout_header_line.txt")["copies"][0]
    prosecutor = parse("fi_web_page.txt")["targets"][0]
    assert (ambassador["name"], ambassador["title"]) == ("Cui Tiankai", "Ambassador")
    assert (prosecutor["name"], prosecutor["title"]) == ("Ana María Quintero", "Prosecutor General")


def test_title_after_the_name_wins_over_an_honorific_before_it() -> None:
    target = parse("several_targets_and_copies.txt")["targets"][0]
    assert (target["name"], target["title"]) == ("Hamada El Sawy", "Public Prosecutor")


def test_several_numbers_or_addresses_in_one_field_become_a_list() -> None:
    minister = parse("several_targets_and_copies.txt")["targets"][1]
    assert minister["phone"] == ["+202 2795 2300", "+202 2795 2301"]
    assert minister["email"] == ["center@moi.gov.eg", "moi@moi.gov.eg"]


def test_phone_and_fax_on_one_line_are_separated() -> None:
    ambassador = parse("several_targets_and_copies.txt")["copies"][0]
    assert (ambassador["phone"], ambassador["fax"]) == ("202 895 5400", "202 244 5131")


def test_letter_greeting_without_a_salutation_label_is_not_a_salutation() -> None:
    assert parse("two_people_spanish.txt")["targets"][0]["salutation"] is None


def test_pronoun_line_names_every_person_with_their_pronouns() -> None:
    assert parse("two_people_spanish.txt")["people"] == [
        person("Rosa Quispe", pronouns="she/her"),
        person("Mateo Huamán", pronouns="he/him"),
    ]


def test_name_in_its_own_script_is_read_as_native_name() -> None:
    assert parse("pdf_copy_damage.txt")["people"][0]["native_name"] == "伊力哈木·土赫提"


def test_story_and_model_letter_are_kept_for_the_draft_case() -> None:
    parsed = parse_urgent_action(read_text("several_targets_and_copies.txt"))
    assert parsed.story is not None and parsed.story.startswith("Researcher Karim Saeed has been held")
    assert parsed.model_letter is not None
    assert parsed.model_letter.startswith("Dear Counsellor,") and parsed.model_letter.endswith("Yours sincerely,")


def test_news_article_is_refused_naming_what_is_missing() -> None:
    with pytest.raises(NotAnUrgentAction) as refusal:
        parse_urgent_action(NEWS_ARTICLE.read_text(encoding="utf-8"))
    assert str(refusal.value) == (
        "This text does not read as an Urgent Action: no UA number or Urgent Action heading, "
        "no target official and no asks were found."
    )


@pytest.mark.parametrize("text", ["", "   \n\n  ", "lorem ipsum 12 %% ### \u00a0\x0c zzz", "URGENT ACTION"])
def test_empty_or_garbage_text_is_refused(text: str) -> None:
    with pytest.raises(NotAnUrgentAction) as refusal:
        parse_urgent_action(text)
    assert isinstance(refusal.value, ValueError)
    assert str(refusal.value).startswith("This text does not read as an Urgent Action: ")
    assert "no target official" in refusal.value.missing


def test_command_prints_the_parsed_fields_as_json() -> None:
    done = run_command(TEXTS / "fi_web_page.txt")
    assert done.returncode == 0
    assert json.loads(done.stdout) == parse("fi_web_page.txt")


def test_command_exits_1_with_the_sentence_on_stderr_for_a_news_article() -> None:
    done = run_command(NEWS_ARTICLE)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("This text does not read as an Urgent Action: no UA number")


def run_command(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "campaign.ua_import", str(path)],
        capture_output=True,
        text=True,
        cwd=REPOSITORY,
        timeout=60,
        check=False,
    )
