"""Each parsed field comes with the excerpt it was read from; doubts are flagged as codes."""

from pathlib import Path

from campaign.ua_import import parse_urgent_action

HERE = Path(__file__).parent


def parse(relative: str):
    return parse_urgent_action((HERE / relative).read_text(encoding="utf-8"))


def test_every_field_found_has_an_excerpt_of_the_text_it_came_from() -> None:
    text = (HERE / "own_layouts" / "ua_german_section_web.txt").read_text(encoding="utf-8")
    parsed = parse_urgent_action(text)
    expected = {
        "ua_number",
        "headline",
        "issued_on",
        "deadline",
        "preferred_languages",
        "people[0]",
        "targets[0]",
        "copies[0]",
    }
    assert expected | {f"asks[{i}]" for i in range(len(parsed.asks))} <= set(parsed.evidence)
    assert all(excerpt.splitlines()[0] in text for excerpt in parsed.evidence.values())
    assert "25. Mai 2022" in parsed.evidence["deadline"]


def test_a_deadline_before_the_issue_date_and_a_hidden_email_are_doubts() -> None:
    assert {"deadline_before_issue_date", "email_hidden"} <= set(parse("examples/ua_130.txt").doubts)


def test_a_text_cut_off_mid_sentence_is_a_doubt_and_a_complete_one_is_not() -> None:
    assert "text_cut_off" in parse("examples/ua_123.txt").doubts
    assert parse("own_layouts/ua_german_section_web.txt").doubts == []


def test_the_texts_own_language_is_given() -> None:
    assert [parse(f"examples/{name}.txt").language for name in ("ua_113", "ua_137", "ua_141")] == ["pl", "fr", "de"]


def test_an_outcome_notice_is_a_follow_up_with_its_outcome() -> None:
    parsed = parse("examples/ua_136.txt")
    assert (parsed.is_follow_up, parsed.follows_ua_number, parsed.outcome) == (True, "47/07", "released")
    assert "released" in parsed.evidence["outcome"]
