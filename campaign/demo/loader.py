"""Load the demo cases, targets and reports; a second run on the same day changes nothing.

Cases are matched by slug and targets by (name, organisation); a case's people, asks, letters,
target links and timeline are rewritten only when they differ from the demo data, and reports are
invented only for a case that has none, from a fixed random seed. Dates are set relative to the
day of loading so that the demo always has live deadlines.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from campaign.actions.hold_reasons import COUNT_ABOVE_THRESHOLD
from campaign.actions.models import ActionReport, ActionType, ReportSource, ReviewState
from campaign.audit.operations import record_audit
from campaign.cases.models import (
    Ask,
    Case,
    CaseStatus,
    CaseTarget,
    CaseTranslation,
    ModelLetter,
    Person,
    Target,
    TargetRole,
    TimelineEntry,
    TimelineKind,
)
from campaign.demo.data import ACTION_TYPE_WEIGHTS, COUNTRY_WEIGHTS, DEMO_CASES, SUPPORTER_NAMES
from campaign.demo.records import CaseData, TargetData
from campaign.demo.translations import CASE_TRANSLATIONS
from campaign.extensions import db

#: Demo reports stop this long before midnight UTC of the day of loading, so that none is in the
#: future wherever the command runs (local dates run at most 14 hours ahead of UTC).
REPORTS_END_BEFORE_MIDNIGHT = timedelta(hours=14)
REPORTS_WINDOW = timedelta(days=30)
#: Timeline entries and closures are dated at this time of day, UTC.
EVENT_TIME = time(9, 0, tzinfo=UTC)

Changes = Counter[str]


def load_demo(today: date) -> str:
    """Bring the demo data up to date for ``today`` and say what is there and what changed."""
    changes: Changes = Counter()
    targets = {spec: _upsert_target(spec, changes) for spec in _all_targets()}
    db.session.flush()
    cases = [_upsert_case(spec, today, targets, changes) for spec in DEMO_CASES]
    for spec, case in zip(DEMO_CASES, cases, strict=True):
        _add_reports_if_none(case, spec, today, changes)
    if changes:
        record_audit("demo.loaded", actor_label="command line", details=dict(sorted(changes.items())))
    db.session.commit()
    return _summary(cases, list(targets.values()), changes)


def _all_targets() -> list[TargetData]:
    """Every target and copy of the demo cases, each once, in the order they first appear."""
    seen: dict[TargetData, None] = {}
    for spec in DEMO_CASES:
        for target in (*spec.targets, *spec.copies):
            seen.setdefault(target, None)
    return list(seen)


def _update(row: Any, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; say whether any did, so an unchanged row is never touched."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _upsert_target(spec: TargetData, changes: Changes) -> Target:
    """The demo target, found by name and organisation, created or corrected as needed."""
    organisation = (
        Target.organisation.is_(None) if spec.organisation is None else Target.organisation == spec.organisation
    )
    target = db.session.scalar(select(Target).where(Target.name == spec.name, organisation).order_by(Target.id))
    values = {
        "title": spec.title,
        "address": spec.address,
        "emails": list(spec.emails),
        "faxes": list(spec.faxes),
        "phones": list(spec.phones),
        "twitter": spec.twitter,
        "salutation": spec.salutation,
        "preferred_language": spec.preferred_language,
    }
    if target is None:
        target = Target(name=spec.name, organisation=spec.organisation, **values)
        db.session.add(target)
        changes["targets created"] += 1
    elif _update(target, values):
        changes["targets updated"] += 1
    return target


def _at(day: date) -> datetime:
    return datetime.combine(day, EVENT_TIME)


def _case_values(spec: CaseData, today: date) -> dict[str, Any]:
    closure = spec.closure
    return {
        "ua_number": spec.ua_number,
        "ai_index": spec.ai_index,
        "headline": spec.headline,
        "summary": spec.summary,
        "story_markdown": spec.story,
        "additional_information_markdown": spec.additional_information,
        "preferred_languages": list(spec.preferred_languages),
        "issued_on": None if spec.issued_days_ago is None else today - timedelta(days=spec.issued_days_ago),
        "deadline_on": None if spec.deadline_in_days is None else today + timedelta(days=spec.deadline_in_days),
        "status": str(spec.status),
        "outcome": closure.outcome if closure else None,
        "closed_at": _at(today - timedelta(days=closure.days_ago)) if closure else None,
        "goal": spec.goal,
    }


def _upsert_case(spec: CaseData, today: date, targets: dict[TargetData, Target], changes: Changes) -> Case:
    """The demo case, found by slug, with its fields and every list it holds matching the demo data."""
    case = db.session.scalar(select(Case).where(Case.slug == spec.slug))
    values = _case_values(spec, today)
    if case is None:
        case = Case(slug=spec.slug, **values)
        db.session.add(case)
        changes["cases created"] += 1
    elif _update(case, values):
        changes["cases updated"] += 1
    parts = (
        _sync_people(case, spec),
        _sync_asks(case, spec),
        _sync_letters(case, spec),
        _sync_translations(case, spec),
        _sync_target_links(case, spec, targets),
        _sync_timeline(case, spec, today),
    )
    if any(parts):
        changes["case details written"] += sum(parts)
    return case


def _replace(collection: list, build: Callable[[], list[Any]]) -> None:
    """Swap a case's child rows, deleting the old ones first so unique keys never collide."""
    collection.clear()
    db.session.flush()
    collection.extend(build())


