"""The header: UA number as written, AI index, issue date, headline."""

from datetime import date

from campaign.ua_import.header import find_ua_number, first_ua_only, read_header


def test_number_is_kept_as_written_and_references_to_other_uas_are_skipped() -> None:
    assert find_ua_number("(see UA 171/09 and updates)\nVA: 133/10 Index")[0] == "133/10"
    assert find_ua_number("UA-Nr: UA-250/2011-1, AI-Index: MDE 24/054/2011")[0] == "UA-250/2011-1"


def test_one_paragraph_header_gives_number_index_date_and_capitals_headline() -> None:
    header = read_header(
        "UA: 229/14 Index: AMR 23/030/2014 Colombia Date: 11 September 2014 URGENT ACTION MASS DEATH THREATS At least 80 people"
    )
    assert (header.ua_number, header.ai_index, header.issued_on) == ("229/14", "AMR 23/030/2014", date(2014, 9, 11))
    assert header.headline == "MASS DEATH THREATS"


def test_web_title_drops_its_label_and_country_suffix() -> None:
    assert (
        read_header("Urgent Action Update: Activist Detained (Egypt: UA 132.19)\n\nMay 26, 2020").headline
        == "Activist Detained"
    )


def test_marker_and_country_prefix_are_not_part_of_the_headline() -> None:
    text = (
        "Action urgente - États-Unis (Texas). L'exécution d'une femme bafouerait le droit international.\n\n3/31/2022"
    )
    assert read_header(text).headline == "L'exécution d'une femme bafouerait le droit international."


def test_old_header_line_gives_the_concern_as_headline() -> None:
    assert (
        read_header("18 January 2008\n\nUA 17/08 Fear of imminent execution\n\nIRAN").headline
        == "Fear of imminent execution"
    )


def test_a_running_sentence_after_the_heading_is_no_headline() -> None:
    assert (
        read_header(
            "ACCIÓN URGENTE\nIgnacio Muñiz Zamora, defensor de los derechos de las personas migrantes, ha sido víctima de agresión, robo y amenazas en el norte de México."
        ).headline
        is None
    )


def test_a_page_with_two_uas_keeps_the_first() -> None:
    text = (
        "UA-313/2014 Verschwindenlassen - Syrien\nfirst\nUA-257-1/2014 Investigativjournalistin - Aserbaidschan\nsecond"
    )
    assert first_ua_only(text) == "UA-313/2014 Verschwindenlassen - Syrien\nfirst\n"
