"""Cleaning copied text: spaces, bullets, glued lines, PDF columns, sentences."""

from campaign.ua_import.normalise import bullet_text, is_sentence, join_lines, normalise, sentences


def test_non_breaking_spaces_and_indentation_become_plain_lines() -> None:
    assert normalise("   UA\u00a017/08 \t Fear\r\n\u200b  IRAN  ") == "UA 17/08 Fear\nIRAN"


def test_private_use_bullet_glyph_becomes_a_bullet() -> None:
    assert bullet_text(normalise("\uf0b7 Release him")) == "Release him"


def test_official_glued_to_the_previous_address_line_starts_a_new_line() -> None:
    assert (
        normalise("People's Republic of ChinaAmbassador Cui Tiankai")
        == "People's Republic of China\nAmbassador Cui Tiankai"
    )


def test_two_columns_run_together_are_read_one_after_the_other() -> None:
    text = "Left one          Right one\nLeft two          Right two\nLeft three        Right three\nLeft four"
    assert normalise(text) == "Left one\nLeft two\nLeft three\nLeft four\n\nRight one\nRight two\nRight three"


def test_numbered_dashed_and_lettered_items_are_bullets_but_a_hyphenated_word_is_not() -> None:
    assert [bullet_text(line) for line in ("1. Write", "– wezwą", "a) drop", "-Adil Mahdi")] == [
        "Write",
        "wezwą",
        "drop",
        None,
    ]


def test_word_hyphenated_across_lines_is_rejoined() -> None:
    assert join_lines(["torture and ill-", "treatment of"]) == "torture and ill-treatment of"


def test_sentences_do_not_end_at_a_german_ordinal_or_an_honorific() -> None:
    assert sentences("Appelle bis 27. Januar 2015. Dr. Esfandiari left. Done") == [
        "Appelle bis 27. Januar 2015.",
        "Dr. Esfandiari left.",
        "Done",
    ]


def test_running_text_is_told_from_an_address_line() -> None:
    assert is_sentence("Due to postal restrictions caused by COVID-19, please only send physical mail to the Embassy")
    assert not is_sentence("Ministère de la Justice, Place de l'Indépendance")