def _sync_people(case: Case, spec: CaseData) -> bool:
    wanted = [(person.name, person.native_name, person.pronouns) for person in spec.people]
    if [(person.name, person.native_name, person.pronouns) for person in case.people] == wanted:
        return False
    _replace(
        case.people,
        lambda: [
            Person(name=name, native_name=native, pronouns=pronouns, position=i)
            for i, (name, native, pronouns) in enumerate(wanted)
        ],
    )
    return True


def _sync_asks(case: Case, spec: CaseData) -> bool:
    if [ask.text for ask in case.asks] == list(spec.asks):
        return False
    _replace(case.asks, lambda: [Ask(text=text, position=i) for i, text in enumerate(spec.asks)])
    return True


def _sync_letters(case: Case, spec: CaseData) -> bool:
    wanted = [("en", spec.letter)]
    wanted += [(text.language, text.letter) for text in CASE_TRANSLATIONS.get(spec.slug, ()) if text.letter]
    if [(letter.language, letter.body) for letter in case.letters] == wanted:
        return False
    _replace(
        case.letters,
        lambda: [ModelLetter(language=language, body=body, position=i) for i, (language, body) in enumerate(wanted)],
    )
    return True


def _sync_translations(case: Case, spec: CaseData) -> bool:
    """The case's words in the languages its readers use (campaign.demo.translations)."""
    wanted = [
        (text.language, text.headline, text.summary, list(text.asks))
        for text in sorted(CASE_TRANSLATIONS.get(spec.slug, ()), key=lambda text: text.language)
    ]
    current = [(row.language, row.headline, row.summary, list(row.asks)) for row in case.translations]
    if current == wanted:
        return False
    _replace(
        case.translations,
        lambda: [
            CaseTranslation(language=language, headline=headline, summary=summary, asks=asks)
            for language, headline, summary, asks in wanted
        ],
    )
    return True


def _sync_target_links(case: Case, spec: CaseData, targets: dict[TargetData, Target]) -> bool:
    wanted = [(targets[spec_target], TargetRole.TARGET) for spec_target in spec.targets]
    wanted += [(targets[spec_copy], TargetRole.COPY) for spec_copy in spec.copies]
    if [(link.target, link.role) for link in case.target_links] == wanted:
        return False
    _replace(
        case.target_links,
        lambda: [CaseTarget(target=target, role=str(role), position=i) for i, (target, role) in enumerate(wanted)],
    )
    return True


def _timeline(spec: CaseData, today: date) -> list[tuple[str, datetime, str, date | None, date | None]]:
    """The case's dated events: published, a deadline extension, closed; a draft has none."""
    entries: list[tuple[str, datetime, str, date | None, date | None]] = []
    if spec.issued_days_ago is not None:
        published = _at(today - timedelta(days=spec.issued_days_ago))
        label = f"Urgent Action {spec.ua_number}" if spec.ua_number else "The appeal"
        entries.append((str(TimelineKind.PUBLISHED), published, f"{label} was published.", None, None))
    if spec.extension is not None and spec.deadline_in_days is not None:
        entries.append(
            (
                str(TimelineKind.DEADLINE_EXTENDED),
                _at(today - timedelta(days=spec.extension.days_ago)),
                spec.extension.text,
                today + timedelta(days=spec.extension.old_in_days),
                today + timedelta(days=spec.deadline_in_days),
            )
        )
    if spec.closure is not None:
        closed = _at(today - timedelta(days=spec.closure.days_ago))
        entries.append((str(TimelineKind.CLOSED), closed, spec.closure.text, None, None))
    return entries


def _sync_timeline(case: Case, spec: CaseData, today: date) -> bool:
    wanted = _timeline(spec, today)
    current = [
        (entry.kind, entry.happened_at, entry.text, entry.old_deadline_on, entry.new_deadline_on)
        for entry in case.timeline
    ]
    if current == wanted:
        return False
    _replace(
        case.timeline,
        lambda: [
            TimelineEntry(kind=kind, happened_at=at, text=text, old_deadline_on=old, new_deadline_on=new)
            for kind, at, text, old, new in wanted
        ],
    )
    return True


def _add_reports_if_none(case: Case, spec: CaseData, today: date, changes: Changes) -> None:
    """Invent the case's demo reports, unless it has reports already (demo or real)."""
    if spec.report_count == 0 and not spec.events:
        return
    db.session.flush()
    if db.session.scalar(select(func.count()).where(ActionReport.case_id == case.id)):
        return
    reports = _demo_reports(case, spec, today)
    db.session.add_all(reports)
    changes["reports added"] += len(reports)


