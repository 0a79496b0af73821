"""What is left to translate in a catalogue, and writing translations back into it.

After `make translations` has brought every catalogue up to date with the extracted strings:

    .venv/bin/python translations/worklist.py list ru --batch 80     # untranslated or fuzzy entries, as JSON
    .venv/bin/python translations/worklist.py apply ru answers.json   # {"msgid": "msgstr" or [plural forms]}
    make install                                                       # compiles the .po newer than its .mo

`apply` clears the fuzzy flag of each entry it fills; tests/test_translations.py says what is still missing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

TRANSLATIONS = Path(__file__).resolve().parent


def catalog_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def read_catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def is_translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return not message.fuzzy and all(strings)


def to_do(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id and not is_translated(message)]


def list_entries(language: str, batch: int, offset: int) -> None:
    """Print the untranslated or fuzzy entries, ``batch`` at a time from ``offset``, with where each is used."""
    catalog = read_catalog(language)
    pending = to_do(catalog)
    entries = [
        {
            "id": list(message.id) if isinstance(message.id, (list, tuple)) else message.id,
            "plural_forms": catalog.num_plurals if isinstance(message.id, (list, tuple)) else None,
            "where": sorted({path for path, _line in message.locations}),
            "fuzzy": message.string if message.fuzzy else None,
        }
        for message in pending[offset : offset + batch]
    ]
    json.dump({"left": len(pending), "entries": entries}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def apply_entries(language: str, answers_path: Path) -> None:
    """Write the translations of a JSON object keyed by msgid (a plural by its singular) into the catalogue."""
    catalog = read_catalog(language)
    answers = json.loads(answers_path.read_text(encoding="utf-8"))
    unknown = []
    for message_id, translation in answers.items():
        message = catalog.get(message_id)
        if message is None or not message.id:
            unknown.append(message_id)
            continue
        if isinstance(message.id, (list, tuple)):
            forms = [translation] if isinstance(translation, str) else list(translation)
            if len(forms) != catalog.num_plurals:
                raise SystemExit(f"{message_id!r}: {len(forms)} forms given, {catalog.num_plurals} needed")
            message.string = tuple(forms)
        else:
            message.string = translation
        message.flags.discard("fuzzy")
        message.previous_id = []
    with catalog_path(language).open("wb") as handle:
        write_po(handle, catalog, ignore_obsolete=True)
    print(f"{len(answers) - len(unknown)} written, {len(to_do(catalog))} left in {language}")
    for message_id in unknown:
        print(f"not in the catalogue: {message_id!r}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list")
    listing.add_argument("language")
    listing.add_argument("--batch", type=int, default=60)
    listing.add_argument("--offset", type=int, default=0)
    applying = commands.add_parser("apply")
    applying.add_argument("language")
    applying.add_argument("answers", type=Path)
    arguments = parser.parse_args()
    if arguments.command == "list":
        list_entries(arguments.language, arguments.batch, arguments.offset)
    else:
        apply_entries(arguments.language, arguments.answers)


if __name__ == "__main__":
    main()
