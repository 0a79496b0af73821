"""Languages to write in, named in any locale's words, and the text's own language."""

from campaign.ua_import.languages import preferred_languages, text_language


def test_languages_listed_with_your_own_language_are_coded() -> None:
    assert preferred_languages("Please write immediately in English, Persian, French or your own language:")[0] == [
        "en",
        "fa",
        "fr",
    ]


def test_inflected_language_names_are_coded() -> None:
    assert preferred_languages("Prosimy o wysyłanie apeli po angielsku lub polsku, w których:")[0] == ["en", "pl"]


def test_labelled_language_line_in_french_is_read() -> None:
    text = "LANGUES À PRIVILÉGIER POUR LA RÉDACTION DE VOS APPELS : français, anglais"
    assert preferred_languages(text)[0] == ["fr", "en"]


def test_a_nationality_in_a_sentence_is_not_a_language_to_write_in() -> None:
    assert preferred_languages("The Chinese government must release Zhang Zhan immediately.") == ([], None)


def test_the_text_language_is_told_from_its_function_words() -> None:
    assert (
        text_language(
            "Die Männer werden seit ihrer Festnahme nach wie vor ohne Kontakt zur Außenwelt in Haft gehalten und das ist nicht gut."
        )
        == "de"
    )
