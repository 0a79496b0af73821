"""Contact blocks: targets and copies with titles, names, postal lines and channels."""

from campaign.ua_import.normalise import normalise
from campaign.ua_import.officials import find_officials


def officials(text: str):
    return find_officials(normalise(text).split("\n"))


def test_title_over_name_of_any_wording_opens_a_block_with_its_postal_lines() -> None:
    targets, copies, _ = officials(
        "Capo della magistratura\nMario Rossi\nVia Arenula 70\n00186 Roma\nSaluto: Eccellenza\n"
    )
    assert (targets[0].title, targets[0].name, targets[0].address_lines, targets[0].salutation) == (
        "Capo della magistratura",
        "Mario Rossi",
        ["Via Arenula 70", "00186 Roma"],
        "Eccellenza",
    )
    assert copies == []


def test_a_whole_block_on_one_line_is_cut_at_its_labels() -> None:
    line = "Ambassador Yasser Reda Embassy of Egypt 3521 International Ct NW Phone: 202 895 5400 I Fax: 202 244 5131 Twitter: @EgyptEmbassyUSA"
    (target,), _, _ = officials(line)
    assert (target.name, target.phones, target.faxes, target.twitter) == (
        "Yasser Reda",
        ["202 895 5400"],
        ["202 244 5131"],
        ["@EgyptEmbassyUSA"],
    )


def test_a_note_inside_a_block_is_not_an_address_and_a_hidden_email_is_left_out() -> None:
    (target,), _, _ = officials(
        "Public Prosecutor Hamada al-Sawi\nDue to postal restrictions caused by COVID-19, please only send physical mail to the Embassy\nEmail: [email\u00a0protected]\nFax: +202 2577 4716"
    )
    assert (target.address_lines, target.emails, target.faxes) == ([], [], ["+202 2577 4716"])


def test_blocks_after_a_copy_label_are_copies_and_a_generic_copy_sentence_names_nobody() -> None:
    text = (
        "Minister of Justice\nTang Yijun\n10 Chaoyangmen Nandajie\nBeijing 100020\n\nCopies to:\nCui Tiankai, Ambassador\n"
        "3505 International Place NW\n\nAlso send copies to diplomatic representatives accredited to your country.\n"
    )
    targets, copies, _ = officials(text)
    assert [t.name for t in targets] == ["Tang Yijun"]
    assert [(c.name, c.title) for c in copies] == [("Cui Tiankai", "Ambassador")]


def test_the_letters_subject_line_and_the_model_letter_hold_no_official() -> None:
    text = "Oberste Justizautorität\nEbrahim Raisi\nc/o Permanent Mission of Iran\n1209 Geneva\n\nNasrin Sotoudeh\n\nDear Mr. Raisi,\nPresident Rouhani should act.\n"
    subjects: list[str] = []
    targets, _, _ = find_officials(normalise(text).split("\n"), subjects)
    assert [(t.title, t.name, t.address_lines) for t in targets] == [
        ("Oberste Justizautorität", "Ebrahim Raisi", ["c/o Permanent Mission of Iran", "1209 Geneva"])
    ]
    assert subjects == ["Nasrin Sotoudeh"]
