"""Asks: the ask list verbatim, or the summary's explicit demand; never the take-action steps."""

from campaign.ua_import.asks import find_asks
from campaign.ua_import.normalise import normalise


def asks(text: str, summary: str = "") -> list[str]:
    return find_asks(normalise(text), summary, letter_start=10_000)[0]


def test_a_list_after_a_colon_is_read_with_wrapped_lines_joined() -> None:
    text = "Please write immediately in English or your own language:\n• Calling for the release of\nAna Ruiz;\n• Urging them to protect her family."
    assert asks(text) == ["Calling for the release of Ana Ruiz;", "Urging them to protect her family."]


def test_take_action_steps_are_not_asks() -> None:
    text = "TAKE ACTION:\n1. Write a letter in your own words.\n2. Click here to let us know the actions you took on Urgent Action 16.20."
    assert asks(text) == []


def test_without_a_list_the_summarys_demand_sentence_is_the_ask() -> None:
    summary = (
        "He is held at Badr 1 prison. He must be immediately and unconditionally released as his detention is unlawful."
    )
    assert asks("no list here", summary) == [
        "He must be immediately and unconditionally released as his detention is unlawful."
    ]


def test_a_need_described_in_the_summary_is_not_a_demand() -> None:
    assert (
        asks(
            "",
            "Marwa Tuffaha muss Medikamente einnehmen, um Probleme zu vermeiden. She requires immediate hospitalization.",
        )
        == []
    )