def _report_window(spec: CaseData, today: date) -> tuple[datetime, datetime]:
    """From publication (at most 30 days back) to the closure or the end of yesterday's reports."""
    end = datetime.combine(today, time(0, tzinfo=UTC)) - REPORTS_END_BEFORE_MIDNIGHT
    if spec.closure is not None:
        end = min(end, _at(today - timedelta(days=spec.closure.days_ago)))
    start = end - REPORTS_WINDOW
    if spec.issued_days_ago is not None:
        start = max(start, _at(today - timedelta(days=spec.issued_days_ago)))
    return start, end


def _demo_reports(case: Case, spec: CaseData, today: date) -> list[ActionReport]:
    """Supporters' reports and event tallies for one case, the same ones on every run."""
    rng = random.Random(f"demo-reports:{spec.slug}")  # a str seed is stable across Python runs
    start, end = _report_window(spec, today)
    targets = [link.target for link in case.target_links]
    threshold = current_app.config["REVIEW_FLAG_COUNT_ABOVE"]
    reports = [
        _supporter_report(case, rng, _report_time(rng, start, end), targets, threshold)
        for _ in range(spec.report_count)
    ]
    for event in spec.events:
        reports.append(
            ActionReport(
                case=case,
                action_type=str(event.action_type),
                target_id=None,
                count=event.count,
                country=event.country,
                source=str(ReportSource.EVENT),
                group_code=event.group_code,
                review_state=str(ReviewState.COUNTED),
                created_at=min(end, _at(today - timedelta(days=event.days_ago)) + timedelta(hours=8)),
                acted_on=today - timedelta(days=event.days_ago),
            )
        )
    reports.sort(key=lambda report: report.created_at)
    return reports


def _report_time(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """Most reports spread evenly; a third in the first days after publication, as appeals go."""
    span = (end - start).total_seconds()
    share = rng.random() * min(1.0, 3 * 86400 / span) if rng.random() < 0.3 else rng.random()
    return (start + timedelta(seconds=int(share * span))).replace(microsecond=0)


def _reachable(action_type: ActionType, targets: list[Target]) -> bool:
    """Whether one of the targets can take this action: a fax or a call needs a number the case gives."""
    if action_type == ActionType.FAX:
        return any(target.faxes for target in targets)
    if action_type == ActionType.CALL:
        return any(target.phones for target in targets)
    return True


def _supporter_report(
    case: Case, rng: random.Random, created_at: datetime, targets: list[Target], threshold: int
) -> ActionReport:
    """One supporter's report from the web page or the API; now and then a count held for review."""
    action_types = [kind for kind in ACTION_TYPE_WEIGHTS if _reachable(kind, targets)]
    action_type = rng.choices(action_types, weights=[ACTION_TYPE_WEIGHTS[kind] for kind in action_types])[0]
    country = rng.choices(list(COUNTRY_WEIGHTS), weights=list(COUNTRY_WEIGHTS.values()))[0]
    addressees = [target for target in targets if _reachable(action_type, [target])]
    target = rng.choice(addressees) if addressees and rng.random() < 0.75 else None
    source = ReportSource.WEB if rng.random() < 0.8 else ReportSource.API
    roll = rng.random()
    if roll < 0.025:
        count = rng.randint(min(threshold + 10, 100), 100)
    elif roll < 0.65:
        count = 1
    elif roll < 0.93:
        count = rng.randint(2, 5)
    else:
        count = rng.randint(6, max(6, threshold))
    flagged = count > threshold
    return ActionReport(
        case=case,
        action_type=str(action_type),
        target=target,
        count=count,
        country=country,
        source=str(source),
        supporter_name=rng.choice(SUPPORTER_NAMES) if rng.random() < 0.05 else None,
        review_state=str(ReviewState.FLAGGED if flagged else ReviewState.COUNTED),
        review_reason=COUNT_ABOVE_THRESHOLD.format(count=count, threshold=threshold) if flagged else None,
        created_at=created_at,
        acted_on=created_at.date(),
    )


def _summary(cases: list[Case], targets: list[Target], changes: Changes) -> str:
    """One paragraph: what the demo holds now, and what this run changed."""
    by_status = Counter(str(case.status) for case in cases)
    case_ids = [case.id for case in cases]
    report_rows = db.session.execute(
        select(ActionReport.review_state, func.count())
        .where(ActionReport.case_id.in_(case_ids))
        .group_by(ActionReport.review_state)
    )
    reports: dict[str, int] = {state: number for state, number in report_rows}
    held = reports.get(str(ReviewState.FLAGGED), 0)
    order = (CaseStatus.ACTIVE, CaseStatus.CLOSED, CaseStatus.DRAFT)
    statuses = ", ".join(f"{by_status[str(status)]} {status}" for status in order if by_status[str(status)])
    held_note = f" ({held} held for review)" if held else ""
    if changes:
        changed = "This run: " + ", ".join(f"{number} {what}" for what, number in sorted(changes.items())) + "."
    else:
        changed = "Nothing changed: the demo data was already up to date."
    return (
        f"Demo data: {len(cases)} cases ({statuses}), {len(targets)} targets, "
        f"{sum(reports.values())} reports{held_note}. {changed}"
    )
