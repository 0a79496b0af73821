"""CSV of reports without personal data, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

#: A cell starting with one of these is read as a formula by spreadsheets (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: object) -> str:
    """The cell as text, with a leading apostrophe when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The CSV, line by line, every cell escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_cell(name) for name in header])
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([escape_cell(cell) for cell in row])
        yield buffer.getvalue()
