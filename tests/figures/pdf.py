"""Reading a PDF back with poppler-utils, as an official's tools would."""

from __future__ import annotations

import subprocess
from pathlib import Path


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """What ``pdftotext -enc UTF-8`` reads from the PDF: what an official's copy-paste gives."""
    path = tmp_path / "figures.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, timeout=30
    ).stdout.decode("utf-8")


def pdf_fonts(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    """The rows of ``pdffonts``: name, type, encoding, emb, sub, uni, object, generation."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, timeout=30).stdout.decode()
    return [line.split() for line in output.splitlines()[2:] if line.strip()]


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, timeout=30).stdout.decode()
    return int(next(line.split()[-1] for line in output.splitlines() if line.startswith("Pages:")))
