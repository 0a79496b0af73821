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
