"""Officials named as they name themselves: in the figures in their own language, and on the action page."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from tests.figures.pdf import pdf_text

ENGLISH_NAME = "Party Secretary of Xinjiang Ma Xingrui"
OWN_NAME = "新疆维吾尔自治区党委书记 马兴瑞"


@pytest.fixture
def case_for_a_chinese_official(db, make_case):
    """A case whose target prefers Chinese and has its name in Chinese; the copy has none."""
    case = make_case()
    official = case.target_links[0].target
    official.name, official.title, official.organisation = "Ma Xingrui", "Party Secretary of Xinjiang", None
    official.preferred_language = "zh"
    official.name_in_own_language = OWN_NAME
    db.session.commit()
    assert official.display_name == ENGLISH_NAME
    return case


def officials_breakdown(page: str) -> str:
    """The "by official addressed" part of a figures page."""
    match = re.search(r'id="figures-by-target".*?</table>', page, re.DOTALL)
    assert match, "the page has no breakdown by official"
    return match.group(0)


def without_spaces(text: str) -> str:
    """Text as a PDF's reader gets it, whatever lines a narrow column broke it into."""
    return "".join(text.split())


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_chinese_figures_name_the_official_in_chinese_marked_as_chinese(client, case_for_a_chinese_official):
    case = case_for_a_chinese_official
    official = case.target_links[0].target

    breakdown = officials_breakdown(client.get(f"/cases/{case.slug}/figures?lang=zh").get_data(as_text=True))
    assert f'<span class="figures__own-name" lang="zh" dir="ltr">{OWN_NAME}</span>' in breakdown
    assert ENGLISH_NAME not in breakdown
    assert "Ambassador Cui Tiankai" in breakdown, "an official without a Chinese name keeps the English one"

    addressed = client.get(f"/cases/{case.slug}/figures?lang=zh&target={official.id}").get_data(as_text=True)
    addressee = re.search(r'<p class="figures__addressee">.*?</p>', addressed, re.DOTALL).group(0)
    assert OWN_NAME in addressee and ENGLISH_NAME not in addressee


def test_chinese_pdf_and_csv_name_the_official_in_chinese(client, case_for_a_chinese_official, tmp_path):
    case = case_for_a_chinese_official
    official = case.target_links[0].target

    for path in (
        f"/cases/{case.slug}/figures.pdf?lang=zh",
        f"/cases/{case.slug}/figures.pdf?lang=zh&target={official.id}",
    ):
        text = pdf_text(client.get(path).data, tmp_path)
        assert without_spaces(OWN_NAME) in without_spaces(text), path
        assert "Xingrui" not in text, path

    rows = csv_rows(client.get(f"/cases/{case.slug}/figures.csv?lang=zh&target={official.id}").get_data(as_text=True))
    labels = {(row[0], row[1]): row[2] if row[0] == "by_target" else row[3] for row in rows[1:]}
    assert labels[("by_target", str(official.id))] == OWN_NAME
    assert labels[("target", str(official.id))] == OWN_NAME


def test_english_figures_keep_the_english_name(client, case_for_a_chinese_official, tmp_path):
    case = case_for_a_chinese_official

    breakdown = officials_breakdown(client.get(f"/cases/{case.slug}/figures?lang=en").get_data(as_text=True))
    assert ENGLISH_NAME in breakdown
    assert OWN_NAME not in breakdown

    text = pdf_text(client.get(f"/cases/{case.slug}/figures.pdf?lang=en").data, tmp_path)
    assert without_spaces(ENGLISH_NAME) in without_spaces(text)
    assert "马兴瑞" not in text


def test_a_frozen_chinese_snapshot_names_the_official_in_chinese(client, case_for_a_chinese_official, freeze):
    case = case_for_a_chinese_official
    official = case.target_links[0].target
    snapshot = freeze(case, official, "zh")

    document = json.loads(client.get(f"/figures/verify/{snapshot.sha256}.json").get_data(as_text=True))
    assert document["target"]["own_name"] == {"text": OWN_NAME, "language": "zh"}
    verify = client.get(f"/figures/verify/{snapshot.sha256}").get_data(as_text=True)
    assert OWN_NAME in verify


def test_the_action_page_shows_the_officials_own_name_with_its_language(client, case_for_a_chinese_official):
    page = client.get(f"/cases/{case_for_a_chinese_official.slug}?lang=en").get_data(as_text=True)

    assert ENGLISH_NAME in page
    assert f'<p class="contact__own-name" lang="zh" dir="auto">{OWN_NAME}</p>' in page
    assert page.count('class="contact__own-name"') == 1, "an official without one gets no second line"


def test_the_api_gives_the_officials_own_name(client, case_for_a_chinese_official):
    body = client.get(f"/api/v1/cases/{case_for_a_chinese_official.slug}").get_json()

    assert [target["name_in_own_language"] for target in body["targets"]] == [OWN_NAME, None]
