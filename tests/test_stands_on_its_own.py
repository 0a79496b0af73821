"""The project stands on its own (issue 14, point 4): nothing reads a folder beside it or a path of one machine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: ``/work/…`` (where it was built), ``../shared`` and ``… / "shared"`` (the folder beside the checkout),
#: spelled so as not to match here.
MACHINE_PATHS = re.compile(
    "|".join([r"/work" + "/", r"\.\./" + "shared", r"/home" + "/", r"""/ ["']""" + "shared[\"']"])
)
AREAS = [
    "campaign",
    "tests",
    "bench",
    "worker",
    "docs",
    "Makefile",
    "README.md",
    "config.py",
    "wsgi.py",
    "pyproject.toml",
]
SEEDS = ROOT / "docs" / "seeds"


def text_files(area: Path):
    paths = [area] if area.is_file() else sorted(path for path in area.rglob("*") if path.is_file())
    for path in paths:
        if path.suffix in {".png", ".pdf", ".mo", ".pyc"} or path == Path(__file__).resolve():
            continue
        try:
            yield path, path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue


@pytest.mark.parametrize("area", AREAS)
def test_no_file_reads_a_path_outside_the_repository(area):
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path, text in text_files(ROOT / area)
        for number, line in enumerate(text.splitlines(), start=1)
        if MACHINE_PATHS.search(line)
    ]

    assert found == []


def test_the_demo_seeds_are_kept_in_the_repository_with_their_sources():
    seeds = sorted(path.name for path in SEEDS.glob("*.txt"))
    readme = (SEEDS / "README.md").read_text(encoding="utf-8")

    assert [name[:3] for name in seeds] == ["000", "001", "002", "003", "004"]
    assert all(f"`{name}`" in readme for name in seeds)
    assert "docs/seeds/" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Urgent Action 63.20" in (SEEDS / seeds[0]).read_text(encoding="utf-8")
