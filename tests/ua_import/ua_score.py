#!/usr/bin/env python3
# Copied from the project's shared tools/ua_score.py (the issue 13 scorer), unchanged below this line.
"""Score parsed Urgent Actions against what a careful reader takes out of them.

    ua_score.py EXPECTED.json ACTUAL.json
    ua_score.py --dir DIR -- COMMAND ... {} ...

The second form runs COMMAND once for every DIR/ua_*.txt that has a ua_*.json beside it,
with {} replaced by the text's path, reads the JSON that COMMAND prints, and scores it.

A field counts when either side has a value: the score is the share of those fields that
agree after normalising case, spacing, quotes and punctuation. A target's organisation and
address are compared together as one postal block, ignoring punctuation and line breaks;
phone and fax numbers compare digits; Twitter handles drop the @; a field with several values
is a list and compares as a set. Headlines and asks match when their words overlap enough.
An expected value of "*" is not scored. The last line printed is the score.
"""

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

RECORD_FIELDS = ("name", "title", "organisation", "address", "email", "fax", "phone", "twitter", "salutation")
PERSON_FIELDS = ("name", "native_name", "pronouns")


def norm(value):
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value))
    text = text.translate(
        str.maketrans(
            {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "}
        )
    )
    text = re.sub(r"\s+", " ", text).strip().casefold()
    text = text.strip(" .,;:")
    return text or None


def squash(value):
    """Letters and digits only: for addresses, titles, organisations."""
    text = norm(value)
    return re.sub(r"[\W_]+", "", text) if text else None


def digits(value):
    text = re.sub(r"\D", "", str(value)) if value is not None else ""
    return text or None


def handle(value):
    text = norm(value)
    if not text:
        return None
    text = re.sub(r"^https?://(www\.)?(twitter|x)\.com/", "", text)
    return text.lstrip("@") or None


def ua_number(value):
    text = norm(value)
    if not text:
        return None
    text = re.sub(r"^(ua|urgent action)\s*:?\s*", "", text)
    return text.replace("/", ".").replace(" ", "")


FIELD_NORM = {
    "address": squash,
    "title": squash,
    "organisation": squash,
    "name": squash,
    "fax": digits,
    "phone": digits,
    "twitter": handle,
    "email": norm,
    "salutation": norm,
    "native_name": squash,
    "pronouns": squash,
}


def words(text):
    return set(re.findall(r"\w{2,}", norm(text) or ""))


def similarity(a, b):
    wa, wb = words(a), words(b)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def each(value, normalise):
    """A list of values normalises item by item into a sorted tuple; one value stays one."""
    if isinstance(value, (list, tuple)):
        items = sorted({n for n in (normalise(v) for v in value) if n})
        if len(items) > 1:
            return tuple(items)
        return items[0] if items else None
    return normalise(value)


def postal(record):
    """Organisation and address as one block of letters and digits, the organisation once."""
    organisation = squash(record.get("organisation")) or ""
    address = squash(record.get("address")) or ""
    text = address if organisation and organisation in address else organisation + address
    return text or None


def headline(value):
    return norm(value)


class Tally:
    def __init__(self):
        self.good = 0
        self.bad = 0
        self.notes = []

    def field(self, where, expected, actual, normalise=norm):
        if expected == "*":
            return
        e, a = each(expected, normalise), each(actual, normalise)
        if e is None and a is None:
            return
        if e == a or (normalise is headline and e and a and similarity(e, a) >= 0.75):
            self.good += 1
        else:
            self.bad += 1
            self.notes.append(f"{where}: expected {expected!r}, got {actual!r}")


def record_key(record):
    return " ".join(str(record.get(k) or "") for k in ("name", "title", "organisation"))


def pair_up(expected, actual, key):
    """Greedy one-to-one matching by word overlap of key(); returns (pairs, unmatched actual)."""
    left = list(actual)
    pairs = []
    for item in expected:
        best = max(left, key=lambda other: similarity(key(item), key(other)), default=None)
        if best is not None and similarity(key(item), key(best)) >= 0.3:
            left.remove(best)
            pairs.append((item, best))
        else:
            pairs.append((item, None))
    return pairs, left


def score_records(tally, name, expected, actual, fields):
    pairs, extra = pair_up(expected or [], actual or [], record_key)
    for i, (want, got) in enumerate(pairs):
        compare_record(tally, f"{name}[{i}]", want, got or {}, fields)
    for got in extra:
        compare_record(tally, f"{name}[extra]", {}, got, fields)


def compare_record(tally, where, want, got, fields):
    for field in fields:
        if field == "organisation":
            continue
        if field == "address":
            expected = "*" if want.get("address") == "*" else postal(want)
            tally.field(f"{where}.organisation+address", expected, postal(got), lambda v: v)
        else:
            tally.field(f"{where}.{field}", want.get(field), got.get(field), FIELD_NORM[field])


def score_asks(tally, expected, actual):
    left = [a for a in (actual or []) if norm(a)]
    for i, want in enumerate(expected or []):
        best = max(left, key=lambda got: similarity(want, got), default=None)
        if best is not None and similarity(want, best) >= 0.5:
            left.remove(best)
            tally.good += 1
        else:
            tally.bad += 1
            tally.notes.append(f"asks[{i}]: not found: {want!r}")
    for got in left:
        tally.bad += 1
        tally.notes.append(f"asks[extra]: {got!r}")


def score(expected, actual):
    tally = Tally()
    if not isinstance(actual, dict):
        actual = {}
    tally.field("ua_number", expected.get("ua_number"), actual.get("ua_number"), ua_number)
    tally.field("ai_index", expected.get("ai_index"), actual.get("ai_index"), squash)
    tally.field("headline", expected.get("headline"), actual.get("headline"), headline)
    tally.field("deadline", expected.get("deadline"), actual.get("deadline"))
    score_records(tally, "people", expected.get("people"), actual.get("people"), PERSON_FIELDS)
    score_records(tally, "targets", expected.get("targets"), actual.get("targets"), RECORD_FIELDS)
    score_records(tally, "copies", expected.get("copies"), actual.get("copies"), RECORD_FIELDS)
    score_asks(tally, expected.get("asks"), actual.get("asks"))
    want = {norm(x) for x in expected.get("preferred_languages") or []}
    got = {norm(x) for x in actual.get("preferred_languages") or [] if norm(x)}
    tally.good += len(want & got)
    tally.bad += len(want ^ got)
    if want != got:
        tally.notes.append(f"preferred_languages: expected {sorted(want)}, got {sorted(got)}")
    return tally


def run_command(command, text_path):
    argv = [str(text_path) if part == "{}" else part for part in command]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        return None, f"exit {done.returncode}: {(done.stderr or done.stdout).strip()[-300:]}"
    try:
        return json.loads(done.stdout), None
    except json.JSONDecodeError as error:
        return None, f"not JSON ({error}): {done.stdout.strip()[:200]!r}"


def main(argv):
    if len(argv) == 2 and argv[0] != "--dir":
        tally = score(json.loads(Path(argv[0]).read_text()), json.loads(Path(argv[1]).read_text()))
        print("\n".join(tally.notes))
        total = tally.good + tally.bad
        print(f"score {tally.good / max(total, 1):.3f} ({tally.good}/{total} fields)")
        return 0
    if len(argv) >= 4 and argv[0] == "--dir" and argv[2] == "--":
        good = bad = texts = 0
        for expected_path in sorted(Path(argv[1]).glob("ua_*.json")):
            text_path = expected_path.with_suffix(".txt")
            if not text_path.exists():
                continue
            texts += 1
            actual, problem = run_command(argv[3:], text_path)
            tally = score(json.loads(expected_path.read_text()), actual or {})
            if problem:
                tally.notes.insert(0, f"command failed: {problem}")
            good, bad = good + tally.good, bad + tally.bad
            print(f"== {text_path.name}: {tally.good}/{tally.good + tally.bad}")
            for note in tally.notes:
                print(f"   {note}")
        print(f"score {good / max(good + bad, 1):.3f} ({good}/{good + bad} fields, {texts} texts)")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
