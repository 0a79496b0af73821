"""The importer scored as the issue's acceptance scores it, in-process, on texts kept in the repository.

`examples/` holds the 34 real UA texts and their ground truth (sources in examples/README.md);
`own_layouts/` holds texts written for this project in other layouts, with their ground truth.
`ua_score.py` is the issue's scorer, copied unchanged.
"""

import json
from pathlib import Path

from campaign.ua_import import NotAnUrgentAction, parse_urgent_action
from tests.ua_import.ua_score import score

HERE = Path(__file__).parent


def share_of_fields_read(directory: Path) -> float:
    good = bad = 0
    for expected_path in sorted(directory.glob("ua_*.json")):
        text = expected_path.with_suffix(".txt").read_text(encoding="utf-8")
        try:
            actual = parse_urgent_action(text).as_json()
        except NotAnUrgentAction:
            actual = {}
        tally = score(json.loads(expected_path.read_text(encoding="utf-8")), actual)
        good, bad = good + tally.good, bad + tally.bad
    return good / (good + bad)


def test_real_examples_are_read_as_a_careful_reader_would() -> None:
    assert share_of_fields_read(HERE / "examples") >= 0.95


def test_own_layouts_are_read_as_a_careful_reader_would() -> None:
    assert share_of_fields_read(HERE / "own_layouts") >= 0.90


def test_every_example_text_has_its_ground_truth_and_source() -> None:
    texts = sorted(path.stem for path in (HERE / "examples").glob("ua_*.txt"))
    assert texts == sorted(path.stem for path in (HERE / "examples").glob("ua_*.json"))
    readme = (HERE / "examples" / "README.md").read_text(encoding="utf-8")
    assert all(
        json.loads((HERE / "examples" / f"{stem}.json").read_text(encoding="utf-8")).get("source")
        or stem in ("ua_000", "ua_001")
        for stem in texts
    )
    assert "ua_146" in readme
