"""The Chinese catalogue: committed compiled, current with its .po, and complete for the figures."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
FIGURES_SOURCES = ("templates/figures/", "campaign/figures/")


def test_the_committed_chinese_mo_is_compiled_from_the_current_po():
    po_path = TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="zh")
    compiled = io.BytesIO()
    write_mo(compiled, catalog)

    committed = (TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.mo").read_bytes()

    assert committed == compiled.getvalue(), "run: .venv/bin/pybabel compile -d translations"
    assert read_mo(io.BytesIO(committed)).get("Figures for officials").string == "致官员的统计数据"


def test_every_string_of_the_figures_has_a_chinese_translation():
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    with (TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        chinese = read_po(handle, locale="zh")
    figures_ids = {
        message.id
        for message in template
        if message.id and any(path.startswith(FIGURES_SOURCES) for path, _line in message.locations)
    }
    assert figures_ids, "the template lists where each string comes from"

    untranslated = [message_id for message_id in figures_ids if not _translated(chinese.get(message_id))]

    assert not untranslated


def _translated(message) -> bool:
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)
