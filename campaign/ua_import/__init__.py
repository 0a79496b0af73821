"""Turn an Urgent Action's published text into the fields of a draft case."""

from campaign.ua_import.parser import NotAnUrgentAction, Official, ParsedUrgentAction, Person, parse_urgent_action

__all__ = ["NotAnUrgentAction", "Official", "ParsedUrgentAction", "Person", "parse_urgent_action"]
