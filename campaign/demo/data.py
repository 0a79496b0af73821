"""The demo content, taken from the seed documents kept in ``docs/seeds/`` (their sources are in its README).

Every person the seeds name as detained or at risk is a case. The two Urgent Actions (seeds 000
and 001) keep their real targets, asks and sample letters; the people in the three news reports
(seeds 002, 003 and 004) get the officials or offices the articles name, asks drawn from what
the articles report, and a story condensed from the article's own words. Contact details appear
only where a seed gives them. A person's status and dates are given relative to the day of
loading (``campaign.demo.loader`` turns them into dates), so the demo always has live deadlines.
"""

from __future__ import annotations

from campaign.actions.models import ActionType
from campaign.demo.news_reports import (
    ADILGAZY_MUQAI,
    ARZEGUL_HALAMBEK,
    BAIMURAT_NAURYZBEK,
    JENGISNEK_HUSBAND,
    MURAGER_ALIMULY,
    QASTER_MUSAKHANULY,
)
from campaign.demo.records import CaseData
from campaign.demo.urgent_actions import NAGYZ_MUHAMMED, ZHANARGUL_ZHUMATAI

DEMO_CASES: tuple[CaseData, ...] = (
    ZHANARGUL_ZHUMATAI,
    NAGYZ_MUHAMMED,
    BAIMURAT_NAURYZBEK,
    MURAGER_ALIMULY,
    QASTER_MUSAKHANULY,
    ARZEGUL_HALAMBEK,
    ADILGAZY_MUQAI,
    JENGISNEK_HUSBAND,
)

#: Where demo supporters report from, with a realistic skew: most from a few countries.
COUNTRY_WEIGHTS: dict[str, int] = {
    "DE": 16, "GB": 14, "US": 12, "FR": 9, "NL": 8, "KZ": 7, "CA": 6, "AU": 5, "BE": 4, "CH": 4,
    "SE": 4, "ES": 3, "IT": 3, "AT": 3, "DK": 2, "NO": 2, "IE": 2, "PL": 2, "NZ": 2, "JP": 2,
    "FI": 1, "PT": 1, "CZ": 1, "KR": 1, "TW": 1, "MX": 1, "BR": 1, "ZA": 1, "TR": 1, "KG": 1,
}  # fmt: skip

ACTION_TYPE_WEIGHTS: dict[ActionType, int] = {
    ActionType.LETTER: 30,
    ActionType.EMAIL: 28,
    ActionType.TWEET: 14,
    ActionType.CALL: 8,
    ActionType.FAX: 6,
    ActionType.OTHER: 6,
}

#: A few supporters give a name (never an email) so the console has something to show.
SUPPORTER_NAMES: tuple[str, ...] = ("Anna K.", "Jonas B.", "Marie L.", "Tom W.", "Sofia R.", "Lukas M.")
