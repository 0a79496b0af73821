"""The figures' PDF sets Chinese, Cyrillic and Arabic (shaped, right to left) with Debian's Noto fonts:
rendered to an image with pdftoppm and read back with pdftotext, as an official's tools would."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from campaign.cases.models import CaseTranslation
from tests.figures.pdf import pdf_fonts, pdf_text

#: A4 in PostScript points, and the PDF's 16 mm side margins.
PAGE_WIDTH = 595.3
MARGIN = 16 / 25.4 * 72

HEADLINES = {
    "zh": ("哈萨克族艺术家面临遭受酷刑的危险", ("Noto-Sans-CJK-SC",)),
    "ru": ("Художница из Синьцзяна в опасности", ("Noto-Sans", "Noto-Sans-Bold")),
    "kk": ("Суретші әйел азаптау қаупінде тұр", ("Noto-Sans", "Noto-Sans-Bold")),
    "ar": ("فنانة كازاخية معرضة لخطر التعذيب", ("Noto-Sans-Arabic", "Noto-Sans-Arabic-Bold")),
}


def word_boxes(pdf: bytes, tmp_path: Path) -> list[tuple[float, float, str]]:
    """(xMin, xMax, word) of every word, from ``pdftotext -bbox``."""

    path = tmp_path / "boxes.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, timeout=30
    ).stdout.decode("utf-8")
    return [
        (float(x_min), float(x_max), word)
        for x_min, x_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', html
        )
    ]


def rendered_ink(pdf: bytes, tmp_path: Path) -> float:
    """The share of dark pixels on the first page rendered by pdftoppm (grey, 40 dpi)."""
    path = tmp_path / "ink.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    image = next(tmp_path.glob("page*.pgm")).read_bytes()
    # A binary PGM: "P5\n<width> <height>\n255\n" then one byte a pixel.
    header_end = image.index(b"\n255\n") + 5
    pixels = image[header_end:]
    return sum(1 for value in pixels if value < 128) / len(pixels)


@pytest.mark.parametrize("language", HEADLINES)
def test_figures_pdf_sets_the_case_in_its_own_script_with_an_embedded_noto_font(
    client, db, make_case, tmp_path, language
):
    headline, font_names = HEADLINES[language]
    case = make_case()
    db.session.add(CaseTranslation(case_id=case.id, language=language, headline=headline, asks=[]))
    db.session.commit()

    pdf = client.get(f"/cases/{case.slug}/figures.pdf?lang={language}")
    assert pdf.status_code == 200

    text = pdf_text(pdf.data, tmp_path)
    assert headline in " ".join(text.split())
    # Shaped: the text is read back as letters, never as the isolated "presentation forms" of unshaped Arabic.
    assert not any(
        unicodedata.name(character, "").startswith("ARABIC LETTER") and "FORM" in unicodedata.name(character)
        for character in text
    )
    fonts = pdf_fonts(pdf.data, tmp_path)
    embedded = [row[0].split("+", 1)[-1] for row in fonts]
    assert any(name.startswith(font_names) if language == "zh" else name in font_names for name in embedded), fonts
    assert all(row[-5] == "yes" for row in fonts), fonts
    assert rendered_ink(pdf.data, tmp_path) > 0.01


def test_an_arabic_figures_pdf_is_laid_out_right_to_left(client, db, make_case, tmp_path):
    headline, _ = HEADLINES["ar"]
    case = make_case()
    db.session.add(CaseTranslation(case_id=case.id, language="ar", headline=headline, asks=[]))
    db.session.commit()

    arabic = word_boxes(client.get(f"/cases/{case.slug}/figures.pdf?lang=ar").data, tmp_path)
    # -bbox gives each word's letters in visual order (right to left), so an Arabic word reads reversed there.
    title = [(x_min, x_max, word[::-1]) for x_min, x_max, word in arabic if word[::-1] in headline.split()]
    assert title, "\n".join(map(repr, arabic[:30]))
    # The headline ends at the right margin and its first word is the rightmost.
    assert max(x_max for _, x_max, _ in title) > PAGE_WIDTH - MARGIN - 6
    first_word = next(box for box in title if box[2] == headline.split()[0])
    assert first_word[1] == max(x_max for _, x_max, _ in title)

    english = word_boxes(client.get(f"/cases/{case.slug}/figures.pdf?lang=en").data, tmp_path)
    first = next(box for box in english if box[2] == case.headline.split()[0])
    assert first[0] < MARGIN + 6


def placed_words(pdf: bytes, tmp_path: Path) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) of every word of the first page, from ``pdftotext -bbox``."""
    path = tmp_path / "placed.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        timeout=30,
    ).stdout.decode("utf-8")
    return [
        (float(x_min), float(y_min), float(x_max), float(y_max), word)
        for x_min, y_min, x_max, y_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html
        )
    ]


#: Countries with distinct counts, so that each number on the page belongs to one country.
COUNTRY_COUNTS = {"KZ": 20, "DE": 19, "GB": 17, "FR": 15, "NL": 13, "US": 11, "JP": 9, "TR": 7}


@pytest.mark.parametrize("language", ["ar", "en", "ru"])
def test_each_country_of_the_figures_pdf_sits_beside_its_own_number_without_overlap(
    app, client, db, make_case, tmp_path, monkeypatch, language
):
    monkeypatch.setitem(app.config, "REVIEW_REPEAT_LIMIT", len(COUNTRY_COUNTS))
    case = make_case()
    for country, count in COUNTRY_COUNTS.items():
        answer = client.post(
            f"/api/v1/cases/{case.slug}/actions", json={"action_type": "email", "count": count, "country": country}
        )
        assert answer.get_json()["counted"] == count, answer.get_json()

    words = placed_words(client.get(f"/cases/{case.slug}/figures.pdf?lang={language}").data, tmp_path)
    numbers = {int(word): (x_min, y_min, x_max) for x_min, y_min, x_max, _, word in words if word.isdigit()}
    placed = [numbers[count] for count in COUNTRY_COUNTS.values()]
    top, bottom = min(y for _, y, _ in placed) - 2, max(y for _, y, _ in placed) + 12
    by_country = [word for word in words if top <= word[1] <= bottom]

    for index, first in enumerate(by_country):
        for second in by_country[index + 1 :]:
            overlap_x = min(first[2], second[2]) - max(first[0], second[0])
            overlap_y = min(first[3], second[3]) - max(first[1], second[1])
            # Word boxes span the font's whole ascent and descent, so lines may touch; words may not.
            shorter = min(first[3] - first[1], second[3] - second[1])
            assert overlap_x < 1 or overlap_y < 0.4 * shorter, (first, second)

    # Row by row, three to a row, in the reading direction: the largest country first.
    for row_start in range(0, len(placed), 3):
        row = placed[row_start : row_start + 3]
        assert max(y for _, y, _ in row) - min(y for _, y, _ in row) < 2, row
        xs = [x_min for x_min, _, _ in row]
        assert xs == (sorted(xs, reverse=True) if language == "ar" else sorted(xs)), row
