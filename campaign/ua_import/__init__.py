"""Turn an Urgent Action's published text into the fields of a draft case.

`parse_urgent_action(text)` is the one entry point; the modules beside this one each read one
part of a UA (see `parser.py` for the order).
"""

from campaign.ua_import.models import NotAnUrgentAction, Official, ParsedUrgentAction, Person
from campaign.ua_import.parser import parse_urgent_action

__all__ = ["NotAnUrgentAction", "Official", "ParsedUrgentAction", "Person", "parse_urgent_action"]
