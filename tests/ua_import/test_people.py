"""People at risk from labelled lists, old headers, capitals blocks and the summary."""

from campaign.ua_import.normalise import normalise
from campaign.ua_import.people import find_people


def people(text: str, officials: set[str] | None = None) -> list[tuple[str, str | None, str | None]]:
    cleaned = normalise(text)
    found = find_people(cleaned, cleaned.split("\n"), None, officials or set(), [])
    return [(person.name, person.native_name, person.pronouns) for person in found]


def test_a_pronoun_line_names_each_person_with_pronouns() -> None:
    assert people("NAME AND PREFERRED PRONOUNS: Rosa Quispe (she/her) and Mateo Huamán (he/him)") == [
        ("Rosa Quispe", None, "she/her"),
        ("Mateo Huamán", None, "he/him"),
    ]


def test_old_header_gender_markers_and_honorifics_are_left_out_of_names() -> None:
    assert people("IRAN Dr Haleh Esfandiari (f), aged 67, academic\nYazdan (m) (surname not known)\n") == [
        ("Haleh Esfandiari", None, None),
        ("Yazdan", None, None),
    ]


def test_the_at_risk_list_stops_at_the_next_label() -> None:
    text = "In Gefahr:\nHerr KHAIRO AL-DABBAS, 52 Jahre alt\nHerr ISLAM AL-DABBAS, 21 Jahre\n\nIn Haft gestorben:\nHerr GHAYATH MATTAR, 26 Jahre\n"
    assert [name for name, _, _ in people(text)] == ["KHAIRO AL-DABBAS", "ISLAM AL-DABBAS"]


def test_summary_subjects_with_their_own_script_name_and_not_those_only_mentioned() -> None:
    text = (
        "Citizen journalist Zhang Zhan (张展) is at grave risk of death after months of hunger strike in prison in Shanghai.\n\n"
        "Her family learned on 14 October that Zhang Zhan had been restrained. The lawyer Li Dawei said on 1 May that he "
        "could not visit the detention centre in Shanghai for several weeks."
    )
    assert people(text) == [("Zhang Zhan", "张展", None)]


def test_officials_and_places_are_not_people_at_risk() -> None:
    text = (
        "On 29 March 2019, Maria Ressa was arrested by Pasig City police officers at the airport in Pasay City and "
        "charged with violating the law, then released later that day after posting bail."
    )
    assert people(text, {"Menardo Guevarra"}) == [("Maria Ressa", None, None)]
