"""`python -m campaign.ua_import FILE`: print the fields parsed from a UA's text as JSON."""

import json
import sys
from pathlib import Path

from campaign.ua_import import NotAnUrgentAction, parse_urgent_action


def main(argv: list[str]) -> int:
    """Parse the file named in argv and print its fields; exit 1 when it is not a UA."""
    if len(argv) != 1:
        print("usage: python -m campaign.ua_import FILE", file=sys.stderr)
        return 2
    try:
        text = Path(argv[0]).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"Cannot read {argv[0]}: {error}", file=sys.stderr)
        return 2
    try:
        parsed = parse_urgent_action(text)
    except NotAnUrgentAction as error:
        print(error, file=sys.stderr)
        return 1
    print(json.dumps(parsed.as_json(), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
