"""Follow-ups: Further Information, updates and outcome notices, and the UA they follow."""

from campaign.ua_import.followup import follow_up


def test_further_information_follows_the_ua_it_names() -> None:
    assert follow_up("Further Information on UA 47/07 (ASA 37/003/2007)", "47/07")[:2] == (True, "47/07")


def test_a_german_update_number_follows_its_base_ua() -> None:
    assert follow_up("UA-Nr: UA-250/2011-1", "UA-250/2011-1")[:2] == (True, "UA-250/2011")


def test_a_release_with_no_further_action_is_an_outcome() -> None:
    is_follow_up, _, outcome, excerpt = follow_up(
        "Dushyantha Basnayake has been released without charge.\nNo further action is requested from the UA network.",
        None,
    )
    assert (is_follow_up, outcome) == (True, "released")
    assert excerpt is not None and "released" in excerpt


def test_a_new_ua_is_not_a_follow_up() -> None:
    assert follow_up("URGENT ACTION\nTo learn about recent Urgent Action successes and updates, go to", "229/10") == (
        False,
        None,
        None,
        None,
    )
