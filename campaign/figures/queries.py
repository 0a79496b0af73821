"""Reading the figures for officials: built from ``campaign.actions.totals`` only, never from raw reports.

A figures document is plain JSON-able data (the same shape whether live or frozen in a snapshot),
so one set of templates renders the page, the PDF and the CSV, and a snapshot re-renders exactly
what its hash covers. Countries below ``FIGURES_COUNTRY_FLOOR`` actions are folded into "other
countries" here, once, so that no output can show a lone supporter's country.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from campaign.actions.totals import CaseTotals, case_totals, case_totals_by_day
from campaign.cases.models import Case, CaseTarget, Target, TargetRole
from campaign.cases.translations import localised_case
from campaign.extensions import db
from campaign.figures.models import DeliveryRecord, FiguresJob, FiguresSnapshot
from campaign.languages import html_lang

#: Bumped whenever the document's shape changes, so an old snapshot still says how to read it.
DOCUMENT_FORMAT = 3
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def figures_languages() -> tuple[str, ...]:
    """The languages the figures can be rendered in: those with a translation."""
    return tuple(current_app.config["LANGUAGES"])


def base_language(code: str | None) -> str | None:
    """ "zh-Hans-CN" → "zh"."""
    if not code:
        return None
    return code.replace("_", "-").split("-")[0].lower()


def preferred_figures_language(case: Case, target: Target | None) -> str:
    """The target's language, else the case's first preferred language, that has a translation; else the default."""
    available = figures_languages()
    candidates = [target.preferred_language if target else None, *(case.preferred_languages or [])]
    for code in candidates:
        language = base_language(code)
        if language in available:
            return language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def case_target(case: Case, target_id: int) -> Target | None:
    """One of the case's targets or copies, or None when the id is not linked to the case."""
    for link in case.target_links:
        if link.target_id == target_id:
            return link.target
    return None


def own_name(target: Target, language: str) -> dict | None:
    """The official's name as they write it, when the document is in their language and it is known.

    ``{"text": ..., "language": <BCP 47 for the lang attribute>}``, else None (the English display name is shown).
    """
    if not target.name_in_own_language or base_language(target.preferred_language) != language:
        return None
    return {"text": target.name_in_own_language, "language": html_lang(target.preferred_language)}


def _target_entry(target: Target, language: str) -> dict:
    return {
        "id": target.id,
        "name": target.name,
        "title": target.title,
        "organisation": target.organisation,
        "display_name": target.display_name,
        "own_name": own_name(target, language),
    }


def _by_target(case: Case, totals: CaseTotals, language: str) -> list[dict]:
    links = sorted(case.target_links, key=lambda link: (link.role != TargetRole.TARGET, link.position))
    rows = [
        {**_target_entry(link.target, language), "role": link.role, "actions": totals.by_target.get(link.target_id, 0)}
        for link in links
    ]
    linked = {link.target_id for link in links}
    unlinked_ids = [target_id for target_id in totals.by_target if target_id not in linked]
    if unlinked_ids:
        for target in db.session.scalars(select(Target).where(Target.id.in_(unlinked_ids)).order_by(Target.id)):
            rows.append({**_target_entry(target, language), "role": None, "actions": totals.by_target[target.id]})
    return rows


def _iso_date(value) -> str | None:
    return value.isoformat() if value else None


def actions_period(case: Case, totals: CaseTotals) -> dict:
    """The first and last day with counted actions; before any, from the case's issue to the "as of" day."""
    days = sorted(day for day, count in case_totals_by_day(case.id).items() if count)
    if days:
        return {"from": days[0].isoformat(), "to": days[-1].isoformat()}
    start = case.issued_on or case.created_at.date()
    return {"from": start.isoformat(), "to": totals.as_of.date().isoformat()}


