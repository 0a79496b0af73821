"""The CLDR names kept beside the importer are those the installed Babel gives."""

from campaign.ua_import import cldr


def test_kept_tables_match_the_installed_babel() -> None:
    stored = cldr._stored()
    assert stored is not None, "rebuild with: python -m campaign.ua_import.cldr"
    assert stored["months"] == cldr._month_numbers()
    assert stored["languages"] == cldr._language_codes()
    assert set(stored["countries"]) == cldr._country_names()


def test_names_are_compared_without_case_or_accents() -> None:
    assert cldr.is_country("ÉTATS-UNIS") and cldr.is_country("Syrien") and not cldr.is_country("Tehran")
    assert cldr.language_code("Türkisch") == "tr"
    assert cldr.month_numbers()["wrzesnia"] == 9
