"""Dates in the locales UAs are written in, and the appeal deadline sentence."""

from datetime import date

from campaign.ua_import.dates import deadline_sentence, find_dates, is_date_line


def test_dates_in_several_languages_and_orders_are_read() -> None:
    found = [
        d.on()
        for d in find_dates("27. Januar 2015; January 22, 2021; 13 de septiembre de 2011; 2 marca 2020; 1 mei 2020")
    ]
    assert found == [date(2015, 1, 27), date(2021, 1, 22), date(2011, 9, 13), date(2020, 3, 2), date(2020, 5, 1)]


def test_a_line_holding_only_a_date_is_a_date_line() -> None:
    assert is_date_line("Monday 12 February 2007")
    assert is_date_line("Apeldoorn, April 2020.")
    assert not is_date_line("On 2 January 2008, Qods, a national daily newspaper in Iran, reported that the sentences")


def test_deadline_is_the_date_after_a_cue_in_a_sentence_about_appeals() -> None:
    assert deadline_sentence("Schrijf vóór 1 mei 2020 naar de aanklager.", None)[0] == date(2020, 5, 1)
    assert deadline_sentence("MERCI D'AGIR DÈS QUE POSSIBLE ET JUSQU'AU : 15 juillet 2022", None)[0] == date(
        2022, 7, 15
    )


def test_court_dates_and_appeal_windows_of_the_person_are_not_deadlines() -> None:
    assert deadline_sentence("He has until 20 August to appeal, which he intends to do.", date(2015, 8, 10)) == (
        None,
        None,
    )
    assert deadline_sentence("Date: 11 September 2014 URGENT ACTION MASS THREATS", None) == (None, None)


def test_deadline_without_a_year_takes_the_issue_year_or_the_next() -> None:
    assert deadline_sentence("Please send appeals before 4 June.", date(2016, 4, 1))[0] == date(2016, 6, 4)
    assert deadline_sentence("Please send appeals before 10 January.", date(2016, 12, 1))[0] == date(2017, 1, 10)