def figures_document(case: Case, target: Target | None, language: str) -> dict:
    """The figures of a case (or of one target in it) now, as a plain JSON-able document.

    The headline and asks are the case's translation into ``language`` where it has one (an
    official reads them in their language), else the original; an official whose language it is
    is named as they write their name (``own_name``) where the console has it.
    """
    totals = case_totals(case.id)
    words = localised_case(case, language)
    floor = current_app.config["FIGURES_COUNTRY_FLOOR"]
    shown_countries, other_countries = totals.countries_at_least(floor)
    figures = {
        "total": totals.total,
        "by_type": [[action_type, count] for action_type, count in totals.by_type.items()],
        "countries": totals.countries,
        "by_country": [[code, count] for code, count in shown_countries.items()],
        "other_countries": other_countries,
        "country_floor": floor,
        "by_target": _by_target(case, totals, language),
        "to_all_targets": totals.to_all_targets,
        "period": actions_period(case, totals),
        "addressed": None,
    }
    if target is not None:
        direct = totals.by_target.get(target.id, 0)
        figures["addressed"] = {
            "total": direct + totals.to_all_targets,
            "direct": direct,
            "to_all_targets": totals.to_all_targets,
        }
    return {
        "format": DOCUMENT_FORMAT,
        "case": {
            "slug": case.slug,
            "ua_number": case.ua_number,
            "ai_index": case.ai_index,
            "headline": words.headline.text,
            "headline_language": words.headline.language,
            "people": [{"name": person.name, "native_name": person.native_name} for person in case.people],
            "asks": [ask.text for ask in words.asks],
            "asks_language": words.asks[0].language if words.asks else language,
            "issued_on": _iso_date(case.issued_on),
            "deadline_on": _iso_date(case.deadline_on),
        },
        "target": _target_entry(target, language) if target is not None else None,
        "language": language,
        "as_of": totals.as_of.isoformat(),
        "figures": figures,
    }


def canonical_json(document: dict) -> str:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8 characters kept."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def sha256_of(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def as_of_of(document: dict) -> datetime:
    return datetime.fromisoformat(document["as_of"])


def snapshot_by_sha256(sha256: str) -> FiguresSnapshot | None:
    """The snapshot with this hash; None for anything that is not a stored snapshot's hash."""
    if not SHA256_HEX.match(sha256):
        return None
    return db.session.scalar(select(FiguresSnapshot).where(FiguresSnapshot.sha256 == sha256))


def snapshot_document(snapshot: FiguresSnapshot) -> dict:
    """The figures exactly as frozen."""
    return json.loads(snapshot.canonical_json)


def latest_snapshot(case_id: int, target_id: int | None = None) -> FiguresSnapshot | None:
    """The most recent snapshot of a case's figures (or of one target's)."""
    target_filter = FiguresSnapshot.target_id.is_(None) if target_id is None else FiguresSnapshot.target_id == target_id
    statement = (
        select(FiguresSnapshot)
        .where(FiguresSnapshot.case_id == case_id, target_filter)
        .order_by(FiguresSnapshot.created_at.desc(), FiguresSnapshot.id.desc())
        .limit(1)
    )
    return db.session.scalar(statement)


def snapshots_for_case(case_id: int) -> list[FiguresSnapshot]:
    """A case's snapshots, newest first, with their deliveries."""
    statement = (
        select(FiguresSnapshot)
        .where(FiguresSnapshot.case_id == case_id)
        .options(selectinload(FiguresSnapshot.deliveries), selectinload(FiguresSnapshot.target))
        .order_by(FiguresSnapshot.created_at.desc(), FiguresSnapshot.id.desc())
    )
    return list(db.session.scalars(statement))


def deliveries_for_case(case_id: int) -> list[DeliveryRecord]:
    """Every recorded delivery of a case's figures, oldest first: for the case's timeline."""
    statement = (
        select(DeliveryRecord)
        .join(FiguresSnapshot)
        .where(FiguresSnapshot.case_id == case_id)
        .options(selectinload(DeliveryRecord.target))
        .order_by(DeliveryRecord.delivered_at, DeliveryRecord.id)
    )
    return list(db.session.scalars(statement))


def figures_job(job_id: int) -> FiguresJob | None:
    return db.session.get(FiguresJob, job_id)


def jobs_for_case(case_id: int, limit: int = 10) -> list[FiguresJob]:
    """The case's latest snapshot requests, newest first, for the console's progress list."""
    statement = (
        select(FiguresJob)
        .where(FiguresJob.case_id == case_id)
        .order_by(FiguresJob.created_at.desc(), FiguresJob.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def case_for_figures(case_id: int) -> Case | None:
    """A case with what its figures show (people, asks, targets), any status."""
    statement = (
        select(Case)
        .where(Case.id == case_id)
        .options(
            selectinload(Case.people),
            selectinload(Case.asks),
            selectinload(Case.target_links).joinedload(CaseTarget.target),
            selectinload(Case.translations),
        )
    )
    return db.session.scalar(statement)


def cases_with_latest_snapshot() -> list[tuple[Case, FiguresSnapshot | None]]:
    """Public cases (active first, then closed), each with its latest whole-case snapshot."""
    cases = db.session.scalars(
        select(Case).where(Case.status != "draft").order_by(Case.status, Case.deadline_on.desc(), Case.id)
    )
    return [(case, latest_snapshot(case.id)) for case in cases]
