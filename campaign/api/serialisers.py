"""What the public API shows of cases and totals: never anything about a supporter."""

from __future__ import annotations

from flask import current_app

from campaign.actions.totals import CaseTotals, RecentTotals
from campaign.cases.models import Case


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def case_summary(case: Case, total: int) -> dict:
    return {
        "slug": case.slug,
        "ua_number": case.ua_number,
        "headline": case.headline,
        "status": case.status,
        "deadline": _iso(case.deadline_on),
        "total": total,
    }


def case_detail(case: Case, total: int) -> dict:
    return {
        **case_summary(case, total),
        "ai_index": case.ai_index,
        "issued": _iso(case.issued_on),
        "outcome": case.outcome,
        "goal": case.goal,
        "people": [
            {"name": person.name, "native_name": person.native_name, "pronouns": person.pronouns}
            for person in case.people
        ],
        "targets": [
            {
                "id": link.target.id,
                "role": link.role,
                "name": link.target.name,
                "title": link.target.title,
                "organisation": link.target.organisation,
                "address": link.target.address,
                "emails": link.target.emails,
                "faxes": link.target.faxes,
                "phones": link.target.phones,
                "twitter": link.target.twitter,
                "salutation": link.target.salutation,
                "name_in_own_language": link.target.name_in_own_language,
            }
            for link in case.target_links
        ],
        "asks": [ask.text for ask in case.asks],
        "preferred_languages": case.preferred_languages,
    }


def case_totals_body(totals: CaseTotals, recent: RecentTotals) -> dict:
    """A case's public totals; countries and recent counts under ``FIGURES_COUNTRY_FLOOR`` actions are folded, as in the figures."""
    floor = current_app.config["FIGURES_COUNTRY_FLOOR"]
    by_country, other_countries = totals.countries_at_least(floor)
    recent = recent.folded(floor)
    return {
        "total": totals.total,
        "last_24h": recent.last_24h,
        "last_7d": recent.last_7d,
        "by_type": totals.by_type,
        "by_country": by_country,
        "other_countries": {**other_countries, "floor": floor},
        "countries": totals.countries,
        "by_target": {str(target_id): count for target_id, count in totals.by_target.items()},
        "to_all_targets": totals.to_all_targets,
        "as_of": totals.as_of.isoformat(),
    }
